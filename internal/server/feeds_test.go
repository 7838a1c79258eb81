package server

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title     string `xml:"title"`
		ID        string `xml:"id"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Author struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Summary string `xml:"summary"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		// link is the channel's own; atom:link (namespaced) is the self link.
		Links []struct {
			XMLName xml.Name
			Href    string `xml:"href,attr"`
			Text    string `xml:",chardata"`
		} `xml:"link"`
		Description   string `xml:"description"`
		LastBuildDate string `xml:"lastBuildDate"`
		Items         []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			GUID    string `xml:"guid"`
			PubDate string `xml:"pubDate"`
			Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)

	rec := s.get("/feed.atom")
	assertStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Atom Content-Type: %q", ct)
	}
	var atom atomDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &atom); err != nil {
		t.Fatalf("Atom does not parse: %v", err)
	}
	if atom.Title != "Dateline" || atom.ID != testBaseURL+"/" || len(atom.Entries) != 8 || atom.Links[0].Href != testBaseURL+"/feed.atom" {
		t.Errorf("Atom feed: title %q id %q, %d entries, self %q", atom.Title, atom.ID, len(atom.Entries), atom.Links[0].Href)
	}
	if _, err := time.Parse(time.RFC3339, atom.Updated); err != nil {
		t.Errorf("Atom updated %q: %v", atom.Updated, err)
	}
	var harbour = -1
	for i, e := range atom.Entries {
		for _, v := range []string{e.ID, e.Published, e.Updated, e.Link.Href, e.Content.Body} {
			if v == "" {
				t.Errorf("entry %q lacks a required element", e.Title)
			}
		}
		if !strings.HasPrefix(e.Link.Href, testBaseURL+"/") || !strings.HasPrefix(e.ID, "tag:news.example,") {
			t.Errorf("entry %q: link %q id %q", e.Title, e.Link.Href, e.ID)
		}
		if e.Title == "Night market opens" {
			harbour = i
		}
		for _, hidden := range []string{"Secret draft", "Scheduled story"} {
			if e.Title == hidden {
				t.Errorf("feed shows %q", hidden)
			}
		}
	}
	if harbour < 0 {
		t.Fatal("harbour story missing from the feed")
	}
	e := atom.Entries[harbour]
	if e.Link.Href != testBaseURL+"/2024/06/20/harbour-night-market" || e.Published != "2024-06-19T22:30:00Z" || e.Author.Name != "Tomer Galili" ||
		e.Summary != "Stalls on the quay." || e.Content.Type != "html" || !strings.Contains(e.Content.Body, "<em>packed</em>") || strings.Contains(e.Content.Body, "<script") {
		t.Errorf("harbour entry: %+v", e)
	}

	rec = s.get("/feed.rss")
	assertStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Errorf("RSS Content-Type: %q", ct)
	}
	var rss rssDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &rss); err != nil {
		t.Fatalf("RSS does not parse: %v", err)
	}
	var link, self string
	for _, l := range rss.Channel.Links {
		switch l.XMLName.Space {
		case "":
			link = l.Text
		case "http://www.w3.org/2005/Atom":
			self = l.Href
		}
	}
	if rss.Version != "2.0" || link != testBaseURL+"/" || self != testBaseURL+"/feed.rss" || rss.Channel.Description == "" || len(rss.Channel.Items) != 8 {
		t.Errorf("RSS channel: link %q self %q description %q, %d items", link, self, rss.Channel.Description, len(rss.Channel.Items))
	}
	if _, err := time.Parse(time.RFC1123Z, rss.Channel.LastBuildDate); err != nil {
		t.Errorf("lastBuildDate %q: %v", rss.Channel.LastBuildDate, err)
	}
	for _, it := range rss.Channel.Items {
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || it.GUID == "" || !strings.HasPrefix(it.Link, testBaseURL) || it.Content == "" {
			t.Errorf("RSS item %q: pubDate %q guid %q link %q", it.Title, it.PubDate, it.GUID, it.Link)
		}
	}

	// Per section and per tag.
	rec = s.get("/section/city/feed.atom")
	assertStatus(t, rec, http.StatusOK)
	atom = atomDoc{}
	xml.Unmarshal(rec.Body.Bytes(), &atom)
	if len(atom.Entries) != 1 || atom.Entries[0].Title != "Night market opens" || atom.Title != "Dateline: City" {
		t.Errorf("section feed: %q with %d entries", atom.Title, len(atom.Entries))
	}
	rec = s.get("/tag/markets/feed.rss")
	assertStatus(t, rec, http.StatusOK)
	rss = rssDoc{}
	xml.Unmarshal(rec.Body.Bytes(), &rss)
	if len(rss.Channel.Items) != 1 {
		t.Errorf("tag feed: %d items", len(rss.Channel.Items))
	}
	for _, target := range []string{"/section/nowhere/feed.atom", "/tag/x/feed.rss", "/section/Bad_Slug/feed.atom"} {
		assertStatus(t, s.get(target), http.StatusNotFound)
	}
	// Every page offers the feeds for autodiscovery.
	assertContains(t, body(t, s.get("/2024/06/20/harbour-night-market")),
		`<link rel="alternate" type="application/atom+xml" title="Dateline (Atom)" href="/feed.atom">`,
		`<link rel="alternate" type="application/rss+xml" title="Dateline (RSS)" href="/feed.rss">`)
	assertContains(t, body(t, s.get("/section/city")), `href="/section/city/feed.atom"`)
}

func TestListings(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	for k, v := range siteFiles {
		files[k] = v
	}
	// Unpublished stories in the same section, tag and author appear nowhere.
	files["hidden-draft.md"] = articleFile("Hidden draft", "hidden-draft", "2024-06-21T10:00:00+03:00",
		"section: City\ntags: [markets]\nauthor: Tomer Galili\ndraft: true\n", "Not yet.")
	files["hidden-later.md"] = articleFile("Hidden later", "hidden-later", "2030-06-21T10:00:00+03:00",
		"section: City\ntags: [markets]\nauthor: Tomer Galili\n", "Later.")
	s := newTestSite(t, files)
	html := body(t, s.get("/section/city"))
	assertContains(t, html, `<h1 class="page-title">City</h1>`, "1 story", "Night market opens")
	assertLacks(t, html, "Midday story", "Secret draft")
	assertContains(t, body(t, s.get("/tag/food")), "Night market opens")
	assertContains(t, body(t, s.get("/author/tomer-galili")), `<h1 class="page-title">Tomer Galili</h1>`, "Night market opens")
	for _, target := range []string{"/section/city", "/tag/markets", "/author/tomer-galili", "/feed.atom", "/section/city/feed.rss",
		"/tag/markets/feed.atom", "/sitemap.xml", "/search?q=hidden", "/2024/06/20/harbour-night-market", "/"} {
		assertLacks(t, body(t, s.get(target)), "Hidden draft", "Hidden later", "hidden-draft", "hidden-later")
	}

	// An author's page shows the biography an editor set, as text.
	s.addUser("maya", "editor", goodPassword)
	b := s.browser("198.51.100.130")
	b.login("maya", goodPassword)
	assertContains(t, body(t, b.get("/admin/authors")), "Tomer Galili", "Noa")
	rec := b.postForm("/admin/authors", "/admin/authors", url.Values{"name": {"Tomer Galili"}, "bio": {strings.Repeat("x", 601)}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "600 characters or fewer")
	rec = b.postForm("/admin/authors", "/admin/authors", url.Values{"name": {"Tomer Galili"}, "bio": {"Covers the <b>harbour</b> & markets."}})
	assertStatus(t, rec, http.StatusSeeOther)
	assertContains(t, body(t, s.get("/author/tomer-galili")), `<p class="author-bio" dir="auto">Covers the &lt;b&gt;harbour&lt;/b&gt; &amp; markets.</p>`)
	assertLacks(t, body(t, s.get("/section/city")), "author-bio")
	// The navigation lists the sections with published articles.
	assertContains(t, body(t, s.get("/")), `<li><a href="/section/city">City</a></li>`, `<li><a href="/section/science">Science</a></li>`)
	for _, target := range []string{"/section/sport", "/tag/nothing", "/author/nobody", "/section/city?page=2", "/section/city?page=x"} {
		assertStatus(t, s.get(target), http.StatusNotFound)
	}
}
