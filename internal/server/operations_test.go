package server

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/comment"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.get("/healthz")
	assertStatus(t, rec, http.StatusOK)
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control: %q", rec.Header().Get("Cache-Control"))
	}
	s.store.Close()
	assertStatus(t, s.get("/healthz"), http.StatusServiceUnavailable)
}

func TestClientAddress(t *testing.T) {
	t.Parallel()
	post := func(s *testSite, remote, xff string) string {
		t.Helper()
		form := goodComment()
		form.Set("body", "From "+remote+" for "+xff)
		form.Set("ts", s.stamp(harbourPath, -10*time.Second))
		req := httptest.NewRequest(http.MethodPost, harbourPath+"/comments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = remote + ":5000"
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("X-Real-IP", xff)
		assertStatus(t, s.do(req), http.StatusSeeOther)
		list, _ := s.store.Comments(context.Background(), comment.Pending, 1, 0)
		return list[0].IP
	}
	// Without trusted proxies the headers are not believed.
	s := newTestSite(t, siteFiles)
	if ip := post(s, "198.51.100.7", "203.0.113.9"); ip != "198.51.100.7" {
		t.Errorf("without trusted proxies: client %q, want the peer", ip)
	}
	// With one, its X-Forwarded-For is believed, and only its.
	s.trustProxies("10.0.0.0/8")
	if ip := post(s, "10.1.2.3", "203.0.113.9"); ip != "203.0.113.9" {
		t.Errorf("through the trusted proxy: client %q, want 203.0.113.9", ip)
	}
	if ip := post(s, "198.51.100.8", "203.0.113.10"); ip != "198.51.100.8" {
		t.Errorf("from elsewhere: client %q, want the peer", ip)
	}
	if ip := post(s, "127.0.0.1", "203.0.113.11"); ip != "127.0.0.1" {
		t.Errorf("loopback is not trusted unless named: client %q", ip)
	}
}

func TestPermissionsPolicy(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, target := range []string{"/", harbourPath, "/admin/login", "/nonsense"} {
		if got := s.get(target).Header().Get("Permissions-Policy"); !strings.Contains(got, "camera=()") || !strings.Contains(got, "geolocation=()") {
			t.Errorf("%s: Permissions-Policy %q", target, got)
		}
	}
}

// TestHostHeaderIsChecked: a DNS-rebinding page points its own name at
// the server, so the visitor's browser sends that name as Host: such
// requests are refused, a cached page and a comment post alike, while the
// site's own name and loopback names (a proxy passing its upstream's
// address) are answered.
func TestHostHeaderIsChecked(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	request := func(method, target, host string) *httptest.ResponseRecorder {
		var body io.Reader
		if method == http.MethodPost {
			form := goodComment()
			form.Set("ts", s.stamp(harbourPath, -10*time.Second))
			body = strings.NewReader(form.Encode())
		}
		req := httptest.NewRequest(method, target, body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Host = host
		return s.do(req)
	}
	for range 2 { // the second GET of each would be a cache hit
		for _, host := range []string{"rebind.attacker.example", "rebind.attacker.example:8080", "news.example.attacker.example", "10.0.0.5:8080", ""} {
			rec := request(http.MethodGet, harbourPath, host)
			assertStatus(t, rec, http.StatusMisdirectedRequest)
			assertLacks(t, body(t, rec), "Night market opens")
		}
		for _, host := range []string{"news.example", "NEWS.example.", "news.example:443", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "dev.localhost"} {
			assertStatus(t, request(http.MethodGet, harbourPath, host), http.StatusOK)
		}
	}
	assertStatus(t, request(http.MethodPost, harbourPath+"/comments", "rebind.attacker.example"), http.StatusMisdirectedRequest)
	if n := len(s.comments("")); n != 0 {
		t.Errorf("a post under another host name stored %d comments", n)
	}
	assertStatus(t, request(http.MethodPost, harbourPath+"/comments", "news.example"), http.StatusSeeOther)
	// Probes and scrapers address the machine by its IP.
	assertStatus(t, request(http.MethodGet, "/healthz", "10.0.0.5:8080"), http.StatusOK)
}

func TestStrictTransportSecurityOverTLSOnly(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	if got := s.get("/").Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS over plain HTTP: %q", got)
	}
	// httptest gives a request to an https address a TLS connection state.
	rec := s.do(httptest.NewRequest(http.MethodGet, "https://news.example/", nil))
	if got := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=63072000") {
		t.Errorf("HSTS over TLS: %q", got)
	}
	for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin"} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", csp)
	}
	// X-Forwarded-Proto counts from a trusted proxy only, on rendered and
	// on cached pages alike (the second request of each is a cache hit).
	forwarded := func(peer string) string {
		req := httptest.NewRequest(http.MethodGet, "/archive", nil)
		req.RemoteAddr = peer + ":4000"
		req.Header.Set("X-Forwarded-Proto", "https")
		return s.do(req).Header().Get("Strict-Transport-Security")
	}
	// Not from a peer on the local network or this machine either, unless
	// it is a named proxy (Echo's default trusts those ranges).
	for range 2 {
		for _, peer := range []string{"198.51.100.7", "192.168.5.5", "127.0.0.1"} {
			if got := forwarded(peer); got != "" {
				t.Errorf("HSTS for X-Forwarded-Proto from %s, not a trusted proxy: %q", peer, got)
			}
		}
	}
	s.trustProxies("10.0.0.0/8")
	for range 2 {
		if got := forwarded("10.1.2.3"); !strings.HasPrefix(got, "max-age=63072000") {
			t.Errorf("HSTS for X-Forwarded-Proto from the trusted proxy: %q", got)
		}
		if got := forwarded("192.168.5.5"); got != "" {
			t.Errorf("HSTS for X-Forwarded-Proto from another peer: %q", got)
		}
	}
}

// trustProxies rebuilds the site's app behind proxies in this range.
func (s *testSite) trustProxies(cidr string) {
	s.t.Helper()
	_, proxy, err := net.ParseCIDR(cidr)
	if err != nil {
		s.t.Fatal(err)
	}
	s.opts.TrustedProxies = []*net.IPNet{proxy}
	s.rebuild()
}

// rebuild makes the application again from s.opts, which a test changed.
func (s *testSite) rebuild() {
	s.t.Helper()
	var err error
	if s.e, err = New(context.Background(), s.opts); err != nil {
		s.t.Fatal(err)
	}
}

// TestWritesRefusedWhenTheDatabaseIsGone removes the database's files under
// the running site (all of them, or only the WAL and its index, whose loss
// takes every commit since with it): every write is refused with 503 and
// the writer's text kept (a comment, an article), /healthz says so, and
// reading goes on.
func TestWritesRefusedWhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	for name, suffixes := range map[string][]string{"every file": {"", "-wal", "-shm"}, "the WAL and its index": {"-wal", "-shm"}, "the index": {"-shm"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, siteFiles)
			s.addUser("maya", account.Editor, goodPassword)
			b := s.browser("198.51.100.60")
			b.login("maya", goodPassword)
			for _, suffix := range suffixes {
				if err := os.Remove(s.dbPath + suffix); err != nil {
					t.Fatal(err)
				}
			}
			assertStatus(t, s.get("/healthz"), http.StatusServiceUnavailable)
			// A write without a form to send back says what happened.
			signOut := b.postForm("/admin", "/admin/logout", url.Values{})
			assertStatus(t, signOut, http.StatusServiceUnavailable)
			assertContains(t, body(t, signOut), "We cannot save anything at the moment")
			rec := s.postForm(harbourPath+"/comments", goodComment(), nil)
			assertStatus(t, rec, http.StatusServiceUnavailable)
			assertContains(t, body(t, rec), "We could not store your opinion just now", "Lovely evening.", `value="Dana K."`)
			_, html := b.save("/admin/articles/new", "/admin/articles", articleForm("Kept headline", "Kept body text", "draft", ""), http.StatusServiceUnavailable)
			assertContains(t, html, "could not be saved just now", `value="Kept headline"`, "Kept body text")
			assertStatus(t, s.get(harbourPath), http.StatusOK) // readers still read what was there
		})
	}
}

// TestErrorHandlerBranches: a request whose client left is logged as 499
// (not the 200 nothing was sent with), and one whose time ran out is 503
// with Retry-After.
func TestErrorHandlerBranches(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	s.do(httptest.NewRequest(http.MethodGet, "/section/city?page=2", nil).WithContext(gone))
	if !strings.Contains(s.logs.String(), `path=/section/city status=499`) {
		t.Errorf("a canceled request is not logged as 499:\n%s", s.logs.String())
	}
	late, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	rec := s.do(httptest.NewRequest(http.MethodGet, "/tag/markets", nil).WithContext(late))
	assertStatus(t, rec, http.StatusServiceUnavailable)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After on a request that ran out of time")
	}
}

// TestBusyDatabaseAnswers503 holds the database's write lock from another
// connection (as a long import in another process would) past the busy
// timeout: a newsroom save is answered 503 with Retry-After, and a reader's
// comment comes back in its form with the text; both work once the lock
// is gone. (It waits the store's busy timeout, 5 s, twice.)
func TestBusyDatabaseAnswers503(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("boss", account.Admin, goodPassword)
	b := s.browser("198.51.100.90")
	b.login("boss", goodPassword)
	token := b.csrf("/admin/settings")
	lock, err := sql.Open("sqlite", "file:"+s.dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	conn, err := lock.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	form := settingsForm("approve", "0", "20")
	form.Set("_csrf", token)
	rec := b.post("/admin/settings", form)
	assertStatus(t, rec, http.StatusServiceUnavailable)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a busy database's 503 has no Retry-After")
	}
	rec = s.postForm(harbourPath+"/comments", goodComment(), nil)
	assertStatus(t, rec, http.StatusServiceUnavailable)
	assertContains(t, body(t, rec), "We could not store your opinion just now", "Lovely evening.")
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	assertStatus(t, s.postForm(harbourPath+"/comments", goodComment(), nil), http.StatusSeeOther)
	assertStatus(t, b.post("/admin/settings", form), http.StatusSeeOther) // (a new zone: the story's address moves)
}
