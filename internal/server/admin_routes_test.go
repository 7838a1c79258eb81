package server

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/web"
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
					t.Run(name+" without a token", func(t *testing.T) {
						if rec := b.post(target, url.Values{"username": {"x"}}); rec.Code < 400 || rec.Code >= 500 {
							t.Errorf("got %d, want 4xx", rec.Code)
						}
					})
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

// TestEveryNewsroomLinkIsARoute reads the links and form actions of the
// newsroom's pages, and finds each in the router with its method: a path
// built by web's helpers that no route declares (or the other way round,
// a route renamed without its links) fails here.
func TestEveryNewsroomLinkIsARoute(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("boss", account.Admin, goodPassword)
	s.addUser("noa", account.Editor, goodPassword)
	b := s.browser("198.51.100.120")
	b.login("boss", goodPassword)
	ctx := context.Background()
	a, _ := s.store.ArticleBySlug(ctx, "harbour-night-market", testNow)
	edit := web.AdminArticlePath(a.ID)
	pages := []string{web.AdminPath, web.AdminArticlesPath, web.AdminNewArticle, edit, edit + "/revisions/1",
		web.AdminMediaPath, web.AdminAuthorsPath, web.AdminCommentsPath, web.AdminUsersPath, web.AdminSettingsPath, web.AdminAuditPath}
	declared := map[string]bool{}
	for _, r := range s.e.Routes() {
		declared[r.Method+" "+r.Path] = true
	}
	link := regexp.MustCompile(`<(a|form)\b[^>]*?\b(?:href|action)="(/admin[^"?#]*)`)
	checked := map[string]bool{}
	for _, page := range pages {
		rec := b.get(page)
		assertStatus(t, rec, http.StatusOK)
		for _, m := range link.FindAllStringSubmatch(rec.Body.String(), -1) {
			method := http.MethodGet
			if m[1] == "form" && strings.Contains(m[0], `method="post"`) {
				method = http.MethodPost
			}
			target := html.UnescapeString(m[2])
			if checked[method+" "+target] {
				continue
			}
			checked[method+" "+target] = true
			c := s.e.NewContext(httptest.NewRequest(method, target, nil), httptest.NewRecorder())
			s.e.Router().Find(method, target, c)
			if !declared[method+" "+c.Path()] || strings.HasSuffix(c.Path(), "*") {
				t.Errorf("%s links %s %s, which no route declares (router matched %q)", page, method, target, c.Path())
			}
		}
	}
	// The pages link every kind of newsroom address: articles, revisions,
	// users and their forms.
	for _, want := range []string{"POST " + web.Fill(web.AdminArticleTrashPattern, a.ID), "POST " + web.Fill(web.AdminArticleNotesPattern, a.ID),
		"GET " + web.Fill(web.AdminRevisionPattern, a.ID, 1), "POST " + web.Fill(web.AdminRevisionRestorePattern, a.ID, 1),
		"POST " + web.AdminLogoutPath} {
		if !checked[want] {
			t.Errorf("no page linked %s", want)
		}
	}
	if len(checked) < 25 {
		t.Errorf("checked %d newsroom links, want the pages' every link (25 or more)", len(checked))
	}
}
