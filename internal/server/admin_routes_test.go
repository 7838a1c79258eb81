package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/comment"
)

// adminOnly are the newsroom routes editors may not use.
var adminOnly = []string{"/admin/users", "/admin/settings", "/admin/audit"}

// TestEveryAdminRouteIsGuarded walks the route table, so that a route added
// later is covered too: anonymous requests go to the sign-in page, editors
// get 403 on admin-only pages, and no POST works without the form token.
func TestEveryAdminRouteIsGuarded(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("ed", account.Editor, goodPassword)
	s.addUser("boss", account.Admin, goodPassword)
	fill := strings.NewReplacer(":id", "1", ":version", "1", ":name", "x")

	anon := s.browser("198.51.100.100")
	ed := s.browser("198.51.100.101")
	ed.login("ed", goodPassword)
	boss := s.browser("198.51.100.102")
	boss.login("boss", goodPassword)
	count := 0
	for _, r := range s.e.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || r.Method == "echo_route_not_found" {
			continue
		}
		target := fill.Replace(r.Path)
		open := target == "/admin/login" || target == "/admin/setup"
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			count++
			var rec = anon.get(target)
			if r.Method == http.MethodPost {
				rec = anon.postForm("/admin/login", target, url.Values{})
			}
			if !open && (rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/admin/login?next=")) {
				t.Errorf("anonymous: got %d to %q, want 303 to the sign-in page", rec.Code, rec.Header().Get("Location"))
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", rec.Header().Get("Cache-Control"))
			}
			if r.Method == http.MethodPost && target != "/admin/logout" {
				for name, b := range map[string]*browser{"editor": ed, "admin": boss} {
					if rec := b.post(target, url.Values{"username": {"x"}}); rec.Code < 400 || rec.Code >= 500 {
						t.Errorf("%s without a token: got %d, want 4xx", name, rec.Code)
					}
				}
			}
			for _, p := range adminOnly {
				if strings.HasPrefix(target, p) {
					var rec = ed.get(target)
					if r.Method == http.MethodPost {
						rec = ed.postForm("/admin", target, url.Values{"role": {"admin"}})
					}
					assertStatus(t, rec, http.StatusForbidden)
				}
			}
		})
	}
	if count < 20 {
		t.Errorf("walked %d newsroom routes, want every one (20 or more)", count)
	}
	if u, _ := s.store.UserByUsername(context.Background(), "ed"); u.Role != account.Editor {
		t.Error("an editor changed a role")
	}
}

// TestEveryNewsroomFormNeedsItsToken posts, to every state-changing
// newsroom route, a form that works with the right token: without it, or
// with a wrong one, the answer is 4xx and nothing is recorded; with it,
// the change happens. Every newsroom change writes an audit entry, so an
// unchanged audit log shows that nothing changed.
func TestEveryNewsroomFormNeedsItsToken(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("boss", account.Admin, goodPassword)
	noa := s.addUser("noa", account.Editor, goodPassword)
	ctx := context.Background()
	a, _ := s.store.ArticleBySlug(ctx, "harbour-night-market", testNow)
	if _, err := s.store.AddComment(ctx, comment.Comment{ArticleID: a.ID, Name: "R", Body: "hi", Status: comment.Pending, CreatedAt: testNow}); err != nil {
		t.Fatal(err)
	}
	b := s.browser("198.51.100.110")
	b.login("boss", goodPassword)
	id := strconv.FormatInt(a.ID, 10)
	edit := "/admin/articles/" + id
	uid := "/admin/users/" + strconv.FormatInt(noa.ID, 10)
	articleEdit := articleForm("Night market opens", "Edited.", "at", "2024-06-20T01:30")
	articleEdit.Set("slug", "harbour-night-market")
	steps := []struct {
		target string
		form   func() url.Values
	}{
		{"/admin/articles", func() url.Values { return articleForm("A new story", "Text.", "draft", "") }},
		{edit, func() url.Values { f := articleEdit; f.Set("version", s.versionOf(a.ID)); return f }},
		{edit + "/notes", func() url.Values { return url.Values{"kind": {"update"}, "body": {"More news."}} }},
		{edit + "/revisions/1/restore", func() url.Values { return url.Values{} }},
		{edit + "/trash", func() url.Values { return url.Values{} }},
		{edit + "/restore", func() url.Values { return url.Values{} }},
		{"/admin/comments", func() url.Values { return url.Values{"one": {"approve:1"}} }},
		{"/admin/users", func() url.Values {
			return url.Values{"username": {"dana"}, "role": {"editor"}, "password": {goodPassword}}
		}},
		{uid + "/role", func() url.Values { return url.Values{"role": {"admin"}} }},
		{uid + "/password", func() url.Values { return url.Values{"password": {"another fine phrase"}} }},
		{uid + "/disabled", func() url.Values { return url.Values{"disabled": {"1"}} }},
		{"/admin/settings", func() url.Values { return settingsForm("hold", "0", "20") }},
		{"/admin/logout", func() url.Values { return url.Values{} }},
	}
	audited := func() int {
		entries, _ := s.store.AuditLog(ctx, 1000, 0)
		return len(entries)
	}
	for _, step := range steps {
		t.Run(step.target, func(t *testing.T) {
			before := audited()
			for _, token := range []string{"", "not-the-token"} {
				f := step.form()
				if token != "" {
					f.Set("_csrf", token)
				}
				if rec := b.post(step.target, f); rec.Code < 400 || rec.Code >= 500 {
					t.Errorf("token %q: got %d, want 4xx", token, rec.Code)
				}
			}
			if n := audited(); n != before {
				t.Fatalf("refused requests changed something: %d audit entries, want %d", n, before)
			}
			rec := b.postForm("/admin", step.target, step.form())
			if rec.Code != http.StatusSeeOther || audited() != before+1 {
				t.Errorf("with the token: got %d and %d new audit entries, want 303 and 1", rec.Code, audited()-before)
			}
		})
	}
}
