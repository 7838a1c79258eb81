package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
)

// addUser creates a newsroom user with the real hasher.
func (s *testSite) addUser(username string, role account.Role, password string) account.User {
	s.t.Helper()
	ctx := context.Background()
	phc, err := s.hasher.Hash(ctx, password)
	if err != nil {
		s.t.Fatal(err)
	}
	u := account.User{Username: username, Name: strings.ToUpper(username[:1]) + username[1:], Role: role, PasswordHash: phc, CreatedAt: testNow}
	if u.ID, err = s.store.AddUser(ctx, u, audit.Entry{}); err != nil {
		s.t.Fatal(err)
	}
	return u
}

// browser is a client with a cookie jar and a fixed address, that sends
// no Fetch Metadata headers, so CSRF tokens are really checked.
type browser struct {
	s       *testSite
	ip      string
	cookies map[string]*http.Cookie
}

func (s *testSite) browser(ip string) *browser {
	return &browser{s: s, ip: ip, cookies: map[string]*http.Cookie{}}
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.s.t.Helper()
	req.RemoteAddr = net.JoinHostPort(b.ip, "40000")
	for _, c := range b.cookies {
		if strings.HasPrefix(req.URL.Path, c.Path) {
			req.AddCookie(c)
		}
	}
	rec := b.s.do(req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *browser) get(target string) *httptest.ResponseRecorder {
	b.s.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, target, nil))
}

func (b *browser) post(target string, form url.Values) *httptest.ResponseRecorder {
	b.s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf loads a newsroom page and returns the form token on it.
func (b *browser) csrf(page string) string {
	b.s.t.Helper()
	rec := b.get(page)
	if rec.Code == http.StatusSeeOther { // signed in already: the sign-out form has one too
		rec = b.get(rec.Header().Get("Location"))
	}
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.s.t.Fatalf("no CSRF token on %s (status %d)", page, rec.Code)
	}
	return m[1]
}

// postForm posts a newsroom form with the token from page.
func (b *browser) postForm(page, target string, form url.Values) *httptest.ResponseRecorder {
	b.s.t.Helper()
	form.Set("_csrf", b.csrf(page))
	return b.post(target, form)
}

// login signs in and fails the test if that does not work.
func (b *browser) login(username, password string) {
	b.s.t.Helper()
	rec := b.postForm("/admin/login", "/admin/login", url.Values{"username": {username}, "password": {password}})
	if rec.Code != http.StatusSeeOther {
		b.s.t.Fatalf("login as %s: got %d, want 303; %s", username, rec.Code, rec.Body.String())
	}
}

func httptestForm(target string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
