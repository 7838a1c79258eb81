package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
)

func TestCorrectionsAndUpdates(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.80")
	b.login("maya", goodPassword)
	a, err := s.store.ArticleBySlug(context.Background(), "harbour-night-market", testNow)
	if err != nil {
		t.Fatal(err)
	}
	edit := "/admin/articles/" + strconv.FormatInt(a.ID, 10)
	notes := edit + "/notes"

	assertContains(t, body(t, s.get("/corrections")), "No corrections so far.")
	assertLacks(t, body(t, s.get(harbourPath)), "Updated ")

	rec := b.postForm(edit, notes, url.Values{"kind": {"correction"}, "body": {"  "}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "Please write the note.")
	rec = b.postForm(edit, notes, url.Values{"kind": {"retraction"}, "body": {"Kept <b>text</b>"}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "correction or an update", "Kept &lt;b&gt;text&lt;/b&gt;")

	assertStatus(t, b.postForm(edit, notes, url.Values{"kind": {"correction"}, "body": {"The market opened on Wednesday, not Thursday. <i>Sorry</i>."}}), http.StatusSeeOther)
	s.clock.Advance(time.Hour)
	assertStatus(t, b.postForm(edit, notes, url.Values{"kind": {"update"}, "body": {"The market will also open on Saturdays."}}), http.StatusSeeOther)

	html := body(t, s.get(harbourPath))
	assertContains(t, html, `<p class="updated">Updated <time datetime="2026-11-30T13:00:00Z">Mon 30 Nov 2026 3:00 pm - Jerusalem Time</time></p>`,
		"Corrections and updates", "<strong>Correction</strong>", "<strong>Update</strong>", "&lt;i&gt;Sorry&lt;/i&gt;")
	if strings.Index(html, "not Thursday") > strings.Index(html, "also open on Saturdays") {
		t.Error("notes are not oldest first")
	}
	html = body(t, s.get("/corrections"))
	assertContains(t, html, "not Thursday", `href="/2024/06/20/harbour-night-market"`)
	assertLacks(t, html, "Saturdays")
	assertContains(t, body(t, s.get("/")), `href="/corrections"`)
	assertContains(t, body(t, b.get(edit)), "The market will also open on Saturdays.")
	assertStatus(t, s.get("/corrections?page=2"), http.StatusNotFound)

	// A correction of a trashed article leaves the public list.
	assertStatus(t, b.postForm(edit, edit+"/trash", url.Values{}), http.StatusSeeOther)
	assertContains(t, body(t, s.get("/corrections")), "No corrections so far.")
}
