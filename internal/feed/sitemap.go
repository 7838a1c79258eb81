package feed

// The sitemaps search engines read: an index of parts, each naming the
// published articles of a fixed span of article numbers with their last
// change, and one part for the sections, tags and archive days; and the
// Google News sitemap of the last 48 hours.

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

// ArticlesPerSitemap is how many article numbers one sitemap part covers:
// part N names the published articles numbered (N-1)*ArticlesPerSitemap+1 to
// N*ArticlesPerSitemap. Parts of a fixed span cost the same to build
// however large the archive grows (the sitemaps protocol allows 50,000 addresses a
// file; crawlers fetch many small parts as readily as a few large ones).
const ArticlesPerSitemap = 1000

// NewsWindow is how far back the news sitemap reaches.
const NewsWindow = 48 * time.Hour

// The sitemaps' addresses: the index, its parts (SitemapPartPath) and the
// news sitemap.
const (
	SitemapIndexPath   = "/sitemap.xml"
	SitemapPartPattern = "/sitemap-:part"
	SitemapPagesPath   = "/sitemap-pages.xml" // sections, tags and archive days
	NewsSitemapPath    = "/news-sitemap.xml"
)

// SitemapPartPath is the address of article part n (from 1).
func SitemapPartPath(n int64) string { return "/sitemap-" + strconv.FormatInt(n, 10) + ".xml" }

// SitemapEntry is one address with its last change (zero: not given).
type SitemapEntry struct {
	Path    string
	LastMod time.Time
}

// SitemapEntries are the addresses of articles, each with the later of
// its publication and its last update.
func SitemapEntries(articles []article.Article, zone calendar.Zone) []SitemapEntry {
	out := make([]SitemapEntry, 0, len(articles))
	for _, a := range articles {
		mod := a.UpdatedAt
		if a.PublishedAt.After(mod) {
			mod = a.PublishedAt
		}
		out = append(out, SitemapEntry{Path: a.Path(zone), LastMod: mod})
	}
	return out
}

// SitemapParts is how many article parts a site whose highest article
// number is lastID needs.
func SitemapParts(lastID int64) int64 {
	return max(1, (lastID+ArticlesPerSitemap-1)/ArticlesPerSitemap)
}

// SitemapPartIDs is the span of article numbers part n covers.
func SitemapPartIDs(n int64) (first, last int64) {
	return (n-1)*ArticlesPerSitemap + 1, n * ArticlesPerSitemap
}

// abs makes a site path absolute, escaped: feeds and sitemaps name pages
// by their full addresses.
func abs(base, path string) string { return base + (&url.URL{Path: path}).EscapedPath() }

func lastMod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Sitemap writes entries as one sitemap.
func Sitemap(base string, entries []SitemapEntry) ([]byte, error) {
	return locations("urlset", "url", base, entries), nil
}

// SitemapIndex writes the sitemap index naming the sitemaps at these paths.
func SitemapIndex(base string, sitemaps []SitemapEntry) ([]byte, error) {
	return locations("sitemapindex", "sitemap", base, sitemaps), nil
}

// locations writes a urlset or a sitemap index. The documents are written
// here rather than by encoding/xml, whose reflection cost a microsecond an
// entry: the index of a large archive cost more than a small one's.
func locations(root, item, base string, entries []SitemapEntry) []byte {
	var d doc
	d.start(root, ` xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`)
	for _, e := range entries {
		d.WriteString("\n  <" + item + ">")
		d.element("loc", abs(base, e.Path))
		if m := lastMod(e.LastMod); m != "" {
			d.element("lastmod", m)
		}
		d.WriteString("</" + item + ">")
	}
	return d.end(root)
}

// NewsSitemap writes the Google News sitemap of the articles published
// within NewsWindow before now.
func NewsSitemap(base, publication string, zone calendar.Zone, articles []article.Article, now time.Time) ([]byte, error) {
	var d doc
	d.start("urlset", ` xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`)
	for _, a := range articles {
		if a.PublishedAt.After(now) || now.Sub(a.PublishedAt) > NewsWindow {
			continue
		}
		d.WriteString("\n  <url>")
		d.element("loc", abs(base, a.Path(zone)))
		d.WriteString("<news:news><news:publication>")
		d.element("news:name", publication)
		// Google wants the ISO 639 language, without the region.
		language, _, _ := strings.Cut(a.Language, "-")
		d.element("news:language", language)
		d.WriteString("</news:publication>")
		d.element("news:publication_date", a.PublishedAt.UTC().Format(time.RFC3339))
		d.element("news:title", a.Headline)
		d.WriteString("</news:news></url>")
	}
	return d.end("urlset"), nil
}

// doc is an XML document being written.
type doc struct{ bytes.Buffer }

func (d *doc) start(root, attrs string) {
	d.WriteString(xml.Header)
	d.WriteString("<" + root + attrs + ">")
}

// element writes <name>value</name>, the value escaped.
func (d *doc) element(name, value string) {
	d.WriteString("<" + name + ">")
	xml.EscapeText(d, []byte(value))
	d.WriteString("</" + name + ">")
}

func (d *doc) end(root string) []byte {
	d.WriteString("\n</" + root + ">")
	return d.Bytes()
}
