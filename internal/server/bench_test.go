package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/store"
)

// benchSite is a site of 500 articles over two years, each with a body of
// realistic length, or, with DATELINE_BENCH_DB=FILE, the database in FILE
// (make one with "dateline demo-data"; it is opened as it is, so use a
// copy). The pages are served without the page cache: every request
// renders, which is what these benchmarks measure.
func benchSite(b *testing.B) (*testSite, time.Time) {
	b.Helper()
	if path := os.Getenv("DATELINE_BENCH_DB"); path != "" {
		st, err := store.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		now := time.Now()
		opts := Options{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Defaults: testDefaults,
			BaseURL: testBaseURL, NoCache: true, Now: func() time.Time { return now }}
		e, err := New(b.Context(), opts)
		if err != nil {
			b.Fatal(err)
		}
		return &testSite{t: b, e: e, store: st, opts: opts, dbPath: path}, now
	}
	files := fstest.MapFS{}
	body := strings.Repeat("A paragraph of a news story, with *some* emphasis and a [link](https://example.org).\n\n", 40)
	for i := range 500 {
		files[fmt.Sprintf("a%03d.md", i)] = articleFile(fmt.Sprintf("Story %d", i), fmt.Sprintf("story-%d", i),
			fmt.Sprintf("20%02d-%02d-%02dT%02d:15:00Z", 24+i%2, 1+i%12, 1+i%28, i%24),
			fmt.Sprintf("summary: A summary.\nauthor: Writer %d\nsection: Section %d\ntags: [a, b%d]\n", i%7, i%8, i%40), body)
	}
	s := newTestSite(b, files)
	s.opts.NoCache = true
	e, err := New(b.Context(), s.opts)
	if err != nil {
		b.Fatal(err)
	}
	s.e = e
	return s, testNow
}

// benchTargets are one address of every kind of public page of the site.
func benchTargets(b *testing.B, s *testSite, now time.Time) map[string]string {
	b.Helper()
	ctx := context.Background()
	latest, err := s.store.LatestArticles(ctx, store.Listing{}, now, 1, 0)
	if err != nil || len(latest) == 0 {
		b.Fatalf("no article: %v", err)
	}
	deep, err := s.store.LatestArticles(ctx, store.Listing{}, now, 1, 200)
	if err != nil || len(deep) == 0 {
		b.Fatalf("no 200th article: %v", err)
	}
	a := latest[0]
	// An article with the site's typical furniture: a section, tags and an author.
	withTags, err := s.store.LatestArticles(ctx, store.Listing{Section: a.Section, WithBody: true}, now, 50, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range withTags {
		if len(c.Tags) > 0 && c.Author != "" {
			a = c
			break
		}
	}
	day := s.site().Zone.DateOf(a.PublishedAt)
	common, rare := envOr("DATELINE_BENCH_COMMON", "paragraph"), envOr("DATELINE_BENCH_RARE", strings.Fields(a.Headline)[0])
	return map[string]string{
		"article":       a.Path(s.site().Zone),
		"home":          "/",
		"home-deep":     fmt.Sprintf("/?before=%d&page=11", deep[0].ID),
		"day":           fmt.Sprintf("/%04d/%02d/%02d", day.Year, day.Month, day.Day),
		"month":         fmt.Sprintf("/%04d/%02d", day.Year, day.Month),
		"year":          fmt.Sprintf("/%04d", day.Year),
		"archive":       "/archive",
		"section":       article.BySection.Path(a.Section),
		"tag":           article.ByTag.Path(a.Tags[0]),
		"author":        article.ByAuthor.Path(a.Author),
		"search-common": "/search?q=" + url.QueryEscape(common),
		"search-rare":   "/search?q=" + url.QueryEscape(rare),
		"feed-atom":     "/feed.atom",
		"feed-rss":      "/feed.rss",
		"feed-section":  article.BySection.Path(a.Section) + "/feed.atom",
		"sitemap":       "/sitemap.xml",
		"sitemap-part":  "/sitemap-1.xml",
		"sitemap-news":  "/news-sitemap.xml",
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// BenchmarkPages renders every kind of public page, uncached, through the
// whole Echo stack and a real SQLite file. Compare a 5,000- and a
// 50,000-article database (DATELINE_BENCH_DB) to see that the cost does not
// grow with the archive.
func BenchmarkPages(b *testing.B) {
	s, now := benchSite(b)
	for name, target := range benchTargets(b, s, now) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.Host = testHost
				s.e.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", target, rec.Code)
				}
			}
		})
	}
}

// BenchmarkCachedArticle serves an article page from the page cache, plain
// and compressed, as the busiest page of a story that went viral is, next
// to a bare Echo handler that writes the same bytes from memory: the
// ratio of the two is the cache's cost over the limit of the stack.
func BenchmarkCachedArticle(b *testing.B) {
	s, now := benchSite(b)
	target := benchTargets(b, s, now)["article"]
	opts := s.opts
	opts.NoCache = false
	e, err := New(b.Context(), opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, enc := range []string{"", "br", "gzip"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Host = testHost
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", target, rec.Code)
		}
		bare := bareHandler(rec.Body.Bytes(), enc)
		for name, h := range map[string]http.Handler{"dateline": e, "bare": bare} {
			b.Run("encoding="+enc+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					w := &discardWriter{header: http.Header{}}
					h.ServeHTTP(w, req)
					if w.status != http.StatusOK {
						b.Fatalf("GET %s: %d", target, w.status)
					}
				}
			})
		}
	}
}

// bareHandler is an Echo application with one route that writes body, as
// ../shared/bench's reference server does.
func bareHandler(body []byte, encoding string) *echo.Echo {
	e := echo.New()
	length := strconv.Itoa(len(body))
	e.GET("/*", func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Vary", "Accept-Encoding")
		if encoding != "" {
			h.Set("Content-Encoding", encoding)
		}
		h.Set("Content-Length", length)
		c.Response().WriteHeader(http.StatusOK)
		_, err := c.Response().Write(body)
		return err
	})
	return e
}

// discardWriter is a ResponseWriter that keeps the status and drops the
// body, as a connection's writer costs little next to a page's work.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
