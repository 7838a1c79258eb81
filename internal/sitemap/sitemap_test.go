package sitemap

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

func TestLargeSiteIsSplit(t *testing.T) {
	t.Parallel()
	zone, _ := calendar.LoadZone("UTC", "UTC")
	start := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC)
	articles := make([]article.Article, 60_000)
	for i := range articles {
		at := start.Add(time.Duration(i) * time.Hour)
		articles[i] = article.Article{Slug: fmt.Sprintf("s-%d", i), PublishedAt: at, UpdatedAt: at, Section: "City", Tags: []string{"t"}}
	}
	entries := Entries(articles, zone, strings.ToLower)
	if Parts(entries) != 2 {
		t.Fatalf("%d entries in %d parts, want 2", len(entries), Parts(entries))
	}
	body, err := Index("https://news.example", entries)
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(body, &idx); err != nil || len(idx.Sitemaps) != 2 || idx.Sitemaps[1].Loc != "https://news.example/sitemap-2.xml" {
		t.Fatalf("index: %+v %v", idx, err)
	}
	for n, want := range map[int]int{1: MaxURLs, 2: len(entries) - MaxURLs} {
		body, err := URLSet("https://news.example", entries, n)
		if err != nil {
			t.Fatal(err)
		}
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(body, &set); err != nil || len(set.URLs) != want {
			t.Errorf("part %d: %d URLs (%v), want %d", n, len(set.URLs), err, want)
		}
	}
	if _, err := URLSet("https://news.example", entries, 3); err == nil {
		t.Error("part 3 exists")
	}
}
