// Package sitemap writes the sitemaps search engines read: an index of
// parts, each naming the published articles of a fixed span of article
// numbers with their last change, and one part for the sections, tags and
// archive days; and the Google News sitemap of the last 48 hours. It must not
// import HTTP, SQL or template code.
package sitemap

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

// ArticlesPerPart is how many article numbers one sitemap part covers:
// part N names the published articles numbered (N-1)*ArticlesPerPart+1 to
// N*ArticlesPerPart. Parts of a fixed span cost the same to build however
// large the archive grows (the sitemaps protocol allows 50,000 addresses a
// file; crawlers fetch many small parts as readily as a few large ones).
const ArticlesPerPart = 1000

// NewsWindow is how far back the news sitemap reaches.
const NewsWindow = 48 * time.Hour

// Entry is one address with its last change (zero: not given).
type Entry struct {
	Path    string
	LastMod time.Time
}

// ArticleEntries are the addresses of articles, each with the later of
// its publication and its last update.
func ArticleEntries(articles []article.Article, zone calendar.Zone) []Entry {
	out := make([]Entry, 0, len(articles))
	for _, a := range articles {
		mod := a.UpdatedAt
		if a.PublishedAt.After(mod) {
			mod = a.PublishedAt
		}
		out = append(out, Entry{Path: a.Path(zone), LastMod: mod})
	}
	return out
}

// Parts is how many article parts a site whose highest article number is
// lastID needs.
func Parts(lastID int64) int64 { return max(1, (lastID+ArticlesPerPart-1)/ArticlesPerPart) }

// PartIDs is the span of article numbers part n covers.
func PartIDs(n int64) (first, last int64) {
	return (n-1)*ArticlesPerPart + 1, n * ArticlesPerPart
}

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

func lastMod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// URLSet writes entries as one sitemap.
func URLSet(base string, entries []Entry) ([]byte, error) {
	set := urlset{URLs: make([]locMod, 0, len(entries))}
	for _, e := range entries {
		set.URLs = append(set.URLs, locMod{Loc: abs(base, e.Path), LastMod: lastMod(e.LastMod)})
	}
	return marshal(set)
}

// Index writes the sitemap index naming the sitemaps at these paths.
func Index(base string, sitemaps []Entry) ([]byte, error) {
	var idx index
	for _, e := range sitemaps {
		idx.Sitemaps = append(idx.Sitemaps, locMod{Loc: abs(base, e.Path), LastMod: lastMod(e.LastMod)})
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
