package feed

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

func testChannel(t *testing.T) Channel {
	t.Helper()
	zone, err := calendar.LoadZone("Asia/Jerusalem", "Jerusalem Time")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 6, 19, 22, 30, 0, 0, time.UTC) // 01:30 on 20 June in Jerusalem
	return Channel{
		Title: "Dateline & Co", BaseURL: "https://news.example", Path: "/section/city", FeedPath: "/section/city/feed.atom",
		Language: "en", Zone: zone,
		Articles: []article.Article{
			{ID: 12, Slug: "night-market", Headline: `Stalls <b>open</b> & "lit"`, Summary: "On the quay.", Author: "Tomer",
				Tags: []string{"markets"}, Language: "en", PublishedAt: at, UpdatedAt: at.Add(time.Hour), HTML: "<p>The quay was <em>packed</em>.</p>"},
			{ID: 13, Slug: "אזהרה", Headline: "חדשות", Language: "he", PublishedAt: at.Add(-24 * time.Hour), UpdatedAt: at.Add(-24 * time.Hour), HTML: "<p>טקסט</p>"},
		},
	}
}

// TestAtom parses the Atom document as a reader would: escaped text, the
// HTML content kept whole, absolute and escaped links in the site's zone,
// stable ids and the newest change as the feed's time.
func TestAtom(t *testing.T) {
	t.Parallel()
	body, err := Atom(testChannel(t))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Lang    string `xml:"lang,attr"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Categories []struct {
				Term string `xml:"term,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	if f.Title != "Dateline & Co" || f.ID != "https://news.example/section/city" || f.Updated != "2024-06-19T23:30:00Z" {
		t.Errorf("feed: %q %q %q", f.Title, f.ID, f.Updated)
	}
	if len(f.Links) != 2 || f.Links[0].Rel != "self" || f.Links[0].Href != "https://news.example/section/city/feed.atom" {
		t.Errorf("links: %+v", f.Links)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries", len(f.Entries))
	}
	e := f.Entries[0]
	if e.Title != `Stalls <b>open</b> & "lit"` || e.ID != "tag:news.example,2024-06-19:article-12" ||
		e.Content.Type != "html" || e.Content.Body != "<p>The quay was <em>packed</em>.</p>" {
		t.Errorf("entry: %+v", e)
	}
	if len(e.Links) == 0 || e.Links[0].Href != "https://news.example/2024/06/20/night-market" {
		t.Errorf("entry link (in the site's zone): %+v", e.Links)
	}
	if len(e.Categories) != 1 || e.Categories[0].Term != "markets" {
		t.Errorf("categories: %+v", e.Categories)
	}
	if got := f.Entries[1].Links[0].Href; got != "https://news.example/2024/06/19/%D7%90%D7%96%D7%94%D7%A8%D7%94" || f.Entries[1].Lang != "he" {
		t.Errorf("Hebrew entry: %q %q", got, f.Entries[1].Lang)
	}
	if strings.Contains(string(body), "<b>open</b>") {
		t.Error("a headline's markup reached the feed unescaped")
	}
}

// TestRSS parses the RSS document: items with links, guids that are not
// links, RFC 1123 dates, the summary as description and the full HTML in
// content:encoded.
func TestRSS(t *testing.T) {
	t.Parallel()
	body, err := RSS(testChannel(t))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Channel struct {
			Title string `xml:"title"`
			Links []struct {
				XMLName xml.Name
				Href    string `xml:"href,attr"`
				Body    string `xml:",chardata"`
			} `xml:"link"` // RSS's own and the atom:link to itself
			Items []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
				GUID  struct {
					IsPermaLink string `xml:"isPermaLink,attr"`
					Body        string `xml:",chardata"`
				} `xml:"guid"`
				PubDate     string `xml:"pubDate"`
				Description string `xml:"description"`
				Content     string `xml:"encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	c := f.Channel
	if c.Title != "Dateline & Co" || len(c.Links) != 2 || c.Links[0].Body != "https://news.example/section/city" ||
		c.Links[1].Href != "https://news.example/section/city/feed.atom" || len(c.Items) != 2 {
		t.Fatalf("channel: %+v", c)
	}
	it := c.Items[0]
	if it.Link != "https://news.example/2024/06/20/night-market" || it.GUID.Body != "tag:news.example,2024-06-19:article-12" || it.GUID.IsPermaLink != "false" {
		t.Errorf("item: %+v", it)
	}
	if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
		t.Errorf("pubDate %q: %v", it.PubDate, err)
	}
	if it.Description != "On the quay." || it.Content != "<p>The quay was <em>packed</em>.</p>" {
		t.Errorf("description %q, content %q", it.Description, it.Content)
	}
}

func TestFormatPathIsBesideItsListing(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		format  Format
		listing string
		want    string
	}{
		{"site atom", AtomFormat, "/", "/feed.atom"},
		{"site rss", RSSFormat, "/", "/feed.rss"},
		{"section", AtomFormat, "/section/city", "/section/city/feed.atom"},
		{"route pattern", RSSFormat, "/tag/:slug", "/tag/:slug/feed.rss"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.format.Path(c.listing); got != c.want {
				t.Errorf("%s.Path(%q) = %q, want %q", c.format.Label, c.listing, got, c.want)
			}
		})
	}
}
