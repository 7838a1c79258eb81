package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
)

// sqlInjections are strings that break queries built by formatting values
// into SQL.
var sqlInjections = []string{
	`' OR '1'='1`, `1; DROP TABLE articles; --`, `" OR ""="`, `1' UNION SELECT password_hash FROM users --`,
	`%' OR 1=1 --`, `\'; DELETE FROM comments; --`, `1)) OR ((1=1`, `'; ATTACH DATABASE '/tmp/x.db' AS x; --`,
	`admin'--`, `1 AND sleep(5)`, `0x27`, `%00'`, `'||(SELECT 1)||'`,
}

// TestSQLInjectionInEveryParameter puts each string in every path segment
// and query parameter of the public pages: the answer is a normal page or a
// 4xx, never a 500, and the database is unchanged.
func TestSQLInjectionInEveryParameter(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	ctx := context.Background()
	before, _ := s.store.ArticleCount(ctx)
	users, _ := s.store.UserCount(ctx)
	templates := []string{
		"/%s", "/2024/%s", "/2024/06/%s", "/2024/06/20/%s", "/%s/06/20/harbour-night-market", "/2024/%s/20/harbour-night-market",
		"/?page=%s", "/search?q=%s", "/search?q=quay&section=%s", "/search?q=quay&from=%s", "/search?q=quay&to=%s", "/search?q=quay&page=%s",
		"/section/%s", "/tag/%s", "/author/%s", "/section/%s/feed.atom", "/tag/%s/feed.rss", "/corrections?page=%s",
		"/sitemap-%s", "/media/%s", "/static/%s", "/2024/06/20/harbour-night-market?comment=%s", "/admin/login?next=%s",
		"/admin/setup?token=%s",
	}
	tried := 0
	for _, tmpl := range templates {
		for _, inj := range sqlInjections {
			value := url.QueryEscape(inj)
			if !strings.Contains(tmpl, "?") || strings.Index(tmpl, "%s") < strings.Index(tmpl, "?") {
				value = url.PathEscape(inj)
			}
			target := strings.Replace(tmpl, "%s", value, 1)
			rec := s.get(target)
			tried++
			if rec.Code >= 500 {
				t.Errorf("GET %s: %d", target, rec.Code)
			}
		}
	}
	// And in the comment form's fields, which are stored as text.
	for _, inj := range sqlInjections {
		form := url.Values{"name": {inj[:min(len(inj), 80)]}, "email": {inj}, "body": {inj}}
		if rec := s.postForm(harbourPath+"/comments", form, nil); rec.Code >= 500 {
			t.Errorf("comment %q: %d", inj, rec.Code)
		}
		tried++
	}
	after, _ := s.store.ArticleCount(ctx)
	usersAfter, _ := s.store.UserCount(ctx)
	if after != before || usersAfter != users {
		t.Errorf("the database changed: %d→%d articles, %d→%d users", before, after, users, usersAfter)
	}
	if v, err := s.store.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity check: %q %v", v, err)
	}
	t.Logf("SQL injection: %d requests, none answered 5xx", tried)
}

// TestNoSecretInLogs signs in, posts forms with tokens and logs out, then
// reads every log line for the password, the session id and the CSRF token.
func TestNoSecretInLogs(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	const password = "a very secret phrase"
	s.addUser("maya", account.Editor, password)
	b := s.browser("198.51.100.140")
	token := b.csrf("/admin/login")
	rec := b.post("/admin/login?next=/admin", url.Values{"username": {"maya"}, "password": {password}, "_csrf": {token}})
	assertStatus(t, rec, http.StatusSeeOther)
	b.post("/admin/login", url.Values{"username": {"maya"}, "password": {password + " wrong"}, "_csrf": {token}})
	session := b.cookies[sessionCookie].Value
	csrf := b.csrf("/admin")
	b.post("/admin/comments", url.Values{"one": {"approve:99999"}, "_csrf": {csrf}}) // 404, logged with its cause
	b.post("/admin/logout", url.Values{"_csrf": {csrf}})
	logs := s.logs.String()
	if !strings.Contains(logs, "/admin/login") {
		t.Fatal("nothing was logged")
	}
	for name, secret := range map[string]string{"password": password, "session id": session, "CSRF token": csrf, "login CSRF token": token} {
		t.Run(name, func(t *testing.T) {
			if strings.Contains(logs, secret) {
				t.Errorf("the %s is in the logs", name)
			}
		})
	}
}
