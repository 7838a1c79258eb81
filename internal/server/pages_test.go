package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

func TestHomePage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.get("/")
	assertStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type: got %q, want text/html", ct)
	}
	html := body(t, rec)
	assertContains(t, html,
		`<html lang="en" dir="ltr">`,
		`href="/2024/06/20/harbour-night-market"`,
		`Thu 20 Jun 2024 4:53 pm - Jerusalem Time`, // midday story, site-local
		`Thu 20 Jun 2024 1:30 am - Jerusalem Time`, // 22:30 UTC the day before
		`Stalls on the quay.`,
		`0 opinions`,
	)
	assertLacks(t, html, "Secret draft", "Scheduled story")
	// Newest first: the autumn 2025 story comes before the 2024 ones.
	if strings.Index(html, "First winter evening") > strings.Index(html, "Night market opens") {
		t.Error("home page is not newest first")
	}
}

func TestHomePagination(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for i := range 45 {
		files[fmt.Sprintf("a%02d.md", i)] = articleFile(fmt.Sprintf("Story number %02d", i), fmt.Sprintf("story-%02d", i),
			fmt.Sprintf("2024-01-%02dT10:%02d:00Z", 1+i%28, i), "", "Text.")
	}
	s := newTestSite(t, files)
	// Follow the "Older" links from the front page: pages by cursor, each
	// story once, 20 + 20 + 5.
	nextLink := regexp.MustCompile(`<link rel="next" href="https://news.example(/[^"]*)">`)
	seen := map[string]bool{}
	var counts []int
	var pages []string
	for target := "/"; target != ""; {
		rec := s.get(target)
		assertStatus(t, rec, http.StatusOK)
		html := body(t, rec)
		if len(pages) == 0 {
			assertLacks(t, html, `rel="prev"`)
		} else {
			assertContains(t, html, `rel="prev"`, fmt.Sprintf("page %d", len(pages)+1))
		}
		stories := regexp.MustCompile(`Story number \d\d`).FindAllString(html, -1)
		for _, st := range stories {
			if seen[st] {
				t.Errorf("%s: %s was on an earlier page", target, st)
			}
			seen[st] = true
		}
		counts = append(counts, strings.Count(html, `class="story-card"`))
		pages = append(pages, target)
		target = ""
		if m := nextLink.FindStringSubmatch(html); m != nil {
			target = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(target, "before=") {
				t.Errorf("older page %q is not reached by cursor", target)
			}
		}
		if len(pages) > 5 {
			t.Fatal("the pages do not end")
		}
	}
	if fmt.Sprint(counts) != "[20 20 5]" || len(seen) != 45 {
		t.Errorf("pages %v hold %v stories (%d different), want [20 20 5] and 45", pages, counts, len(seen))
	}
	// The newer link of the last page leads back to the second page's stories.
	last := body(t, s.get(pages[2]))
	prev := regexp.MustCompile(`<a class="pager-prev" rel="prev" href="([^"]+)"`).FindStringSubmatch(last)
	if prev == nil {
		t.Fatal("the last page has no newer link")
	}
	if a, b := body(t, s.get(strings.ReplaceAll(prev[1], "&amp;", "&"))), body(t, s.get(pages[1])); strings.Count(a, "Story number") != strings.Count(b, "Story number") ||
		regexp.MustCompile(`Story number \d\d`).FindString(a) != regexp.MustCompile(`Story number \d\d`).FindString(b) {
		t.Errorf("the newer page of %s is not %s", pages[2], pages[1])
	}
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/?page=1", 200}, {"/?page=2", 200}, {"/?page=3", 200}, {"/?page=4", 404},
		{"/?page=11", 404}, // deeper than an offset may go: older pages are reached by cursor
		{"/?page=0", 404}, {"/?page=-1", 404}, {"/?page=abc", 404}, {"/?page=02", 404},
		{"/?page=99999999999999999999", 404},
		{"/?before=abc", 404}, {"/?before=0", 404}, {"/?before=1&after=2", 404}, {"/?before=99999", 404},
		{"/?before=" + strings.Repeat("9", 30), 404},
	} {
		t.Run(tc.target, func(t *testing.T) {
			if rec := s.get(tc.target); rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
		})
	}
}

func TestArticlePage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.get("/2024/06/20/harbour-night-market")
	assertStatus(t, rec, http.StatusOK)
	html := body(t, rec)
	assertContains(t, html,
		`<h1 class="story-headline">Night market opens</h1>`,
		`<time class="dateline" datetime="2024-06-19T22:30:00Z">Thu 20 Jun 2024 1:30 am - Jerusalem Time</time>`,
		`By <a class="author" rel="author" href="/author/tomer-galili">Tomer Galili</a>`,
		`<p>The quay was <em>packed</em>.</p>`,
		`<li><a class="tag" href="/tag/markets">markets</a></li>`, `<p class="kicker">City</p>`,
		`<h2 id="opinions-heading">Share your opinion</h2>`,
		`<form id="comment-form" class="opinion-form" method="post" action="/2024/06/20/harbour-night-market/comments#comment-form"`,
		`<label for="comment-name">Name</label>`, `<label for="comment-email">Email`, `<label for="comment-body">Comment</label>`,
		`class="site-nav"`,
	)
	// Raw HTML in the Markdown is sanitised away, never passed through.
	assertLacks(t, html, "<script>alert", "alert(&#39;x&#39;)")
	if got := rec.Header().Get("Cache-Control"); got == "no-store" {
		t.Errorf("plain article page is no-store; it must stay cacheable")
	}
}

func TestArticleAddresses(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	tests := []struct {
		name     string
		target   string
		status   int
		location string
	}{
		{"canonical", "/2024/06/20/harbour-night-market", 200, ""},
		{"UTC date redirects to local date", "/2024/06/19/harbour-night-market", 301, "/2024/06/20/harbour-night-market"},
		{"other date redirects", "/2020/01/01/harbour-night-market", 301, "/2024/06/20/harbour-night-market"},
		{"trailing slash", "/2024/06/20/harbour-night-market/", 308, "/2024/06/20/harbour-night-market"},
		{"form address", "/2024/06/20/harbour-night-market/comments", 303, "/2024/06/20/harbour-night-market#comments"},
		{"unknown slug", "/2024/06/20/no-such-story", 404, ""},
		{"form address of unknown slug", "/2024/06/20/no-such-story/comments", 404, ""},
		{"draft", "/2024/06/20/secret-draft", 404, ""},
		{"scheduled", "/2030/03/02/scheduled-story", 404, ""},
		{"impossible date", "/2024/02/30/harbour-night-market", 404, ""},
		{"month 13", "/2024/13/01/harbour-night-market", 404, ""},
		{"one-digit month", "/2024/6/20/harbour-night-market", 404, ""},
		{"bad slug", "/2024/06/20/Harbour_Night", 404, ""},
		{"sql in slug", "/2024/06/20/x'%20OR%20'1'='1", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.get(tc.target)
			assertStatus(t, rec, tc.status)
			if got := rec.Header().Get("Location"); got != tc.location {
				t.Errorf("Location: got %q, want %q", got, tc.location)
			}
		})
	}
}

func TestRightToLeftArticle(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.get("/2025/04/08/spring-flowers")
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), `<html lang="ar" dir="rtl">`, "أزهار الربيع")
	home := body(t, s.get("/"))
	assertContains(t, home, `<li class="story-card" lang="ar" dir="rtl">`)
}

func TestErrorPagesUseSiteLayout(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, target := range []string{"/no/such/page/here/at/all", "/nonsense", "/2024/02/30"} {
		rec := s.get(target)
		assertStatus(t, rec, http.StatusNotFound)
		assertContains(t, body(t, rec), `class="site-header"`, "Page not found", "Error 404")
	}
	// HEAD gets the status without a body.
	rec := s.do(httptest.NewRequest(http.MethodHead, "/nonsense", nil))
	if rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
		t.Errorf("HEAD 404: got %d with %d bytes, want 404 with none", rec.Code, rec.Body.Len())
	}
	rec = s.do(httptest.NewRequest(http.MethodHead, "/", nil))
	assertStatus(t, rec, http.StatusOK)
}

func TestPanicIsRecoveredAndLogged(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.e.GET("/boom", func(c echo.Context) error { panic("kaboom in handler") })
	rec := s.get("/boom")
	assertStatus(t, rec, http.StatusInternalServerError)
	html := body(t, rec)
	assertContains(t, html, `class="site-header"`, "Something went wrong")
	assertLacks(t, html, "kaboom")
	logs := s.logs.String()
	assertContains(t, logs, "level=ERROR", "status=500", "kaboom in handler", "goroutine")
	if n := strings.Count(logs, "kaboom in handler"); n != 1 {
		t.Errorf("panic logged %d times, want once", n)
	}
}

func TestStoreFailureIs500(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.store.Close()
	rec := s.get("/")
	assertStatus(t, rec, http.StatusInternalServerError)
	assertLacks(t, body(t, rec), "sql", "database")
	assertContains(t, s.logs.String(), "store: latest articles")
}

func TestStaticAndHeaders(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.get("/static/css/site.css")
	assertStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("CSS Content-Type: got %q", ct)
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=3600" {
		t.Errorf("CSS Cache-Control: got %q", got)
	}
	head := s.do(httptest.NewRequest(http.MethodHead, "/static/css/site.css", nil))
	if head.Code != http.StatusOK || head.Body.Len() != 0 {
		t.Errorf("HEAD CSS: got %d with %d bytes, want 200 with none", head.Code, head.Body.Len())
	}
	for _, target := range []string{"/static/../go.mod", "/static/%2e%2e/static.go", "/static/css/missing.css",
		"/static", "/static/", "/static/css", "/static/css/", "/static/static.go/", "/static/css/..%2fstatic.go",
		"/static/css%5c..%5cstatic.go", "/static/css/site.css%00", "/static//css/site.css"} {
		rec := s.get(target)
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "package static") {
			t.Errorf("GET %s: got %d, want 404", target, rec.Code)
		}
	}
	rec = s.get("/")
	for header, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Content-Security-Policy": contentSecurityPolicy,
	} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("%s: got %q, want %q", header, got, want)
		}
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
}
