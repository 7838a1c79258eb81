package server

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
)

func TestSitemapsAndRobots(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	fresh := article.Article{Slug: "fresh-news", Headline: "Fresh & new", HTML: "<p>x</p>", Language: "en-GB", Status: article.Published,
		PublishedAt: testNow.Add(-time.Hour), UpdatedAt: testNow.Add(-time.Hour)}
	if _, err := s.store.ImportArticle(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}

	// As a crawler does: the index, then every sitemap it names.
	rec := s.get("/sitemap.xml")
	assertStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("Content-Type: %q", ct)
	}
	var idx struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &idx); err != nil || len(idx.Sitemaps) != 2 {
		t.Fatalf("sitemap index: %+v %v", idx, err)
	}
	locs := map[string]string{}
	for _, sm := range idx.Sitemaps {
		part := s.get(strings.TrimPrefix(sm.Loc, testBaseURL))
		assertStatus(t, part, http.StatusOK)
		var set struct {
			XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
			URLs    []struct {
				Loc     string `xml:"loc"`
				LastMod string `xml:"lastmod"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(part.Body.Bytes(), &set); err != nil {
			t.Fatalf("%s does not parse: %v", sm.Loc, err)
		}
		for _, u := range set.URLs {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil && strings.Count(u.Loc, "/") == 6 {
				t.Errorf("%s: lastmod %q", u.Loc, u.LastMod)
			}
			locs[u.Loc] = u.LastMod
		}
	}
	for _, want := range []string{"/2024/06/20/harbour-night-market", "/section/city", "/tag/markets", "/2024/06/20", "/2025/10/26", "/2025/04/08/spring-flowers"} {
		if _, ok := locs[testBaseURL+want]; !ok {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if locs[testBaseURL+"/2024/06/20/harbour-night-market"] != "2024-06-19T22:30:00Z" {
		t.Errorf("harbour lastmod: %q", locs[testBaseURL+"/2024/06/20/harbour-night-market"])
	}
	for loc := range locs {
		if strings.Contains(loc, "secret-draft") || strings.Contains(loc, "scheduled-story") || strings.Contains(loc, "/2030") {
			t.Errorf("sitemap names unpublished %s", loc)
		}
	}
	assertStatus(t, s.get("/sitemap-2.xml"), http.StatusNotFound) // past the highest article number
	assertStatus(t, s.get("/sitemap-0.xml"), http.StatusNotFound)
	assertStatus(t, s.get("/sitemap-01.xml"), http.StatusNotFound)
	assertStatus(t, s.get("/sitemap-x.xml"), http.StatusNotFound)

	rec = s.get("/news-sitemap.xml")
	assertStatus(t, rec, http.StatusOK)
	var news struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			News struct {
				Publication struct {
					Name     string `xml:"name"`
					Language string `xml:"language"`
				} `xml:"publication"`
				Date  string `xml:"publication_date"`
				Title string `xml:"title"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &news); err != nil {
		t.Fatalf("news sitemap does not parse: %v", err)
	}
	if len(news.URLs) != 1 || news.URLs[0].News.Title != "Fresh & new" || news.URLs[0].News.Publication.Name != "Dateline" ||
		news.URLs[0].News.Publication.Language != "en" || news.URLs[0].News.Date != "2026-11-30T11:00:00Z" {
		t.Errorf("news sitemap: %+v", news.URLs)
	}

	rec = s.get("/robots.txt")
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, rec.Body.String(), "Disallow: /admin", "Sitemap: "+testBaseURL+"/sitemap.xml", "Sitemap: "+testBaseURL+"/news-sitemap.xml")
}
