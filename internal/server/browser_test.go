//go:build browser

// The browser suite drives Debian's headless Chromium through chromedp
// against the real application on a loopback listener over a real SQLite
// file. Run it with `go test -tags browser -run Browser ./internal/server`;
// .ci/run installs chromium when it is missing. DATELINE_CHROMIUM names
// another browser binary.
package server

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/comment"
)

// browserSite serves the test site on 127.0.0.1 and returns its address.
func browserSite(t *testing.T) string {
	_, base := servedSite(t)
	return base
}

// servedSite is browserSite with the site, for tests that also act as
// the newsroom.
func servedSite(t *testing.T) (*testSite, string) {
	t.Helper()
	s := newTestSite(t, siteFiles)
	srv := httptest.NewServer(s.e)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// newTab starts a headless Chromium of its own for one test, with or
// without JavaScript, and returns a tab that every action of the test runs
// in (60 s at most in all).
func newTab(t *testing.T, javaScript bool) context.Context {
	return newTabSized(t, javaScript, 1280, 900)
}

// newTabSized is newTab in a window of width × height CSS pixels.
func newTabSized(t *testing.T, javaScript bool, width, height int) context.Context {
	t.Helper()
	exe := os.Getenv("DATELINE_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("the browser suite needs Chromium (apt-get install chromium, or set DATELINE_CHROMIUM): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI runs as root
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(width, height),
	)
	if !javaScript {
		opts = append(opts, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	tab, cancelTime := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(tab); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	return tab
}

// clickTo clicks the element sel matches and waits for the page whose
// path is want; it returns that page's first heading.
func clickTo(t *testing.T, tab context.Context, sel, want string) string {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	// The click starts a navigation: wait until the tab is at the new
	// address and its document has loaded (the tab's deadline bounds it).
	location, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.href`))
	for err == nil && pathOf(location) != want && tab.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		location, err = chromedp.Run(tab, chromedp.Evaluate[string](`location.href`))
	}
	if err == nil {
		err = chromedp.Do(tab, chromedp.WaitReady(chromedp.CSS(`main h1`)))
	}
	if err != nil {
		t.Fatalf("clicking %s: %v (at %s)", sel, err, location)
	}
	heading, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`main h1`)))
	if err != nil {
		t.Fatal(err)
	}
	if pathOf(location) != want {
		t.Fatalf("clicking %s led to %s, want %s", sel, location, want)
	}
	return heading
}

func pathOf(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return ""
	}
	return u.Path
}

// TestBrowserListingsReachedFromAnArticle is flow 6: a reader without
// JavaScript goes from a story to its section, tags and author, through the
// archive down to the story's day, and to search, by clicking; each page
// lists the story.
func TestBrowserListingsReachedFromAnArticle(t *testing.T) {
	base := browserSite(t)
	tab := newTab(t, false)
	story := `a[href="` + harbourPath + `"]`
	paths := []struct {
		name   string
		clicks [][2]string // selector, the path it leads to
	}{
		{"section", [][2]string{{`.breadcrumbs a[href="/section/city"]`, "/section/city"}}},
		{"tag", [][2]string{{`a.tag[href="/tag/food"]`, "/tag/food"}}},
		{"author", [][2]string{{`.byline a.author`, "/author/tomer-galili"}}},
		{"archive", [][2]string{
			{`.site-nav a[href="/archive"]`, "/archive"},
			{`main a[href="/2024"]`, "/2024"},
			{`main a[href="/2024/06"]`, "/2024/06"},
			{`main a[href="/2024/06/20"]`, "/2024/06/20"},
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.Navigate(base+harbourPath)); err != nil {
				t.Fatal(err)
			}
			for _, c := range p.clicks {
				clickTo(t, tab, c[0], c[1])
			}
			if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('main `+story+`').length`)); err != nil || n == 0 {
				t.Errorf("the %s page does not list the story (%v)", p.name, err)
			}
		})
	}
	t.Run("search", func(t *testing.T) {
		err := chromedp.Do(tab,
			chromedp.Navigate(base+harbourPath),
			chromedp.SendKeys(chromedp.CSS(`#site-search-q`), "market"),
			chromedp.Submit(chromedp.CSS(`#site-search-q`)),
			chromedp.WaitReady(chromedp.CSS(`#search-q`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		location, err := chromedp.Run(tab, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(location)
		if u.Path != "/search" || u.Query().Get("q") != "market" {
			t.Fatalf("the search form led to %s", location)
		}
		if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('main `+story+`').length`)); err != nil || n == 0 {
			t.Errorf("search for market does not find the story (%v)", err)
		}
	})
}

// platformFonts are the families the browser drew the text of the first
// element sel matches with.
func platformFonts(t *testing.T, tab context.Context, sel string) []string {
	t.Helper()
	fonts, err := chromedp.Run(tab, chromedp.QueryAfter(chromedp.CSS(sel),
		func(ctx context.Context, target *chromedp.Target, nodes []*chromedp.Node) ([]string, error) {
			res, err := cdp.Call(ctx, target, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
			var names []string
			for _, f := range res.Fonts {
				names = append(names, f.FamilyName)
			}
			return names, err
		}, chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("fonts of %s: %v", sel, err)
	}
	return fonts
}

// TestBrowserFontsFollowTheScript is defect 1: English text, digits and
// punctuation included, is drawn in Latin faces only, and an Arabic story
// in an Arabic face (fonts-noto-core provides both here).
func TestBrowserFontsFollowTheScript(t *testing.T) {
	base := browserSite(t)
	tab := newTab(t, false)
	rightToLeft := regexp.MustCompile(`Arabic|Hebrew`)
	if err := chromedp.Do(tab, chromedp.Navigate(base+harbourPath)); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{`time.dateline`, `.story-headline`, `.story-body p`, `.byline`, `.site-nav a`, `.site-footer p`} {
		fonts := platformFonts(t, tab, sel)
		if len(fonts) == 0 {
			t.Errorf("%s: the browser reports no font", sel)
		}
		for _, f := range fonts {
			if rightToLeft.MatchString(f) {
				t.Errorf("English %s is drawn partly in %s (all: %v)", sel, f, fonts)
			}
		}
	}
	if err := chromedp.Do(tab, chromedp.Navigate(base+"/2025/04/08/spring-flowers")); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{`.story-headline`, `.story-body p`} {
		fonts := platformFonts(t, tab, sel)
		if !slices.ContainsFunc(fonts, func(f string) bool { return strings.Contains(f, "Arabic") }) {
			t.Errorf("Arabic %s is drawn in %v, no Arabic face", sel, fonts)
		}
	}
}

// inView reports whether the element sel matches is wholly inside the
// window.
func inView(t *testing.T, tab context.Context, sel string) bool {
	t.Helper()
	in, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { const r = document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 })()`))
	if err != nil {
		t.Fatalf("where is %s: %v", sel, err)
	}
	return in
}

// TestBrowserOpinionWithoutJavaScript is flow 1 on a phone-sized window:
// a refused opinion comes back with the error in view and the text kept;
// a valid one lands on the pending notice; once approved it shows with its
// line breaks, its markup as text.
func TestBrowserOpinionWithoutJavaScript(t *testing.T) {
	s, base := servedSite(t)
	tab := newTabSized(t, false, 375, 740)
	text := "Stalls stayed open late.\nBring <b>cash</b> & a bag."
	if err := chromedp.Do(tab, chromedp.Navigate(base+harbourPath)); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Minute) // the reader took a minute to write
	err := chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS(`#comment-body`), text),
		chromedp.Click(chromedp.CSS(`#comment-form button[type=submit]`), chromedp.NodeVisible),
		chromedp.WaitReady(chromedp.CSS(`#comment-form .form-error`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inView(t, tab, `#comment-form .form-error`) {
		t.Error("the refused page does not open with the error summary in view")
	}
	if kept, _ := chromedp.Run(tab, chromedp.Value(chromedp.CSS(`#comment-body`))); kept != text {
		t.Errorf("the text came back as %q", kept)
	}
	// The summary's link takes the reader to the field.
	err = chromedp.Do(tab, chromedp.Click(chromedp.CSS(`#comment-form .form-error a[href="#comment-name"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	if !inView(t, tab, `#comment-name`) {
		t.Error("the summary's link does not bring the name field into view")
	}

	s.clock.Advance(time.Minute) // and a minute to correct it
	err = chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS(`#comment-name`), "Noa B."),
		chromedp.Click(chromedp.CSS(`#comment-form button[type=submit]`), chromedp.NodeVisible),
		chromedp.WaitReady(chromedp.CSS(`#comments .notice[role=status]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inView(t, tab, `#comments .notice[role=status]`) {
		t.Error("the pending notice is not in view")
	}
	pending, err := s.store.Comments(context.Background(), comment.Pending, 10, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending comments: %v %v", pending, err)
	}
	if err := s.store.SetCommentStatus(context.Background(), pending[0].ID, comment.Approved); err != nil {
		t.Fatal(err)
	}
	// The reader reloads the story: the browser revalidates its copy.
	if err := chromedp.Do(tab, chromedp.Navigate(base+harbourPath), chromedp.Reload(), chromedp.WaitReady(chromedp.CSS(`.opinion-body`))); err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`.opinion-body`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(shown) != text {
		t.Errorf("the approved opinion reads %q, want %q (line break kept, markup as text)", shown, text)
	}
	if n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('.opinion-body b').length`)); n != 0 {
		t.Error("the opinion's markup became elements")
	}
}
