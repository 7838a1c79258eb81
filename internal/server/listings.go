package server

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feed"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// kinds of listing, by the first segment of their address.
var listingKinds = map[string]struct{ kind, noun string }{
	"section": {"section", "Section"},
	"tag":     {"tag", "Tag"},
	"author":  {"author", "Author"},
}

// namedPath is the address of a section, tag or author listing (not
// escaped: slugs may be in any script).
func namedPath(kind, name string) string {
	return "/" + kind + "/" + article.Slugify(name)
}

// findNamed finds the section, tag or author whose slug is in the
// address, among those with published articles.
func (h *handler) findNamed(c echo.Context, kind string) (store.NameCount, error) {
	slug, err := url.PathUnescape(c.Param("slug"))
	if err != nil || !article.ValidSlug(slug) {
		return store.NameCount{}, echo.ErrNotFound
	}
	names, err := h.store.Names(c.Request().Context(), kind, h.now())
	if err != nil {
		return store.NameCount{}, err
	}
	for _, n := range names {
		if article.Slugify(n.Name) == slug {
			return n, nil
		}
	}
	return store.NameCount{}, echo.ErrNotFound
}

func listingFor(kind, name string) store.Listing {
	switch kind {
	case "section":
		return store.Listing{Section: name}
	case "tag":
		return store.Listing{Tag: name}
	default:
		return store.Listing{Author: name}
	}
}

// showListing shows the published articles of a section, a tag or an
// author, newest first, a page at a time.
func (h *handler) showListing(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := h.findNamed(c, kind)
		if err != nil {
			return err
		}
		now := h.now()
		list, pager, err := listPage(c, h.settings().PageSize, func(limit, offset int) ([]article.Article, error) {
			return h.store.LatestArticles(c.Request().Context(), listingFor(kind, n.Name), now, limit, offset)
		})
		if err != nil {
			return err
		}
		path := namedPath(kind, n.Name)
		pager.Base = path
		return h.render(c, http.StatusOK, web.ListingPage(web.ListingPageData{
			Site: h.site(), Kind: listingKinds[kind].noun, Named: web.Named{Name: n.Name, Path: path, Count: n.Count},
			Articles: list, Pager: pager, HasFeed: kind != "author",
		}))
	}
}

// showFeed answers the Atom or RSS feed of the whole site (kind "") or of
// a section or tag.
func (h *handler) showFeed(kind, format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		site := h.site()
		ch := feed.Channel{Title: site.Name, Subtitle: site.Tagline, BaseURL: site.BaseURL, Path: "/", Zone: site.Zone,
			Updated: time.Unix(0, 0)}
		listing := store.Listing{WithBody: true}
		if kind != "" {
			n, err := h.findNamed(c, kind)
			if err != nil {
				return err
			}
			listing = listingFor(kind, n.Name)
			listing.WithBody = true
			ch.Title = site.Name + ": " + n.Name
			ch.Path = namedPath(kind, n.Name)
		}
		ch.FeedPath = ch.Path + "feed." + format
		if kind != "" {
			ch.FeedPath = ch.Path + "/feed." + format
		}
		var err error
		if ch.Articles, err = h.store.LatestArticles(c.Request().Context(), listing, h.now(), feed.Size, 0); err != nil {
			return err
		}
		var body []byte
		contentType := "application/atom+xml; charset=utf-8"
		if format == "rss" {
			body, err = feed.RSS(ch)
			contentType = "application/rss+xml; charset=utf-8"
		} else {
			body, err = feed.Atom(ch)
		}
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, contentType, body)
	}
}
