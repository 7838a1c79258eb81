package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
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
