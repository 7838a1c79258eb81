package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/store"
)

// TestPagesSurviveAnOutOfRangeDate checks the pages that list dates on a
// database that holds a publication time in the year 10000, as one did
// before such times were refused: they answer, without the bad date, and
// the log says why.
func TestPagesSurviveAnOutOfRangeDate(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.sneak(`INSERT INTO articles (slug, headline, summary, body, body_html, author, section, language, status, published_at, updated_at)
		VALUES ('far-future', 'Far', '', 'x', '<p>x</p>', 'A', 'City', 'en', 'published', ?1, ?1)`, "10000-01-01 04:00:00+00:00")
	s.sneak(`INSERT INTO article_notes (article_id, kind, body, at, username)
		SELECT id, 'correction', 'A date was wrong.', ?1, 'maya' FROM articles WHERE slug = 'far-future'`, testNow)
	targets := []string{"/archive", "/sitemap-pages.xml", "/", "/feed.atom", "/sitemap.xml", "/sitemap-1.xml", "/corrections"}
	for year := 2015; year <= 2030; year++ {
		targets = append(targets, fmt.Sprintf("/%d", year))
	}
	found := 0
	for _, target := range targets {
		rec := s.get(target)
		switch rec.Code {
		case http.StatusOK:
			found++
		case http.StatusNotFound: // a year without stories
		default:
			t.Errorf("GET %s: %d, want 200 or 404", target, rec.Code)
		}
	}
	if found < 8 {
		t.Errorf("%d pages answered 200, want the seven listings and a year at least", found)
	}
	if !strings.Contains(s.logs.String(), "skipping a key that is no date") {
		t.Errorf("the log does not say why a date was left out:\n%s", s.logs.String())
	}

	// The newsroom lists it and opens it, and a new date corrects it.
	list, err := s.store.AdminArticles(context.Background(), store.ArticleFilter{Query: "Far", Now: testNow}, 10, 0)
	if err != nil || len(list) != 1 || list[0].Slug != "far-future" {
		t.Fatalf("newsroom list: %v (%v), want the article out of range", list, err)
	}
	id := list[0].ID
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.90")
	b.login("maya", goodPassword)
	assertContains(t, body(t, b.get("/admin/articles")), "Far")
	page := fmt.Sprintf("/admin/articles/%d", id)
	assertStatus(t, b.get(page), http.StatusOK)
	form := articleForm("Far", "Back in range.", "at", "2024-06-01T10:00")
	form.Set("version", s.versionOf(id))
	b.save(page, page, form, http.StatusSeeOther)
	assertStatus(t, s.get("/2024/06/01/far"), http.StatusOK)
}
