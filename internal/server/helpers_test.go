package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/importer"
	"github.com/dateline/dateline/internal/settings"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// testNow is the site clock in every server test.
var testNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// articleFile writes a content file with front matter.
func articleFile(title, slug, date, extra, body string) *fstest.MapFile {
	src := "---\ntitle: " + title + "\nslug: " + slug + "\ndate: " + date + "\n" + extra + "---\n" + body + "\n"
	return &fstest.MapFile{Data: []byte(src)}
}

// siteFiles is the test site. Its dates cover the cases the date index must
// get right in Asia/Jerusalem: an article late in the evening UTC that
// belongs to the next local day, and the days around both DST switches.
var siteFiles = fstest.MapFS{
	// 22:30 UTC on 19 June is 01:30 on 20 June in Jerusalem (UTC+3).
	"harbour.md": articleFile("Night market opens", "harbour-night-market", "2024-06-19T22:30:00Z",
		"summary: Stalls on the quay.\nauthor: Tomer Galili\nsection: City\ntags: [markets, food]\n", "The quay was *packed*.\n\n<script>alert('x')</script>"),
	"midday.md": articleFile("Midday story", "midday-story", "2024-06-20T16:53:00+03:00",
		"summary: Afternoon news.\nauthor: Noa\nsection: Science\n", "Body text."),
	"feb.md": articleFile("February story", "february-story", "2024-02-10T10:00:00+02:00", "", "Winter."),
	// DST starts at 02:00 on Fri 28 March 2025 (UTC+2 -> UTC+3).
	"dst-spring-a.md": articleFile("Before the clocks change", "spring-before", "2025-03-27T22:30:00Z", "", "00:30 on 28 March, UTC+2."),
	"dst-spring-b.md": articleFile("After the clocks change", "spring-after", "2025-03-28T21:30:00Z", "", "00:30 on 29 March, UTC+3."),
	// DST ends at 02:00 on Sun 26 October 2025 (UTC+3 -> UTC+2).
	"dst-autumn-a.md": articleFile("Last summer night", "autumn-before", "2025-10-25T21:30:00Z", "", "00:30 on 26 October, UTC+3."),
	"dst-autumn-b.md": articleFile("First winter evening", "autumn-after", "2025-10-26T21:30:00Z", "", "23:30 on 26 October, UTC+2."),
	"arabic.md": articleFile("أزهار الربيع", "spring-flowers", "2025-04-08T10:15:00+03:00",
		"language: ar\n", "نص المقال."),
	"draft.md":  articleFile("Secret draft", "secret-draft", "2024-06-20T10:00:00+03:00", "draft: true\n", "Not yet."),
	"future.md": articleFile("Scheduled story", "scheduled-story", "2030-03-02T09:00:00+02:00", "", "Later."),
}

type testSite struct {
	t      testing.TB
	opts   Options
	e      *echo.Echo
	store  *store.Store
	logs   *syncBuffer
	clock  *testClock
	hasher *account.Hasher
	dbPath string
}

// testClock is the site clock of a test; tests move it forward.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestSite builds the real application over a SQLite file in a temp
// folder, seeded from files with the same importer the binary uses.
func newTestSite(t testing.TB, files fstest.MapFS) *testSite {
	t.Helper()
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "site.db")
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	zone, err := calendar.LoadZone("Asia/Jerusalem", "Jerusalem Time")
	if err != nil {
		t.Fatal(err)
	}
	report, err := importer.Articles(ctx, st, files, zone.Location)
	if err != nil || len(report.Skipped) > 0 {
		t.Fatalf("seeding test site: %v %v", err, report.Skipped)
	}
	logs := &syncBuffer{}
	clock := &testClock{now: testNow}
	hasher := account.NewHasher(2)
	opts := Options{
		Store:    st,
		Logger:   slog.New(slog.NewTextHandler(logs, nil)),
		Defaults: testDefaults,
		BaseURL:  testBaseURL,
		MediaDir: filepath.Join(t.TempDir(), "media"),
		Hasher:   hasher,
		Now:      clock.Now,
	}
	e, err := New(t.Context(), opts) // the change-log watcher stops with the test
	if err != nil {
		t.Fatal(err)
	}
	return &testSite{t: t, opts: opts, e: e, store: st, logs: logs, clock: clock, hasher: hasher, dbPath: dbPath}
}

// testBaseURL is the test site's address in feeds and canonical links.
const (
	testBaseURL = "https://" + testHost
	testHost    = "news.example"
)

// testDefaults are the settings of every test site until a test saves others.
var testDefaults = settings.Settings{Name: "Dateline", Tagline: "Test news", ZoneName: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time",
	Comments: settings.HoldComments, PageSize: 20}

func (s *testSite) zone() *time.Location { return s.site().Zone.Location }

func (s *testSite) site() web.Site {
	s.t.Helper()
	z, err := testDefaults.Zone()
	if err != nil {
		s.t.Fatal(err)
	}
	return web.Site{Name: testDefaults.Name, Tagline: testDefaults.Tagline, Zone: z, BaseURL: testBaseURL}
}

// get sends a GET request through the application.
func (s *testSite) get(target string) *httptest.ResponseRecorder {
	s.t.Helper()
	return s.do(httptest.NewRequest(http.MethodGet, target, nil))
}

func (s *testSite) do(req *http.Request) *httptest.ResponseRecorder {
	s.t.Helper()
	if req.Host == "example.com" { // httptest's default: ask for the site by its name, as browsers do
		req.Host = testHost
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// postForm posts form values; header adds request headers. A comment form
// gets the signed timestamp of a page served ten seconds earlier, as a
// reader's browser would send, unless the test set its own.
func (s *testSite) postForm(target string, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	s.t.Helper()
	if strings.HasSuffix(target, "/comments") && form.Get("ts") == "" {
		form = cloneValues(form)
		form.Set("ts", s.stamp(strings.TrimSuffix(target, "/comments"), -10*time.Second))
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return s.do(req)
}

// stamp is the comment form timestamp of the article at path for a page
// served at now+offset.
func (s *testSite) stamp(path string, offset time.Duration) string {
	s.t.Helper()
	ctx := context.Background()
	key, err := s.store.Secret(ctx, "comment-form")
	if err != nil {
		s.t.Fatal(err)
	}
	// An address with no article gets a stamp for none: the post is refused
	// before the stamp is read.
	a, err := s.store.ArticleBySlug(ctx, path[strings.LastIndexByte(path, '/')+1:], s.clock.Now())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.t.Fatalf("stamp for %s: %v", path, err)
	}
	return comment.Stamp(key, a.ID, s.clock.Now().Add(offset))
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func body(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status: got %d, want %d; body starts %.300q", rec.Code, want, rec.Body.String())
	}
}

func assertContains(t *testing.T, html string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(html, f) {
			t.Errorf("page lacks %q", f)
		}
	}
}

func assertLacks(t *testing.T, html string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(html, f) {
			t.Errorf("page has %q, want it absent", f)
		}
	}
}
