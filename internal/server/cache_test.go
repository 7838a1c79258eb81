package server

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

const middayPath = "/2024/06/20/midday-story"

// sneak changes the database behind the store's back: no change is
// logged, so a page that shows the old text afterwards came from the
// cache, and one that shows the new text was rendered again.
func (s *testSite) sneak(query string, args ...any) {
	s.t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		s.t.Fatal(err)
	}
}

// sneakHeadlines gives every article a headline it never had through the
// store: "Sneaky <slug>".
func (s *testSite) sneakHeadlines() {
	s.t.Helper()
	s.sneak(`UPDATE articles SET headline = 'Sneaky ' || slug`)
}

// metric reads one figure of /metrics, as the machine itself would.
func (s *testSite) metric(name string) float64 {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:9999"
	m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(body(s.t, s.do(req)))
	if m == nil {
		s.t.Fatalf("no %s in /metrics", name)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

func approvedComment(t *testing.T, s *testSite, articleSlug, text string) int64 {
	t.Helper()
	ctx := context.Background()
	a, err := s.store.ArticleBySlug(ctx, articleSlug, testNow)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.store.AddComment(ctx, comment.Comment{ArticleID: a.ID, Name: "Reader", Body: text,
		Status: comment.Pending, CreatedAt: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPageCacheKeepsPagesUntilAWriteChangesThem(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	pages := []string{"/", harbourPath, middayPath, "/section/city", "/section/science", "/feed.atom", "/archive"}
	for _, p := range pages {
		assertStatus(t, s.get(p), http.StatusOK)
	}
	s.sneakHeadlines()
	for _, p := range pages {
		assertLacks(t, body(t, s.get(p)), "Sneaky")
	}

	// An approved comment changes its article's page and the listings that
	// show its count; the other article's page and the other section stay.
	id := approvedComment(t, s, "harbour-night-market", "Cached or not?")
	if err := s.store.SetCommentStatus(context.Background(), id, comment.Approved); err != nil {
		t.Fatal(err)
	}
	assertContains(t, body(t, s.get(harbourPath)), "Sneaky harbour-night-market", "Cached or not?")
	assertContains(t, body(t, s.get("/")), "Sneaky harbour-night-market")
	assertContains(t, body(t, s.get("/section/city")), "Sneaky harbour-night-market")
	assertLacks(t, body(t, s.get(middayPath)), "Sneaky")
	assertLacks(t, body(t, s.get("/section/science")), "Sneaky")
	assertLacks(t, body(t, s.get("/feed.atom")), "Sneaky") // feeds show no comments

	// Editing an article changes the listings, its section's pages and its
	// own page; a section it is not in keeps its cached page.
	ctx := context.Background()
	a, err := s.store.ArticleBySlug(ctx, "midday-story", testNow)
	if err != nil {
		t.Fatal(err)
	}
	a.Headline = "Midday, revised"
	if err := s.store.UpdateArticle(ctx, store.ArticleSave{Article: a, BasedOn: a.Version, Revision: revisionBy("test")}); err != nil {
		t.Fatal(err)
	}
	assertContains(t, body(t, s.get(middayPath)), "Midday, revised")
	assertContains(t, body(t, s.get("/section/science")), "Midday, revised")
	assertContains(t, body(t, s.get("/feed.atom")), "Midday, revised")
	assertContains(t, body(t, s.get("/archive")), "Archive")
	// The harbour page (section City) was re-rendered by the comment and
	// is still cached: a second sneak does not show.
	s.sneak(`UPDATE articles SET headline = 'Twice ' || slug`)
	assertLacks(t, body(t, s.get(harbourPath)), "Twice")
	assertLacks(t, body(t, s.get("/section/city")), "Twice")

	// Moving the article to the trash: readers get 410 at once.
	if err := s.store.SetArticleTrashed(ctx, a.ID, true, testNow, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	assertStatus(t, s.get(middayPath), http.StatusGone)
	assertLacks(t, body(t, s.get("/")), "Midday, revised")
}

func TestPageCacheFollowsSettingsAndNavigation(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	assertStatus(t, s.get(harbourPath), http.StatusOK)
	set := testDefaults
	set.Name = "The Harbour Herald"
	if err := s.store.SaveSiteSettings(context.Background(), set, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	// Saved through the store, not the newsroom: the change log still
	// tells the server, which reloads the settings and drops every page.
	assertContains(t, body(t, s.get(harbourPath)), "The Harbour Herald")
}

func TestScheduledStoryAppearsThroughAWarmCache(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	assertLacks(t, body(t, s.get("/")), "Scheduled story")
	assertLacks(t, body(t, s.get("/feed.rss")), "Scheduled story")
	assertLacks(t, body(t, s.get("/")), "Scheduled story") // from the cache
	// One second before its time it is still hidden; at its time it is out.
	at := time.Date(2030, 3, 2, 7, 0, 0, 0, time.UTC)
	s.clock.Advance(at.Add(-time.Second).Sub(s.clock.Now()))
	assertLacks(t, body(t, s.get("/")), "Scheduled story")
	s.clock.Advance(time.Second)
	assertContains(t, body(t, s.get("/")), "Scheduled story")
	assertContains(t, body(t, s.get("/feed.rss")), "Scheduled story")
	assertStatus(t, s.get("/2030/03/02/scheduled-story"), http.StatusOK)
}

func TestPageCacheSeesWritesOfAnotherProcess(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	assertStatus(t, s.get(harbourPath), http.StatusOK)
	// "dateline comments approve" opens its own store on the same file.
	other, err := store.Open(context.Background(), s.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	a, err := other.ArticleBySlug(context.Background(), "harbour-night-market", testNow)
	if err != nil {
		t.Fatal(err)
	}
	id, err := other.AddComment(context.Background(), comment.Comment{ArticleID: a.ID, Name: "From the shell",
		Body: "Approved from the command line.", Status: comment.Pending, CreatedAt: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetCommentStatus(context.Background(), id, comment.Approved); err != nil {
		t.Fatal(err)
	}
	// The server reads the change log every watchInterval; wait a bounded
	// number of intervals for it.
	for i := 0; ; i++ {
		if strings.Contains(body(t, s.get(harbourPath)), "Approved from the command line.") {
			break
		}
		if i == 40 {
			t.Fatalf("the page did not change within %v of another process's write", 40*watchInterval/2)
		}
		time.Sleep(watchInterval / 2)
	}
}

func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, target := range []string{"/", harbourPath, "/feed.atom", "/feed.rss", "/sitemap.xml", "/news-sitemap.xml", "/archive"} {
		t.Run(target, func(t *testing.T) {
			first := s.get(target)
			assertStatus(t, first, http.StatusOK)
			etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
			if etag == "" || lm == "" {
				t.Fatalf("ETag %q, Last-Modified %q: want both", etag, lm)
			}
			if got := first.Header().Get("Cache-Control"); got != "public, max-age=60, stale-while-revalidate=600" {
				t.Errorf("Cache-Control: got %q", got)
			}
			if got := first.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary: got %q", got)
			}
			for name, header := range map[string]map[string]string{
				"If-None-Match":           {"If-None-Match": etag},
				"If-None-Match, a list":   {"If-None-Match": `"other", ` + etag},
				"If-None-Match, weak":     {"If-None-Match": "W/" + etag},
				"If-Modified-Since":       {"If-Modified-Since": lm},
				"If-Modified-Since later": {"If-Modified-Since": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)},
			} {
				t.Run(name, func(t *testing.T) {
					req := httptest.NewRequest(http.MethodGet, target, nil)
					for k, v := range header {
						req.Header.Set(k, v)
					}
					rec := s.do(req)
					if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
						t.Errorf("got %d with %d bytes, want 304 with none", rec.Code, rec.Body.Len())
					}
					if rec.Header().Get("ETag") != etag {
						t.Errorf("304 ETag %q, want %q", rec.Header().Get("ETag"), etag)
					}
				})
			}
			// If-None-Match decides alone when present (RFC 9110 13.2.2).
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("If-None-Match", `"something-else"`)
			req.Header.Set("If-Modified-Since", lm)
			assertStatus(t, s.do(req), http.StatusOK)
		})
	}
}

func TestNotModifiedOnlyWhenTheBytesAreTheSame(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	first := s.get(harbourPath)
	etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	conditional := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, harbourPath, nil)
		req.Header.Set("If-None-Match", etag)
		return s.do(req)
	}
	// A write that drops the page but changes none of its bytes: still 304,
	// and the date stays, so If-Modified-Since keeps matching too.
	if err := s.store.SaveSiteSettings(context.Background(), testDefaults, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(2 * time.Second)
	assertStatus(t, conditional(), http.StatusNotModified)
	if got := s.get(harbourPath).Header().Get("Last-Modified"); got != lm {
		t.Errorf("Last-Modified after an unchanged render: got %q, want %q", got, lm)
	}
	// A write that changes the bytes: 200 with a new ETag and a later date,
	// even within the same second.
	id := approvedComment(t, s, "harbour-night-market", "New bytes.")
	if err := s.store.SetCommentStatus(context.Background(), id, comment.Approved); err != nil {
		t.Fatal(err)
	}
	rec := conditional()
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), "New bytes.")
	if rec.Header().Get("ETag") == etag {
		t.Error("new bytes kept the old ETag")
	}
	newLM, _ := http.ParseTime(rec.Header().Get("Last-Modified"))
	oldLM, _ := http.ParseTime(lm)
	if !newLM.After(oldLM) {
		t.Errorf("Last-Modified %v is not after %v", newLM, oldLM)
	}
	req := httptest.NewRequest(http.MethodGet, harbourPath, nil)
	req.Header.Set("If-Modified-Since", lm)
	assertStatus(t, s.do(req), http.StatusOK)
}

func TestPrivatePagesAreNeverCached(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, target := range []string{harbourPath + "?comment=pending", "/admin/login", "/healthz", "/?utm_source=x"} {
		t.Run(target, func(t *testing.T) {
			first := s.get(target)
			if first.Header().Get("ETag") != "" {
				t.Errorf("ETag %q on a page that is not cached", first.Header().Get("ETag"))
			}
			if strings.HasPrefix(target, harbourPath) || strings.HasPrefix(target, "/?") {
				s.sneak(`UPDATE articles SET headline = ? WHERE slug = 'harbour-night-market'`, "Fresh "+target)
				assertContains(t, body(t, s.get(target)), "Fresh "+target)
			}
		})
	}
	rec := s.get(harbourPath + "?comment=pending")
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("notice page Cache-Control: got %q, want no-store", got)
	}
	rec = s.get("/admin/login")
	if got := rec.Header().Get("Cache-Control"); !strings.Contains(got, "no-store") {
		t.Errorf("newsroom Cache-Control: got %q, want no-store", got)
	}
}

func TestBurstForOnePageRendersItOnce(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	before := s.metric("dateline_page_renders_total")
	var wg sync.WaitGroup
	codes := make([]int, 32)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = s.get(harbourPath).Code
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("request %d: status %d", i, code)
		}
	}
	if got := s.metric("dateline_page_renders_total") - before; got != 1 {
		t.Errorf("32 parallel requests rendered the page %v times, want 1", got)
	}
}

func TestCacheKeyIgnoresNothingThePageReads(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		target, key string
		ok          bool
	}{
		{"/", "/", true},
		{"/?page=2", "/?page=2", true},
		{"/search?section=City&q=night", "/search?q=night&section=City", true},
		{"/?page=2&utm_source=x", "", false},
		{"/2024/06/20/harbour-night-market?comment=pending", "", false},
		{"/admin/articles", "", false},
		{"/static/css/site.css", "", false},
		{"/media/abc.png", "", false},
		{"/metrics", "", false},
		{"/%D8%A3", "/%D8%A3", true},
	} {
		t.Run(tc.target, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.target, nil)
			key, ok := pageCacheKey(req.URL)
			if key != tc.key || ok != tc.ok {
				t.Errorf("pageCacheKey(%s): got %q %v, want %q %v", tc.target, key, ok, tc.key, tc.ok)
			}
		})
	}
}

func revisionBy(name string) article.Revision {
	return article.Revision{SavedAt: testNow, Username: name}
}
