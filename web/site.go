// Package web holds Dateline's templ components: the layout, one page
// component per page, and the parts they share. Components take typed data
// and never query the store or read values from the context. It imports the
// domain packages and templ, never HTTP or SQL code.
package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/feed"
	"github.com/dateline/dateline/internal/fields"
)

// Site is what every page needs to know about the site itself.
type Site struct {
	Name    string
	Tagline string
	Zone    calendar.Zone
	// BaseURL is the site's absolute address, for canonical links and
	// feeds; it comes from configuration, never from a request.
	BaseURL string
	// Sections are the sections with published articles, for the
	// navigation.
	Sections []Named
}

// Named is a section, tag or author: its name, its address and its count
// of published articles.
type Named struct {
	Name  string
	Path  string
	Count int
}

// Head is the document-level data of a page.
type Head struct {
	Title       string // page title without the site name
	Description string
	Lang        string // BCP 47; defaults to English
	Dir         string // "ltr" or "rtl"
	// Feeds are feeds of this page's listing, offered for autodiscovery
	// beside the site's own.
	Feeds []Feed
	// Path is the page's canonical path; empty for pages without one.
	Path string
	// Pager, on listings, adds rel="prev" and rel="next" links.
	Pager *Pager
	// Article, on article pages, adds Open Graph article tags and the
	// NewsArticle structured data.
	Article *article.Article
	// Crumbs is the breadcrumb trail, also given as structured data.
	Crumbs []Crumb
	// Within is the path of the navigation item this page lies inside
	// (a story's section, a period's archive) when it is not that item.
	Within string
}

// current marks the main navigation's item for path: aria-current="page"
// on that page itself, "true" on a page inside it.
func (h Head) current(path string) templ.Attributes {
	switch path {
	case h.Path:
		return templ.Attributes{"aria-current": "page"}
	case h.Within:
		return templ.Attributes{"aria-current": "true"}
	}
	return nil
}

// Feed is a feed offered in a page's head.
type Feed struct {
	Title string
	Path  string
	Type  string // application/atom+xml or application/rss+xml
}

// feeds are the feeds a page's head offers: its own, then the site's.
func (h Head) feeds(site Site) []Feed {
	return append(h.Feeds, feedsOf(site.Name, "/")...)
}

// feedsOf are the feeds, one a format, of the listing at path.
func feedsOf(name, path string) []Feed {
	out := make([]Feed, 0, len(feed.Formats))
	for _, f := range feed.Formats {
		out = append(out, Feed{Title: name + " (" + f.Label + ")", Path: f.Path(path), Type: f.MediaType})
	}
	return out
}

func listingHead(d ListingPageData) Head {
	h := Head{Title: d.Named.Name, Description: d.Kind + ": " + d.Named.Name + " on " + d.Site.Name, Path: d.Named.Path, Pager: &d.Pager,
		Crumbs: []Crumb{{Name: "Home", Path: "/"}, {Name: d.Named.Name}}}
	if d.HasFeed {
		h.Feeds = feedsOf(d.Named.Name, d.Named.Path)
	}
	return h
}

// Pager links the pages of a paginated listing. Page counts from 1.
type Pager struct {
	Page    int
	HasPrev bool
	HasNext bool
	// Base is the listing's address; pages after the first add page=N.
	Base string
	// Listings of stories page by cursor (keyset), so that a deep page
	// costs what the first does: Cursor is this page's ("before=123"),
	// PrevCursor the newer page's and NextCursor the older page's. page=N
	// then only numbers the page.
	Cursor, PrevCursor, NextCursor string
}

// PeriodCount is a period of the date index with its number of articles.
type PeriodCount struct {
	Period calendar.Period
	Count  int
}

func articleURL(site Site, a article.Article) templ.SafeURL {
	return templ.SafeURL(a.Path(site.Zone))
}

// commentsAnchorURL is the readers' opinions at the foot of an article.
func commentsAnchorURL(site Site, a article.Article) templ.SafeURL {
	return templ.SafeURL(a.Path(site.Zone) + "#comments")
}

// commentsURL is where the comment form posts.
func commentsURL(site Site, a article.Article) templ.SafeURL {
	return templ.SafeURL(a.CommentsPath(site.Zone))
}

// listingURL is the listing of name by g, or "" when the name makes no
// address (punctuation only), so that no link points at nothing.
func listingURL(g article.Grouping, name string) templ.SafeURL {
	if article.Slugify(name) == "" {
		return ""
	}
	return templ.SafeURL(g.Path(name))
}

func periodURL(p calendar.Period) templ.SafeURL {
	return templ.SafeURL(p.Path())
}

func pageURL(p Pager, n int) templ.SafeURL {
	if n <= 1 {
		return templ.SafeURL(p.Base)
	}
	sep := "?"
	if strings.Contains(p.Base, "?") {
		sep = "&"
	}
	cursor := ""
	switch {
	case n == p.Page && p.Cursor != "":
		cursor = p.Cursor
	case n == p.Page-1 && p.PrevCursor != "":
		cursor = p.PrevCursor
	case n == p.Page+1 && p.NextCursor != "":
		cursor = p.NextCursor
	}
	if cursor != "" {
		return templ.SafeURL(p.Base + sep + cursor + "&page=" + strconv.Itoa(n))
	}
	return templ.SafeURL(p.Base + sep + "page=" + strconv.Itoa(n))
}

// isoTime is the machine-readable form of an instant for <time datetime>.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Plural writes a count with its noun: "1 opinion", "3 opinions".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (h Head) lang() string {
	if h.Lang == "" {
		return article.DefaultLanguage
	}
	return h.Lang
}

func (h Head) dir() string {
	if h.Dir == "" {
		return "ltr"
	}
	return h.Dir
}

func (h Head) title(site Site) string {
	if h.Title == "" {
		return site.Name
	}
	return h.Title + " – " + site.Name
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// commentFields are the comment form's fields in the form's order, for the
// summary of what a refused opinion must correct.
var commentFields = []struct{ name, label string }{{"name", "Name"}, {"email", "Email"}, {"body", "Comment"}}

// invalidAttrs marks a form field as invalid and points it at its message
// (the element with id prefix+field+"-error"), when it has one.
func invalidAttrs(errs fields.Errors, prefix, field string) templ.Attributes {
	if errs[field] == "" {
		return nil
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": prefix + field + "-error"}
}

func homeTitle(p Pager) string {
	if p.Page > 1 {
		return "Latest stories, page " + strconv.Itoa(p.Page)
	}
	return ""
}

func searchTitle(d SearchPageData) string {
	if d.Query == "" {
		return "Search"
	}
	return "Search: " + d.Query
}

// SearchPageSize is the number of results on a page of search.
const SearchPageSize = 20

// searchCount says how many stories a search found. Results are paged
// without a total (counting every match would cost what the archive
// holds), so the count is exact on the last page and a range before it.
func searchCount(d SearchPageData) string {
	first := (max(d.Pager.Page, 1)-1)*SearchPageSize + 1
	last := first + len(d.Results) - 1
	switch {
	case d.Pager.HasNext:
		return fmt.Sprintf("Results %d–%d of more than %d", first, last, last)
	case first == 1:
		return Plural(len(d.Results), "result", "results")
	}
	return fmt.Sprintf("Results %d–%d of %d", first, last, last)
}

func articleHead(d ArticlePageData) Head {
	h := Head{Title: d.Article.Headline, Description: d.Article.Summary, Lang: d.Article.Language, Dir: d.Article.Dir(),
		Article: &d.Article, Crumbs: articleCrumbs(d.Site, d.Article)}
	if d.Article.Section != "" {
		h.Within = article.BySection.Path(d.Article.Section)
	}
	if !d.Preview && d.Article.ID != 0 {
		h.Path = d.Article.Path(d.Site.Zone)
	}
	return h
}
