package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/comment"
)

// TestActionsCommitWithTheirAuditEntry makes the audit log refuse every
// entry (a trigger on it) and tries every newsroom action that changes
// something: each fails whole, leaving nothing changed, which shows that
// the change and its entry are one transaction (three saves once
// committed just before a kill -9 had no entry).
func TestActionsCommitWithTheirAuditEntry(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	ctx := context.Background()
	s.addUser("boss", account.Admin, goodPassword)
	noa := s.addUser("noa", account.Editor, goodPassword)
	b := s.browser("198.51.100.70")
	b.login("boss", goodPassword)
	id, _ := b.save("/admin/articles/new", "/admin/articles", articleForm("Audited story", "First words.", "draft", ""), http.StatusSeeOther)
	edit := "/admin/articles/" + strconv.FormatInt(id, 10)
	pending := s.postForm(harbourPath+"/comments", goodComment(), nil)
	assertStatus(t, pending, http.StatusSeeOther)
	queued, err := s.store.Comments(ctx, comment.Pending, 1, 0)
	if err != nil || len(queued) != 1 {
		t.Fatalf("pending comments: %v %v", queued, err)
	}
	entries := func() int {
		list, err := s.store.AuditLog(ctx, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := entries()
	articles, _ := s.store.ArticleCount(ctx)
	s.sneak(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`)

	userURL := func(u account.User, action string) string {
		return "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/" + action
	}
	saved := articleForm("Audited story, edited", "New words.", "draft", "")
	saved.Set("slug", "audited-story")
	saved.Set("version", "1")
	for _, tc := range []struct {
		name, page, target string
		form               url.Values
	}{
		{"new article", "/admin/articles/new", "/admin/articles", articleForm("Never stored", "Words.", "draft", "")},
		{"edit", edit, edit, saved},
		{"restore a revision", edit + "/revisions/1", edit + "/revisions/1/restore", url.Values{"version": {"1"}}},
		{"trash", edit, edit + "/trash", url.Values{}},
		{"correction", edit, edit + "/notes", url.Values{"kind": {"correction"}, "body": {"A name was wrong."}}},
		{"settings", "/admin/settings", "/admin/settings", settingsForm("approve", "0", "20")},
		{"add user", "/admin/users", "/admin/users", url.Values{"username": {"dana"}, "name": {"Dana"}, "role": {"editor"}, "password": {goodPassword}}},
		{"role", "/admin/users", userURL(noa, "role"), url.Values{"role": {"admin"}}},
		{"disable", "/admin/users", userURL(noa, "disabled"), url.Values{"disabled": {"1"}}},
		{"password", "/admin/users", userURL(noa, "password"), url.Values{"password": {"another good passphrase 42"}}},
		{"moderation", "/admin/comments", "/admin/comments", url.Values{"one": {"approve:" + strconv.FormatInt(queued[0].ID, 10)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rec := b.postForm(tc.page, tc.target, tc.form); rec.Code != http.StatusInternalServerError {
				t.Errorf("with the audit log refusing: %d, want 500", rec.Code)
			}
		})
	}
	upload := b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"A red strip"}}, "x.png", "image/png", pngBytes(t, 40, 30))
	assertStatus(t, upload, http.StatusInternalServerError)
	// A sign-out whose entry cannot be written ends no session, and a
	// sign-in starts none.
	assertStatus(t, b.postForm("/admin", "/admin/logout", url.Values{}), http.StatusInternalServerError)
	assertStatus(t, b.get("/admin"), http.StatusOK)
	other := s.browser("198.51.100.71")
	assertStatus(t, other.postForm("/admin/login", "/admin/login", url.Values{"username": {"noa"}, "password": {goodPassword}}), http.StatusInternalServerError)
	if rec := other.get("/admin"); rec.Code != http.StatusSeeOther {
		t.Errorf("after a sign-in without its entry, /admin: %d, want the sign-in page", rec.Code)
	}

	// Nothing changed.
	if n, _ := s.store.ArticleCount(ctx); n != articles {
		t.Errorf("articles: %d, want %d", n, articles)
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil || a.Version != 1 || a.Trashed() || a.Headline != "Audited story" {
		t.Errorf("the article changed: %+v %v", a, err)
	}
	if notes, _ := s.store.ArticleNotes(ctx, id); len(notes) != 0 {
		t.Errorf("a note was stored: %v", notes)
	}
	if set, err := s.store.SiteSettings(ctx, testDefaults); err != nil || set.Comments != testDefaults.Comments {
		t.Errorf("settings were saved: %v %v", set.Comments, err)
	}
	if images, _ := s.store.MediaList(ctx, 10, 0); len(images) != 0 {
		t.Errorf("an image was recorded: %v", images)
	}
	users, _ := s.store.Users(ctx)
	for _, u := range users {
		if u.Username == "dana" || u.Username == "noa" && (u.Role != account.Editor || u.Disabled || u.PasswordHash != noa.PasswordHash) {
			t.Errorf("a user changed: %+v", u)
		}
	}
	if c, _ := s.store.Comments(ctx, comment.Pending, 1, 0); len(c) != 1 {
		t.Errorf("the pending comment was moderated")
	}
	s.sneak(`DROP TRIGGER refuse_audit`)
	if n := entries(); n != before {
		t.Errorf("audit entries: %d, want %d", n, before)
	}
}
