package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var ldScripts = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// structuredData parses every JSON-LD block of a page.
func structuredData(t *testing.T, html string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	for _, m := range ldScripts.FindAllStringSubmatch(html, -1) {
		var doc map[string]any
		if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		docs = append(docs, doc)
	}
	return docs
}

func TestArticleMetadata(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for k, v := range siteFiles {
		files[k] = v
	}
	files["evil.md"] = articleFile(`"</script><script>alert(1)</script>"`, "evil-headline", "2024-06-21T10:00:00+03:00",
		"summary: \"Ends </script> here\"\nsection: City\ntags: [markets]\n", "Body.")
	s := newTestSite(t, files)
	html := body(t, s.get(harbourPath))
	assertContains(t, html,
		`<link rel="canonical" href="https://news.example/2024/06/20/harbour-night-market">`,
		`<meta property="og:url" content="https://news.example/2024/06/20/harbour-night-market">`,
		`<meta property="og:type" content="article">`, `<meta property="og:title" content="Night market opens">`,
		`<meta property="og:description" content="Stalls on the quay.">`, `<meta property="og:site_name" content="Dateline">`,
		`<meta name="twitter:card" content="summary">`, `<meta name="twitter:title" content="Night market opens">`,
		`<meta property="article:published_time" content="2024-06-19T22:30:00Z">`, `<meta property="article:modified_time"`,
		`<meta property="article:section" content="City">`, `<meta property="article:tag" content="markets">`, `<meta property="article:tag" content="food">`,
		`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/section/city">City</a></li><li aria-current="page">Night market opens</li></ol></nav>`,
	)
	docs := structuredData(t, html)
	if len(docs) != 2 {
		t.Fatalf("got %d JSON-LD blocks, want NewsArticle and BreadcrumbList", len(docs))
	}
	news := docs[0]
	if news["@type"] != "NewsArticle" || news["headline"] != "Night market opens" || news["datePublished"] != "2024-06-19T22:30:00Z" ||
		news["dateModified"] == nil || news["mainEntityOfPage"].(map[string]any)["@id"] != testBaseURL+harbourPath {
		t.Errorf("NewsArticle: %v", news)
	}
	if a := news["author"].([]any)[0].(map[string]any); a["name"] != "Tomer Galili" {
		t.Errorf("author: %v", a)
	}
	pub := news["publisher"].(map[string]any)
	if pub["name"] != "Dateline" || pub["logo"].(map[string]any)["url"] != testBaseURL+"/static/img/logo.png" {
		t.Errorf("publisher: %v", pub)
	}
	crumbs := docs[1]["itemListElement"].([]any)
	if docs[1]["@type"] != "BreadcrumbList" || len(crumbs) != 3 || crumbs[2].(map[string]any)["item"] != testBaseURL+harbourPath {
		t.Errorf("BreadcrumbList: %v", docs[1])
	}
	assertStatus(t, s.get("/static/img/logo.png"), http.StatusOK)

	// No headline can end the script element of the structured data.
	evil := body(t, s.get("/2024/06/21/evil-headline"))
	assertLacks(t, evil, "<script>alert(1)")
	docs = structuredData(t, evil)
	if docs[0]["headline"] != `</script><script>alert(1)</script>` || docs[0]["description"] != "Ends </script> here" {
		t.Errorf("escaped headline came back as %q", docs[0]["headline"])
	}

	// Share links: plain, encoded, no third-party script.
	assertContains(t, html,
		`href="https://wa.me/?text=Night+market+opens+https%3A%2F%2Fnews.example%2F2024%2F06%2F20%2Fharbour-night-market"`,
		`href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnews.example%2F2024%2F06%2F20%2Fharbour-night-market"`,
		`href="https://t.me/share/url?url=`, `href="https://x.com/intent/post?url=`, `href="mailto:?subject=Night%20market%20opens&amp;body=`,
		`<script src="/static/js/share.js" defer></script>`)
	assertStatus(t, s.get("/static/js/share.js"), http.StatusOK)
	if n := strings.Count(html, "<script src="); n != 1 {
		t.Errorf("article page loads %d scripts, want only share.js", n)
	}
}

func TestRelatedArticles(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for i := range 8 {
		files[fmt.Sprintf("r%d.md", i)] = articleFile(fmt.Sprintf("Related %d", i), fmt.Sprintf("related-%d", i),
			fmt.Sprintf("2024-05-%02dT10:00:00Z", 10+i), "section: Sport\n", "x")
	}
	files["tagged.md"] = articleFile("Tagged elsewhere", "tagged", "2024-04-01T10:00:00Z", "section: Weather\ntags: [rowing]\n", "x")
	files["main.md"] = articleFile("Main story", "main-story", "2024-06-01T10:00:00Z", "section: Sport\ntags: [rowing]\n", "x")
	files["other.md"] = articleFile("Unrelated", "unrelated", "2024-06-02T10:00:00Z", "section: Culture\n", "x")
	files["draft.md"] = articleFile("Related draft", "related-draft", "2024-06-02T10:00:00Z", "section: Sport\ndraft: true\n", "x")
	s := newTestSite(t, files)
	html := body(t, s.get("/2024/06/01/main-story"))
	i := strings.Index(html, `id="related-heading"`)
	if i < 0 {
		t.Fatal("no related stories")
	}
	related := html[i:strings.Index(html, `id="comments"`)]
	if n := strings.Count(related, `class="story-card"`); n != 5 {
		t.Errorf("got %d related stories, want 5", n)
	}
	assertContains(t, related, "Related 7", "Related 3")
	assertLacks(t, related, "Main story", "Unrelated", "Related draft", "Related 2", "Tagged elsewhere")
	// With fewer same-section stories, a shared tag brings one in.
	html = body(t, s.get("/2024/04/01/tagged"))
	assertContains(t, html[strings.Index(html, `id="related-heading"`):], "Main story")
}

func TestListingMetadata(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for i := range 45 {
		files[fmt.Sprintf("a%02d.md", i)] = articleFile(fmt.Sprintf("Story %02d", i), fmt.Sprintf("story-%02d", i),
			fmt.Sprintf("2024-01-%02dT10:%02d:00Z", 1+i%28, i), "section: City\n", "Text.")
	}
	s := newTestSite(t, files)
	html := body(t, s.get("/?page=2"))
	assertContains(t, html, `<link rel="canonical" href="https://news.example/?page=2">`,
		`<link rel="prev" href="https://news.example/">`, `<link rel="next" href="https://news.example/?before=`, `&amp;page=3">`,
		`<meta property="og:type" content="website">`)
	html = body(t, s.get("/section/city"))
	assertContains(t, html, `<link rel="canonical" href="https://news.example/section/city">`, `<link rel="next" href="https://news.example/section/city?before=`)
	assertLacks(t, html, `rel="prev"`)
	if docs := structuredData(t, html); len(docs) != 1 || docs[0]["@type"] != "BreadcrumbList" {
		t.Errorf("listing structured data: %v", docs)
	}
	assertLacks(t, body(t, s.get("/search?q=story")), `rel="canonical"`)
}

// TestArticleLinksItsTagsAndAuthor: a reader reaches the tag and author
// listings from the story itself, and each link lands on a listing that
// holds the story; the structured data names the author's page.
func TestArticleLinksItsTagsAndAuthor(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	html := body(t, s.get(harbourPath))
	links := map[string]string{
		"tag markets":   `<a class="tag" href="/tag/markets">markets</a>`,
		"tag food":      `<a class="tag" href="/tag/food">food</a>`,
		"author byline": `By <a class="author" rel="author" href="/author/tomer-galili">Tomer Galili</a>`,
	}
	for name, link := range links {
		t.Run(name, func(t *testing.T) {
			assertContains(t, html, link)
			href := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(link)[1]
			listing := s.get(href)
			assertStatus(t, listing, http.StatusOK)
			assertContains(t, body(t, listing), `href="`+harbourPath+`"`)
		})
	}
	news := structuredData(t, html)[0]
	if a := news["author"].([]any)[0].(map[string]any); a["url"] != testBaseURL+"/author/tomer-galili" {
		t.Errorf("author in JSON-LD: %v", a)
	}
}

// TestNavigationShowsWhereTheReaderIs: the main navigation marks the page
// a reader is on, or the item a page lies inside, and nothing elsewhere.
func TestNavigationShowsWhereTheReaderIs(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	cases := []struct{ name, path, marked string }{
		{"home", "/", `<a href="/" aria-current="page">Latest</a>`},
		{"section", "/section/city", `<a href="/section/city" aria-current="page">City</a>`},
		{"story in its section", harbourPath, `<a href="/section/city" aria-current="true">City</a>`},
		{"archive", "/archive", `<a href="/archive" aria-current="page">Archive</a>`},
		{"a month of the archive", "/2024/06", `<a href="/archive" aria-current="true">Archive</a>`},
		{"search", "/search?q=market", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			html := body(t, s.get(c.path))
			nav := html[strings.Index(html, `<nav class="site-nav"`):]
			nav = nav[:strings.Index(nav, "</nav>")]
			want := 0
			if c.marked != "" {
				want = 1
				assertContains(t, nav, c.marked)
			}
			if n := strings.Count(nav, "aria-current"); n != want {
				t.Errorf("%d items marked, want %d:\n%s", n, want, nav)
			}
		})
	}
}
