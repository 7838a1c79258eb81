// Package sitemap writes the sitemaps search engines read: every published
// article, section, tag and archive day with its last change, split into
// parts of at most 50,000 addresses under an index once the site is that
// large; and the Google News sitemap of the last 48 hours. It must not
// import HTTP, SQL or template code.
package sitemap

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

// MaxURLs is the most addresses one sitemap file may hold.
const MaxURLs = 50_000

// NewsWindow is how far back the news sitemap reaches.
const NewsWindow = 48 * time.Hour

// Entry is one address with its last change.
type Entry struct {
	Path    string
	LastMod time.Time
}

// Entries lists the addresses of a site's published articles, then of its
// sections, tags and archive days, each with the latest change among its
// articles. slug makes the last segment of a section's or tag's address.
func Entries(articles []article.Article, zone calendar.Zone, slug func(string) string) []Entry {
	out := make([]Entry, 0, len(articles))
	named := map[string]time.Time{}
	days := map[string]time.Time{}
	later := func(m map[string]time.Time, key string, t time.Time) {
		if t.After(m[key]) {
			m[key] = t
		}
	}
	for _, a := range articles {
		mod := a.UpdatedAt
		if a.PublishedAt.After(mod) {
			mod = a.PublishedAt
		}
		out = append(out, Entry{Path: a.Path(zone), LastMod: mod})
		if a.Section != "" {
			later(named, "/section/"+slug(a.Section), mod)
		}
		for _, t := range a.Tags {
			later(named, "/tag/"+slug(t), mod)
		}
		later(days, zone.DateOf(a.PublishedAt).Truncate(calendar.Day).Path(), mod)
	}
	for _, m := range []map[string]time.Time{named, days} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, Entry{Path: k, LastMod: m[k]})
		}
	}
	return out
}

// Parts is how many files the entries need.
func Parts(entries []Entry) int { return max(1, (len(entries)+MaxURLs-1)/MaxURLs) }

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []locMod `xml:"url"`
}

type locMod struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type index struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []locMod `xml:"sitemap"`
}

// abs makes a site path absolute, escaped.
func abs(base, path string) string { return base + (&url.URL{Path: path}).EscapedPath() }

// URLSet writes part n (from 1) of the entries as a sitemap.
func URLSet(base string, entries []Entry, n int) ([]byte, error) {
	start := (n - 1) * MaxURLs
	if n < 1 || start > len(entries) || (start == len(entries) && n > 1) {
		return nil, fmt.Errorf("sitemap: no part %d", n)
	}
	end := min(start+MaxURLs, len(entries))
	set := urlset{URLs: make([]locMod, 0, end-start)}
	for _, e := range entries[start:end] {
		set.URLs = append(set.URLs, locMod{Loc: abs(base, e.Path), LastMod: e.LastMod.UTC().Format(time.RFC3339)})
	}
	return marshal(set)
}

// Index writes the sitemap index of parts /sitemap-1.xml … for the entries.
func Index(base string, entries []Entry) ([]byte, error) {
	var idx index
	for n := 1; n <= Parts(entries); n++ {
		var latest time.Time
		for _, e := range entries[(n-1)*MaxURLs : min(n*MaxURLs, len(entries))] {
			if e.LastMod.After(latest) {
				latest = e.LastMod
			}
		}
		idx.Sitemaps = append(idx.Sitemaps, locMod{Loc: fmt.Sprintf("%s/sitemap-%d.xml", base, n), LastMod: latest.UTC().Format(time.RFC3339)})
	}
	return marshal(idx)
}

type newsURLSet struct {
	XMLName xml.Name  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	News    string    `xml:"xmlns:news,attr"`
	URLs    []newsURL `xml:"url"`
}

type newsURL struct {
	Loc  string   `xml:"loc"`
	News newsItem `xml:"news:news"`
}

type newsItem struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	Date  string `xml:"news:publication_date"`
	Title string `xml:"news:title"`
}

// News writes the Google News sitemap of the articles published within
// NewsWindow before now.
func News(base, publication string, zone calendar.Zone, articles []article.Article, now time.Time) ([]byte, error) {
	set := newsURLSet{News: "http://www.google.com/schemas/sitemap-news/0.9"}
	for _, a := range articles {
		if a.PublishedAt.After(now) || now.Sub(a.PublishedAt) > NewsWindow {
			continue
		}
		u := newsURL{Loc: abs(base, a.Path(zone))}
		u.News.Publication.Name = publication
		// Google wants the ISO 639 language, without the region.
		u.News.Publication.Language, _, _ = strings.Cut(a.Language, "-")
		u.News.Date = a.PublishedAt.UTC().Format(time.RFC3339)
		u.News.Title = a.Headline
		set.URLs = append(set.URLs, u)
	}
	return marshal(set)
}

func marshal(v any) ([]byte, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}
