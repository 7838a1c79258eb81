package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
)

const goodPassword = "a long enough phrase"

func TestAdminRoutesNeedSignIn(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	anon := s.browser("198.51.100.1")
	for _, tc := range []struct{ method, target, next string }{
		{"GET", "/admin", "/admin"},
		{"GET", "/admin/comments?status=spam", "/admin/comments?status=spam"},
		{"GET", "/admin/audit", "/admin/audit"},
		{"POST", "/admin/comments", "/admin"},
		{"POST", "/admin/logout", "/admin"},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			var rec = anon.get(tc.target)
			if tc.method == "POST" {
				rec = anon.postForm("/admin/login", tc.target, url.Values{"one": {"approve:1"}})
			}
			assertStatus(t, rec, http.StatusSeeOther)
			if got, want := rec.Header().Get("Location"), "/admin/login?next="+url.QueryEscape(tc.next); got != want {
				t.Errorf("Location %q, want %q", got, want)
			}
		})
	}
	rec := anon.get("/admin/login")
	assertStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("login page Cache-Control: got %q, want no-store", got)
	}
}

func TestEditorAndAdminPermissions(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("editor", account.Editor, goodPassword)
	s.addUser("boss", account.Admin, goodPassword)
	ed := s.browser("198.51.100.2")
	ed.login("editor", goodPassword)
	assertStatus(t, ed.get("/admin/comments"), http.StatusOK)
	assertStatus(t, ed.get("/admin/audit"), http.StatusForbidden)
	assertLacks(t, body(t, ed.get("/admin")), `href="/admin/audit"`)

	boss := s.browser("198.51.100.3")
	boss.login("boss", goodPassword)
	rec := boss.get("/admin/audit")
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), "<td>login</td>", "<td>editor</td>", "198.51.100.2")
}

func TestLoginLogoutAndSessionRotation(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.4")

	for _, tc := range []struct{ name, username, password string }{
		{"wrong password", "maya", "not the password"},
		{"unknown user", "nobody", goodPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := b.postForm("/admin/login", "/admin/login", url.Values{"username": {tc.username}, "password": {tc.password}})
			assertStatus(t, rec, http.StatusUnauthorized)
			html := body(t, rec)
			assertContains(t, html, "Invalid username or password.", `value="`+tc.username+`"`)
			assertLacks(t, html, tc.password)
			if _, ok := b.cookies[sessionCookie]; ok {
				t.Fatalf("%s: got a session cookie", tc.name)
			}
		})
	}

	rec := b.postForm("/admin/login?next=/admin/comments", "/admin/login",
		url.Values{"username": {" Maya "}, "password": {goodPassword}, "next": {"/admin/comments?status=spam"}})
	assertStatus(t, rec, http.StatusSeeOther)
	if got := rec.Header().Get("Location"); got != "/admin/comments?status=spam" {
		t.Errorf("Location after login: got %q", got)
	}
	cookie := b.cookies[sessionCookie]
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/admin" || len(cookie.Value) < 43 {
		t.Fatalf("session cookie: got %+v", cookie)
	}
	first := cookie.Value
	assertContains(t, body(t, b.get("/admin")), "Maya (editor)", `<a href="/admin/articles?state=draft">Drafts</a> <span class="count">1 article</span>`,
		`<a href="/admin/articles?state=scheduled">Scheduled</a> <span class="count">1 article</span>`,
		`<a href="/admin/articles?state=published">Published</a> <span class="count">8 articles</span>`)

	// Signing in again gives a new id, and the old one stops working.
	b.login("maya", goodPassword)
	if b.cookies[sessionCookie].Value == first {
		t.Fatal("session id was not rotated at login")
	}
	stale := s.browser("198.51.100.4")
	stale.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: first, Path: "/admin"}
	assertStatus(t, stale.get("/admin"), http.StatusSeeOther)

	// A session id chosen by the client is never adopted.
	fixed := s.browser("198.51.100.5")
	fixed.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: "attacker-chosen", Path: "/admin"}
	fixed.login("maya", goodPassword)
	if fixed.cookies[sessionCookie].Value == "attacker-chosen" {
		t.Fatal("login kept a client-chosen session id")
	}

	current := b.cookies[sessionCookie].Value
	rec = b.postForm("/admin", "/admin/logout", url.Values{})
	assertStatus(t, rec, http.StatusSeeOther)
	replay := s.browser("198.51.100.4")
	replay.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: current, Path: "/admin"}
	if rec := replay.get("/admin"); rec.Code != http.StatusSeeOther {
		t.Errorf("session still works after logout: %d", rec.Code)
	}
	entries, _ := s.store.AuditLog(context.Background(), 50, 0)
	var actions []string
	for _, e := range entries {
		actions = append(actions, string(e.Action))
	}
	for _, want := range []audit.Action{audit.Login, audit.LoginFailed, audit.Logout} {
		if !strings.Contains(strings.Join(actions, " "), string(want)) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)

	idle := s.browser("198.51.100.6")
	idle.login("maya", goodPassword)
	s.clock.Advance(sessionIdle + time.Minute)
	assertStatus(t, idle.get("/admin"), http.StatusSeeOther)

	busy := s.browser("198.51.100.7")
	busy.login("maya", goodPassword)
	for range int(sessionLifetime/time.Hour) - 1 {
		s.clock.Advance(time.Hour)
		assertStatus(t, busy.get("/admin"), http.StatusOK)
	}
	s.clock.Advance(2 * time.Hour)
	assertStatus(t, busy.get("/admin"), http.StatusSeeOther)
}

func TestDisabledUserIsLockedOut(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	u := s.addUser("gone", account.Editor, goodPassword)
	b := s.browser("198.51.100.8")
	b.login("gone", goodPassword)
	if err := s.store.SetUserDisabled(context.Background(), u.ID, true, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	assertStatus(t, b.get("/admin"), http.StatusSeeOther)
	rec := s.browser("198.51.100.8").postForm("/admin/login", "/admin/login", url.Values{"username": {"gone"}, "password": {goodPassword}})
	assertStatus(t, rec, http.StatusUnauthorized)
	assertContains(t, body(t, rec), "Invalid username or password.")
}

func TestAdminCSRF(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	a, _ := s.store.ArticleBySlug(context.Background(), "harbour-night-market", testNow)
	id, err := s.store.AddComment(context.Background(), comment.Comment{ArticleID: a.ID, Name: "R", Body: "hi", Status: comment.Pending, CreatedAt: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser("198.51.100.9")

	// Login CSRF: no token, or a wrong one, signs nobody in.
	for _, token := range []string{"", "wrong-token"} {
		b.csrf("/admin/login") // the browser has its cookie
		form := url.Values{"username": {"maya"}, "password": {goodPassword}}
		if token != "" {
			form.Set("_csrf", token)
		}
		rec := b.post("/admin/login", form)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("login with token %q: got %d, want 4xx", token, rec.Code)
		}
		if _, ok := b.cookies[sessionCookie]; ok {
			t.Errorf("login with token %q started a session", token)
		}
	}

	b.login("maya", goodPassword)
	for _, token := range []string{"", "wrong-token"} {
		form := url.Values{"one": {"approve:" + strconv.FormatInt(id, 10)}}
		if token != "" {
			form.Set("_csrf", token)
		}
		rec := b.post("/admin/comments", form)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("moderation with token %q: got %d, want 4xx", token, rec.Code)
		}
	}
	// A valid token from another site's page is still refused by the
	// cross-origin check.
	form := url.Values{"one": {"approve:" + strconv.FormatInt(id, 10)}, "_csrf": {b.csrf("/admin/comments")}}
	req := httptestForm("/admin/comments", form)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	assertStatus(t, b.do(req), http.StatusForbidden)
	if pending, _ := s.store.Comments(context.Background(), comment.Pending, 10, 0); len(pending) != 1 {
		t.Errorf("a refused request changed the comment: %d pending, want 1", len(pending))
	}
	rec := b.postForm("/admin/comments", "/admin/comments", url.Values{"one": {"approve:" + strconv.FormatInt(id, 10)}})
	assertStatus(t, rec, http.StatusSeeOther)
	if approved, _ := s.store.ApprovedComments(context.Background(), a.ID); len(approved) != 1 {
		t.Errorf("with a valid token the comment was not approved")
	}
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	s.addUser("noa", account.Editor, goodPassword)
	wrong := func(b *browser, username string, i int) {
		t.Helper()
		rec := b.postForm("/admin/login", "/admin/login", url.Values{"username": {username}, "password": {"wrong password " + strconv.Itoa(i)}})
		assertStatus(t, rec, http.StatusUnauthorized)
	}
	right := func(b *browser, username string) *httptest.ResponseRecorder {
		return b.postForm("/admin/login", "/admin/login", url.Values{"username": {username}, "password": {goodPassword}})
	}
	// Maya's own laptop has signed in before.
	laptop := s.browser("198.51.100.5")
	laptop.login("maya", goodPassword)
	laptop.postForm("/admin", "/admin/logout", url.Values{})

	// Per username and address: five failures, then even the right
	// password from there waits.
	guesser := s.browser("203.0.113.10")
	for i := range maxLoginFailures {
		wrong(guesser, "maya", i)
	}
	rec := right(guesser, "maya")
	assertStatus(t, rec, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > int(loginWindow.Seconds()) {
		t.Errorf("Retry-After: got %q", rec.Header().Get("Retry-After"))
	}
	assertContains(t, body(t, rec), "Too many failed sign-ins", `value="maya"`)
	// ... but that does not keep Maya out from anywhere else.
	s.browser("203.0.113.11").login("maya", goodPassword)

	// Per username, from many addresses: a guesser with an address for
	// every guess gets maxUserFailures a window (the five above count),
	// no more ...
	for i := range maxUserFailures - maxLoginFailures {
		wrong(s.browser("192.0.2."+strconv.Itoa(100+i)), "maya", i)
	}
	assertStatus(t, right(s.browser("192.0.2.250"), "maya"), http.StatusTooManyRequests)
	// ... and still cannot keep Maya out of the browser she signed in on,
	// from any address, nor any other user.
	laptop.ip = "192.0.2.251"
	laptop.login("maya", goodPassword)
	s.browser("203.0.113.98").login("noa", goodPassword)

	// A device cookie is limited too: a stolen one does not buy unlimited
	// guesses.
	laptop.postForm("/admin", "/admin/logout", url.Values{})
	for i := range maxLoginFailures {
		wrong(laptop, "maya", i)
	}
	assertStatus(t, right(laptop, "maya"), http.StatusTooManyRequests)
	forged := s.browser("192.0.2.252")
	forged.cookies[deviceCookie] = &http.Cookie{Name: deviceCookie, Value: "made-up.id", Path: "/admin/login"}
	assertStatus(t, right(forged, "maya"), http.StatusTooManyRequests) // counted as a new browser

	// Per address: failures against many usernames add up.
	sprayer := s.browser("192.0.2.77")
	for i := range maxAddressFailures {
		wrong(sprayer, "user"+strconv.Itoa(i), i)
	}
	assertStatus(t, right(sprayer, "noa"), http.StatusTooManyRequests)
	// An IPv6 sprayer is one client across its /64: a new address for
	// every guess does not buy more.
	for i := range maxAddressFailures {
		wrong(s.browser("2001:db8:9:9::"+strconv.Itoa(i+1)), "v6user"+strconv.Itoa(i), i)
	}
	assertStatus(t, right(s.browser("2001:db8:9:9:ffff::1"), "noa"), http.StatusTooManyRequests)
	s.browser("2001:db8:9:a::1").login("noa", goodPassword) // the next /64 is another client

	// After the window the right password works again from anywhere.
	s.clock.Advance(loginWindow + time.Second)
	s.browser("203.0.113.99").login("maya", goodPassword)
	s.browser("192.0.2.77").login("noa", goodPassword)
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                               "/admin",
		"/admin":                         "/admin",
		"/admin/comments?status=spam":    "/admin/comments?status=spam",
		"//evil.example/admin":           "/admin",
		"https://evil.example/admin":     "/admin",
		"/\\evil.example":                "/admin",
		"/admin\\..\\x":                  "/admin",
		"/administrator":                 "/admin",
		"/":                              "/admin",
		"/2024/06/20/story":              "/admin",
		"javascript:alert(1)":            "/admin",
		"/admin/../2024":                 "/admin",
		"/admin/%0d%0aSet-Cookie:x":      "/admin/%0d%0aSet-Cookie:x",
		"/admin/comments\r\nLocation: x": "/admin",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestSetupFlow(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	ctx := context.Background()
	token, hash := account.NewToken()
	if err := s.store.ReplaceSetupToken(ctx, hash, testNow); err != nil {
		t.Fatal(err)
	}
	b := s.browser("198.51.100.20")
	assertStatus(t, b.get("/admin/setup"), http.StatusNotFound)
	assertStatus(t, b.get("/admin/setup?token=wrong"), http.StatusNotFound)
	page := "/admin/setup?token=" + token
	assertStatus(t, b.get(page), http.StatusOK)

	rec := b.postForm(page, "/admin/setup", url.Values{"token": {token}, "username": {"Chief"}, "name": {"The Chief"}, "password": {"password123"}, "confirm": {"password123"}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "most common passwords", `value="chief"`, `value="The Chief"`)
	rec = b.postForm(page, "/admin/setup", url.Values{"token": {token}, "username": {"chief"}, "password": {goodPassword}, "confirm": {"different!!"}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "The two passwords differ.")
	if n, _ := s.store.UserCount(ctx); n != 0 {
		t.Fatalf("refused setup created %d users", n)
	}

	rec = b.postForm(page, "/admin/setup", url.Values{"token": {token}, "username": {"chief"}, "name": {"The Chief"}, "password": {goodPassword}, "confirm": {goodPassword}})
	assertStatus(t, rec, http.StatusSeeOther)
	assertContains(t, body(t, b.get("/admin")), "The Chief (admin)")
	if b.cookies[deviceCookie] == nil {
		t.Error("the first admin's browser got no device cookie: a flood of failures could keep it out")
	}
	u, err := s.store.UserByUsername(ctx, "chief")
	if err != nil || u.Role != account.Admin {
		t.Fatalf("first admin: got %+v, %v", u, err)
	}
	// The link is spent, and setup is gone once a user exists.
	assertStatus(t, s.browser("198.51.100.21").get(page), http.StatusNotFound)
	other := s.browser("198.51.100.21")
	rec = other.post("/admin/setup", url.Values{"token": {token}, "username": {"second"}, "password": {goodPassword}, "confirm": {goodPassword}})
	if rec.Code < 400 || rec.Code >= 500 {
		t.Errorf("second setup: got %d, want 4xx", rec.Code)
	}
	if n, _ := s.store.UserCount(ctx); n != 1 {
		t.Errorf("got %d users, want 1", n)
	}
}

func TestModerationFlow(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	ctx := context.Background()

	// A reader writes.
	for i, name := range []string{"Dana", "Ohad", "Spammer", "Ruth"} {
		form := url.Values{"name": {name}, "email": {strings.ToLower(name) + "@example.com"}, "body": {"Opinion number " + strconv.Itoa(i)}}
		rec := s.postForm(harbourPath+"/comments", form, map[string]string{"User-Agent": "ReaderBrowser/" + strconv.Itoa(i)})
		assertStatus(t, rec, http.StatusSeeOther)
		s.clock.Advance(time.Minute)
	}
	b := s.browser("198.51.100.30")
	b.login("maya", goodPassword)
	rec := b.get("/admin/comments")
	assertStatus(t, rec, http.StatusOK)
	html := body(t, rec)
	assertContains(t, html, "Opinion number 3", "ruth@example.com", "192.0.2.1", "ReaderBrowser/3", "Night market opens",
		`<span class="badge" aria-label="4 comments waiting">4</span>`, "pending (4)")
	if strings.Index(html, "Opinion number 3") > strings.Index(html, "Opinion number 0") {
		t.Error("queue is not newest first")
	}
	pending, _ := s.store.Comments(ctx, comment.Pending, 10, 0) // newest first: Ruth, Spammer, Ohad, Dana
	id := func(i int) string { return strconv.FormatInt(pending[i].ID, 10) }

	rec = b.postForm("/admin/comments", "/admin/comments", url.Values{"one": {"approve:" + id(3)}, "status": {"pending"}})
	assertStatus(t, rec, http.StatusSeeOther)
	assertContains(t, body(t, b.get(rec.Header().Get("Location"))), "1 comment approved.")
	assertContains(t, body(t, s.get(harbourPath)), "Opinion number 0", "1 opinion<")

	rec = b.postForm("/admin/comments", "/admin/comments", url.Values{"bulk": {"1"}, "action": {"approve"}, "id": {id(0), id(2)}})
	assertStatus(t, rec, http.StatusSeeOther)
	rec = b.postForm("/admin/comments", "/admin/comments", url.Values{"one": {"spam:" + id(1)}})
	assertStatus(t, rec, http.StatusSeeOther)
	page := body(t, s.get(harbourPath))
	assertContains(t, page, "Opinion number 1", "Opinion number 3", "3 opinions")
	assertLacks(t, page, "Opinion number 2")

	rec = b.postForm("/admin/comments", "/admin/comments", url.Values{"one": {"delete:" + id(1)}})
	assertStatus(t, rec, http.StatusSeeOther)
	counts, _ := s.store.CommentCounts(ctx)
	if counts[comment.Approved] != 3 || counts[comment.Spam] != 0 || counts[comment.Pending] != 0 {
		t.Errorf("counts after moderation: %v", counts)
	}
	assertContains(t, body(t, b.get("/admin/comments?status=approved")), "approved (3)")
	for _, bad := range []url.Values{{"one": {"bury:" + id(0)}}, {"one": {"approve:x"}}, {"action": {"approve"}, "id": {"-1"}}} {
		rec := b.postForm("/admin/comments", "/admin/comments", bad)
		assertStatus(t, rec, http.StatusBadRequest)
	}
	assertStatus(t, b.postForm("/admin/comments", "/admin/comments", url.Values{"one": {"approve:999999"}}), http.StatusNotFound)
	assertStatus(t, b.get("/admin/comments?status=deleted"), http.StatusNotFound)
	assertStatus(t, b.get("/admin/comments?page=9"), http.StatusNotFound)

	entries, _ := s.store.AuditLog(ctx, 50, 0)
	n := 0
	for _, e := range entries {
		if e.Action == audit.CommentStatus || e.Action == audit.CommentDelete {
			n++
			if e.Username != "maya" {
				t.Errorf("moderation entry by %q, want maya", e.Username)
			}
		}
	}
	if n != 5 {
		t.Errorf("got %d moderation entries in the audit log, want 5", n)
	}
}

// TestLoginThrottlingHoldsUnderParallelGuesses sends many wrong passwords
// at once: the limit must hold, not only for guesses one after another.
func TestLoginThrottlingHoldsUnderParallelGuesses(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	// From one address the per-address limit holds, and from an address
	// for every guess the per-username one.
	for _, tc := range []struct {
		name      string
		username  string
		addresses int
		limit     int
	}{
		{"from one address", "ed", 1, maxLoginFailures},
		{"from an address for every guess", "eve", 32, maxUserFailures},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.addUser(tc.username, account.Editor, goodPassword)
			const guesses = 32
			forms := make([]*browser, guesses)
			tokens := make([]string, guesses)
			for i := range forms {
				forms[i] = s.browser("203.0.113." + strconv.Itoa(100+i%tc.addresses))
				tokens[i] = forms[i].csrf("/admin/login")
			}
			codes := make(chan int, guesses)
			var wg sync.WaitGroup
			for i, b := range forms {
				wg.Go(func() {
					rec := b.post("/admin/login", url.Values{"username": {tc.username}, "password": {"guess " + strconv.Itoa(i)}, "_csrf": {tokens[i]}})
					codes <- rec.Code
				})
			}
			wg.Wait()
			close(codes)
			counts := map[int]int{}
			for code := range codes {
				counts[code]++
			}
			if counts[http.StatusUnauthorized] > tc.limit || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != guesses {
				t.Errorf("parallel guesses for %s from %d addresses: %v; want at most %d checked (401), the rest 429", tc.username, tc.addresses, counts, tc.limit)
			}
		})
	}
}

func TestBulkModerationIsAllOrNothing(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	ctx := context.Background()
	a, _ := s.store.ArticleBySlug(ctx, "harbour-night-market", testNow)
	id, _ := s.store.AddComment(ctx, comment.Comment{ArticleID: a.ID, Name: "R", Body: "hi", Status: comment.Pending, CreatedAt: testNow})
	b := s.browser("198.51.100.120")
	b.login("maya", goodPassword)
	rec := b.postForm("/admin/comments", "/admin/comments", url.Values{"action": {"spam"}, "id": {strconv.FormatInt(id, 10), "99999"}})
	assertStatus(t, rec, http.StatusNotFound)
	if pending, _ := s.store.Comments(ctx, comment.Pending, 10, 0); len(pending) != 1 {
		t.Errorf("a failed batch changed %d comments", 1-len(pending))
	}
}

func TestSessionCookieIsSecureOverTLS(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.121")
	token := b.csrf("/admin/login")
	// httptest gives a request to an https address a TLS connection state.
	req := httptestForm("https://news.example/admin/login", url.Values{"username": {"maya"}, "password": {goodPassword}, "_csrf": {token}})
	rec := b.do(req)
	assertStatus(t, rec, http.StatusSeeOther)
	if c := b.cookies[sessionCookie]; c == nil || !c.Secure {
		t.Errorf("session cookie over TLS: %+v, want Secure", c)
	}
}
