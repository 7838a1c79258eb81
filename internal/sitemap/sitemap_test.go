package sitemap

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

func TestPartsCoverFixedSpans(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ lastID, parts int64 }{{0, 1}, {1, 1}, {1000, 1}, {1001, 2}, {50_000, 50}} {
		if got := Parts(tc.lastID); got != tc.parts {
			t.Errorf("Parts(%d): got %d, want %d", tc.lastID, got, tc.parts)
		}
	}
	if first, last := PartIDs(3); first != 2001 || last != 3000 {
		t.Errorf("PartIDs(3): got %d-%d", first, last)
	}
}

func TestIndexAndURLSet(t *testing.T) {
	t.Parallel()
	zone, _ := calendar.LoadZone("UTC", "UTC")
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	entries := ArticleEntries([]article.Article{{Slug: "a b", PublishedAt: at, UpdatedAt: at.Add(time.Hour)}}, zone)
	entries = append(entries, Entry{Path: "/section/city"})
	body, err := URLSet("https://news.example", entries)
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
	body, err = Index("https://news.example", []Entry{{Path: "/sitemap-pages.xml"}, {Path: "/sitemap-1.xml"}})
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
