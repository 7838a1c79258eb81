package web

import (
	"net/url"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Name string
	Path string // empty for the page itself
}

// escapedPath turns a site path (slugs may be in any script) into the form
// that goes into an absolute URL.
func escapedPath(p string) string { return (&url.URL{Path: p}).EscapedPath() }

// abs is a site path as an absolute URL under the configured base.
func (s Site) abs(path string) string {
	if path == "" {
		return ""
	}
	return s.BaseURL + escapedPath(path)
}

// canonical is the page's absolute address, or "" for pages that have none
// (errors, searches).
func (h Head) canonical(site Site) string {
	if h.Path == "" {
		return ""
	}
	if h.Pager != nil && h.Pager.Page > 1 {
		return h.pageLink(site, h.Pager.Page)
	}
	return site.abs(h.Path)
}

// pageLink is the absolute address of another page of the listing.
func (h Head) pageLink(site Site, n int) string {
	p := *h.Pager
	p.Base = escapedPath(h.Path)
	return site.BaseURL + string(pageURL(p, n))
}

func (h Head) ogType() string {
	if h.Article != nil {
		return "article"
	}
	return "website"
}

func (h Head) ogTitle(site Site) string {
	if h.Title == "" {
		return site.Name
	}
	return h.Title
}

// image is the absolute address of the page's lead image, if it has one.
func (h Head) image(site Site) string {
	if h.Article == nil || h.Article.Lead.Path == "" {
		return ""
	}
	return site.abs(h.Article.Lead.Path)
}

func (h Head) twitterCard(site Site) string {
	if h.image(site) != "" {
		return "summary_large_image"
	}
	return "summary"
}

// logoPath is the publisher logo named in structured data. It is the plain
// address, not the content-hashed one that pages link: search engines keep
// this address long after they read the page, and a hashed name stops
// answering once the logo changes.
const logoPath = "/static/img/logo.png"

// jsonLD is the page's structured data: a NewsArticle on article pages and
// a BreadcrumbList wherever there is a trail. templ.JSONScript writes it
// with <, > and & escaped, so no text can end the script element.
func (h Head) jsonLD(site Site) []any {
	var out []any
	if a := h.Article; a != nil {
		modified := later(a.UpdatedAt, a.PublishedAt)
		doc := map[string]any{
			"@context":         "https://schema.org",
			"@type":            "NewsArticle",
			"headline":         a.Headline,
			"datePublished":    isoTime(a.PublishedAt),
			"dateModified":     isoTime(modified),
			"inLanguage":       a.Language,
			"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": h.canonical(site)},
			"publisher": map[string]any{
				"@type": "Organization",
				"name":  site.Name,
				"logo":  map[string]any{"@type": "ImageObject", "url": site.abs(logoPath)},
			},
		}
		if a.Summary != "" {
			doc["description"] = a.Summary
		}
		if a.Author != "" {
			author := map[string]any{"@type": "Person", "name": a.Author}
			if u := listingURL(article.ByAuthor, a.Author); u != "" {
				author["url"] = site.abs(string(u))
			}
			doc["author"] = []any{author}
		}
		if img := h.image(site); img != "" {
			doc["image"] = []string{img}
		}
		if a.Section != "" {
			doc["articleSection"] = a.Section
		}
		if len(a.Tags) > 0 {
			doc["keywords"] = a.Tags
		}
		out = append(out, doc)
	}
	if len(h.Crumbs) > 0 {
		items := make([]any, 0, len(h.Crumbs))
		for i, c := range h.Crumbs {
			item := map[string]any{"@type": "ListItem", "position": i + 1, "name": c.Name}
			if c.Path != "" {
				item["item"] = site.abs(c.Path)
			} else {
				item["item"] = h.canonical(site)
			}
			items = append(items, item)
		}
		out = append(out, map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
	}
	return out
}

// articleCrumbs is the trail Home › Section › Article.
func articleCrumbs(site Site, a article.Article) []Crumb {
	crumbs := []Crumb{{Name: "Home", Path: "/"}}
	if a.Section != "" {
		crumbs = append(crumbs, Crumb{Name: a.Section, Path: article.BySection.Path(a.Section)})
	}
	return append(crumbs, Crumb{Name: a.Headline})
}

// ShareLink is a link that shares an article on a service.
type ShareLink struct {
	Name string // the service
	Path string // its address, with the article's in it
}

// shareLinks are the plain links that share an article: no third-party
// script, nothing loaded until the reader clicks.
func shareLinks(site Site, a article.Article) []ShareLink {
	link := site.abs(a.Path(site.Zone))
	text := a.Headline
	q := url.QueryEscape
	return []ShareLink{
		{Name: "Email", Path: "mailto:?subject=" + url.PathEscape(text) + "&body=" + url.PathEscape(link)},
		{Name: "WhatsApp", Path: "https://wa.me/?text=" + q(text+" "+link)},
		{Name: "Telegram", Path: "https://t.me/share/url?url=" + q(link) + "&text=" + q(text)},
		{Name: "X", Path: "https://x.com/intent/post?url=" + q(link) + "&text=" + q(text)},
		{Name: "Facebook", Path: "https://www.facebook.com/sharer/sharer.php?u=" + q(link)},
	}
}

// later is the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
