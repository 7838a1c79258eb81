package feed

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

func TestPartsCoverFixedSpans(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		lastID, parts int64
	}{
		{"no articles", 0, 1},
		{"one article", 1, 1},
		{"one full part", 1000, 1},
		{"one past a part", 1001, 2},
		{"fifty full parts", 50_000, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SitemapParts(tc.lastID); got != tc.parts {
				t.Errorf("SitemapParts(%d): got %d, want %d", tc.lastID, got, tc.parts)
			}
		})
	}
	if first, last := SitemapPartIDs(3); first != 2001 || last != 3000 {
		t.Errorf("SitemapPartIDs(3): got %d-%d", first, last)
	}
}

func TestIndexAndURLSet(t *testing.T) {
	t.Parallel()
	zone, _ := calendar.LoadZone("UTC", "UTC")
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	entries := SitemapEntries([]article.Article{{Slug: "a b", PublishedAt: at, UpdatedAt: at.Add(time.Hour)}}, zone)
	entries = append(entries, SitemapEntry{Path: "/section/city"})
	body, err := Sitemap("https://news.example", entries)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &set); err != nil || len(set.URLs) != 2 {
		t.Fatalf("urlset: %+v %v", set, err)
	}
	if set.URLs[0].Loc != "https://news.example/2024/06/20/a%20b" || set.URLs[0].LastMod != "2024-06-20T13:00:00Z" || set.URLs[1].LastMod != "" {
		t.Errorf("urlset: %+v", set.URLs)
	}
	body, err = SitemapIndex("https://news.example", []SitemapEntry{{Path: "/sitemap-pages.xml"}, {Path: "/sitemap-1.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(body, &idx); err != nil || len(idx.Sitemaps) != 2 || idx.Sitemaps[1].Loc != "https://news.example/sitemap-1.xml" {
		t.Fatalf("index: %+v %v", idx, err)
	}
}

// TestNewsSitemap reads the news sitemap back as a crawler does: in the
// sitemaps and news namespaces, with markup in a headline and a site name
// kept as text, and only the stories of the last 48 hours.
func TestNewsSitemap(t *testing.T) {
	t.Parallel()
	zone, _ := calendar.LoadZone("Asia/Jerusalem", "Jerusalem Time")
	now := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	list := []article.Article{
		{Slug: "fresh", Headline: `Rates <rise> & "fall" — «الأسعار»`, Language: "ar-PS", PublishedAt: now.Add(-time.Hour)},
		{Slug: "old", Headline: "Old", Language: "en", PublishedAt: now.Add(-49 * time.Hour)},
		{Slug: "later", Headline: "Later", Language: "en", PublishedAt: now.Add(time.Hour)},
	}
	body, err := NewsSitemap("https://news.example", "The <Daily> & Co", zone, list, now)
	if err != nil {
		t.Fatal(err)
	}
	const news = "http://www.google.com/schemas/sitemap-news/0.9"
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc         string `xml:"loc"`
			NewsSitemap struct {
				Name     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication>name"`
				Language string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication>language"`
				Date     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication_date"`
				Title    string `xml:"http://www.google.com/schemas/sitemap-news/0.9 title"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &set); err != nil {
		t.Fatalf("news sitemap does not parse: %v\n%s", err, body)
	}
	if len(set.URLs) != 1 {
		t.Fatalf("news sitemap: %d stories, want 1:\n%s", len(set.URLs), body)
	}
	u := set.URLs[0]
	if u.Loc != "https://news.example/2024/06/20/fresh" || u.NewsSitemap.Title != list[0].Headline || u.NewsSitemap.Name != "The <Daily> & Co" ||
		u.NewsSitemap.Language != "ar" || u.NewsSitemap.Date != "2024-06-20T11:00:00Z" {
		t.Errorf("news entry: %+v (namespace %s)", u, news)
	}
}
