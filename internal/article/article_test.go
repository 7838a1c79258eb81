package article

import (
	"testing"
	"time"
)

func TestRestoreOnto(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	current := Article{ID: 7, Slug: "new-slug", Headline: "New", Summary: "New summary", Body: "New *body*", Author: "Noa",
		Section: "City", Tags: []string{"now"}, Language: "en", Status: Published, PublishedAt: at, Version: 4,
		CommentsClosed: true, Lead: Image{ID: 3}}
	old := Revision{Version: 1, Article: Article{Slug: "old-slug", Headline: "Old", Summary: "Old summary", Body: "Old _body_",
		Author: "Maya", Section: "Coast", Tags: []string{"then"}, Language: "he", Status: Draft, PublishedAt: at.Add(-time.Hour)}}
	got, err := old.RestoreOnto(current)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "old-slug" || got.Headline != "Old" || got.Summary != "Old summary" || got.Body != "Old _body_" ||
		got.Author != "Maya" || got.Section != "Coast" || len(got.Tags) != 1 || got.Tags[0] != "then" || got.Language != "he" {
		t.Errorf("the revision's text did not come back: %+v", got)
	}
	if got.HTML != "<p>Old <em>body</em></p>\n" {
		t.Errorf("HTML not rendered again: %q", got.HTML)
	}
	if got.ID != 7 || got.Status != Published || !got.PublishedAt.Equal(at) || got.Version != 4 || !got.CommentsClosed || got.Lead.ID != 3 {
		t.Errorf("what restoring must keep changed: %+v", got)
	}
}
