package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dateline/dateline/web"
)

func TestSearchPage(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for name, f := range siteFiles {
		files[name] = f
	}
	files["markup.md"] = articleFile("Quay notes", "quay-notes", "2024-06-21T10:00:00+03:00", "section: City\n",
		"Traders wrote `<script>alert('quay')</script>` on the board by the quay.")
	s := newTestSite(t, files)

	rec := s.get("/search")
	assertStatus(t, rec, http.StatusOK)
	html := body(t, rec)
	assertContains(t, html, `<form class="search-form" method="get" action="/search" role="search">`)
	assertLacks(t, html, "No stories match")

	html = body(t, s.get("/search?q=quay"))
	assertContains(t, html, "Night market opens", "Quay notes", "<mark>quay</mark>", "&lt;script&gt;alert(&#39;<mark>quay</mark>&#39;)&lt;/script&gt;")
	assertLacks(t, html, "<script>alert", "Secret draft")
	if strings.Index(html, "Quay notes") > strings.Index(html, "Night market opens") {
		t.Error("a headline match does not rank first")
	}
	assertContains(t, body(t, s.get("/search?q=qua")), "Quay notes")                                     // prefix
	assertContains(t, body(t, s.get("/search?q=%D8%A3%D8%B2%D9%87%D8%A7%D8%B1")), "أزهار الربيع")        // أزهار
	assertContains(t, body(t, s.get("/search?q=quay&section=Science")), "No stories match")              // section filter
	assertContains(t, body(t, s.get("/search?q=quay&from=2024-06-21&to=2024-06-21")), "Quay notes")      // local-day filter
	assertLacks(t, body(t, s.get("/search?q=quay&from=2024-06-21&to=2024-06-21")), "Night market opens") // published on the 20th
	assertContains(t, body(t, s.get("/search?q=quay&from=21-06-2024")), "Use dates such as 2024-06-20.")
	assertContains(t, body(t, s.get("/")), `<form class="site-search" method="get" action="/search" role="search">`)

	for _, q := range []string{`foo"bar`, "AND", "title:", "hello OR", "NEAR(", "*", "' OR 1=1 --", `"unterminated`, "a-b", ")))(((",
		"quay*", "-quay", "quay NOT market", "{headline body}: x", "\x00", "%", strings.Repeat("quay ", 400), "<script>alert(1)</script>",
		"\xff\xfe", "ｑｕａｙ"} {
		t.Run(q[:min(len(q), 20)], func(t *testing.T) {
			rec := s.get("/search?" + url.Values{"q": {q}}.Encode())
			assertStatus(t, rec, http.StatusOK)
			assertLacks(t, body(t, rec), "<script>alert(1)")
		})
	}
	assertStatus(t, s.get("/search?q=quay&page=5"), http.StatusNotFound)
	assertStatus(t, s.get("/search?q=quay&page=x"), http.StatusNotFound)
}

// TestSearchSaysWhatItFound: a search's page says how many stories it
// found and for what; with more than a page, the range shown, and the
// exact count on the last page.
func TestSearchSaysWhatItFound(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for i := range web.SearchPageSize + 5 {
		files[fmt.Sprintf("ferry-%d.md", i)] = articleFile(fmt.Sprintf("Ferry timetable %d", i), fmt.Sprintf("ferry-%d", i),
			fmt.Sprintf("2024-05-%02dT09:00:00Z", i+1), "", "The harbour ferry changes its timetable.")
	}
	files["lighthouse.md"] = articleFile("Lighthouse repainted", "lighthouse", "2024-06-01T09:00:00Z", "", "A lighthouse, freshly painted.")
	s := newTestSite(t, files)
	cases := []struct{ name, path, summary string }{
		{"one", "/search?q=lighthouse", `<p class="search-summary" role="status">1 result for “<strong>lighthouse</strong>”</p>`},
		{"first page of two", "/search?q=ferry", `<p class="search-summary" role="status">Results 1–20 of more than 20 for “<strong>ferry</strong>”</p>`},
		{"last page", "/search?q=ferry&page=2", `<p class="search-summary" role="status">Results 21–25 of 25 for “<strong>ferry</strong>”</p>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			html := body(t, s.get(c.path))
			assertContains(t, html, c.summary)
		})
	}
	assertContains(t, body(t, s.get("/search?q=ferry")), "<title>Search: ferry")
}
