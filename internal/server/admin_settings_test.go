package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
)

func settingsForm(policy, days, pageSize string) url.Values {
	return url.Values{"name": {"The Coast Courier"}, "tagline": {"Tides & times"}, "zone": {"Europe/London"}, "zone_label": {"London Time"},
		"comments": {policy}, "close_after_days": {days}, "page_size": {pageSize}}
}

func TestSiteSettings(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("boss", account.Admin, goodPassword)
	s.addUser("ed", account.Editor, goodPassword)
	b := s.browser("198.51.100.70")
	b.login("boss", goodPassword)
	ed := s.browser("198.51.100.71")
	ed.login("ed", goodPassword)
	assertStatus(t, ed.get("/admin/settings"), http.StatusForbidden)
	assertStatus(t, ed.postForm("/admin", "/admin/settings", settingsForm("approve", "0", "5")), http.StatusForbidden)

	bad := settingsForm("maybe", "-3", "1000")
	bad.Set("zone", "Mars/Olympus")
	rec := b.postForm("/admin/settings", "/admin/settings", bad)
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), `value="Mars/Olympus"`, "not a time zone we know", "Choose one of the comment policies", `value="1000"`)
	assertContains(t, body(t, s.get("/")), "<title>Dateline</title>")

	rec = b.postForm("/admin/settings", "/admin/settings", settingsForm("approve", "0", "5"))
	assertStatus(t, rec, http.StatusSeeOther)
	home := body(t, s.get("/"))
	assertContains(t, home, "<title>The Coast Courier</title>", "Tides &amp; times", "London Time", `rel="next" href="/?before=`)
	if n := strings.Count(home, `class="story-card"`); n != 5 {
		t.Errorf("home shows %d stories, want the page size 5", n)
	}
	// In London the harbour story (22:30 UTC on 19 June) is filed under the 19th.
	assertStatus(t, s.get("/2024/06/19/harbour-night-market"), http.StatusOK)

	// Comments are published at once.
	rec = s.postForm("/2024/06/19/harbour-night-market/comments", goodComment(), nil)
	assertStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/2024/06/19/harbour-night-market#comment-") {
		t.Errorf("Location: %q", loc)
	}
	assertContains(t, body(t, s.get("/2024/06/19/harbour-night-market")), "Lovely evening.")
	if list := s.comments(comment.Approved); len(list) != 1 {
		t.Errorf("got %d approved comments, want 1", len(list))
	}

	// Closed on the whole site, and closed by age.
	assertStatus(t, b.postForm("/admin/settings", "/admin/settings", settingsForm("closed", "0", "20")), http.StatusSeeOther)
	assertContains(t, body(t, s.get("/2024/06/19/harbour-night-market")), "Comments are closed")
	assertStatus(t, s.postForm("/2024/06/19/harbour-night-market/comments", goodComment(), nil), http.StatusForbidden)
	assertStatus(t, b.postForm("/admin/settings", "/admin/settings", settingsForm("hold", "30", "20")), http.StatusSeeOther)
	assertContains(t, body(t, s.get("/2024/06/19/harbour-night-market")), "Comments are closed") // published in 2024
	if n := len(s.comments("")); n != 1 {
		t.Errorf("closed articles took comments: %d in all, want 1", n)
	}

	// Saved settings outlive the process.
	again, err := New(t.Context(), s.opts)
	if err != nil {
		t.Fatal(err)
	}
	s.e = again
	assertContains(t, body(t, s.get("/")), "<title>The Coast Courier</title>")
	assertContains(t, body(t, b.get("/admin/settings")), `value="30"`, `value="hold" checked`)

	entries, _ := s.store.AuditLog(context.Background(), 20, 0)
	n := 0
	for _, e := range entries {
		if e.Action == audit.Settings {
			n++
		}
	}
	if n != 3 {
		t.Errorf("got %d settings entries in the audit log, want 3", n)
	}
}
