package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feed"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// groupingNouns name the listings of each grouping on their pages.
var groupingNouns = map[article.Grouping]string{article.BySection: "Section", article.ByTag: "Tag", article.ByAuthor: "Author"}

// findNamed finds the section, tag or author whose slug is in the
// address, among those with published articles.
func (h *handler) findNamed(c echo.Context, kind article.Grouping) (store.NameCount, error) {
	slug, err := url.PathUnescape(c.Param("slug"))
	if err != nil || !article.ValidSlug(slug) {
		return store.NameCount{}, echo.ErrNotFound
	}
	bySlug, err := h.namesBySlug(c.Request().Context(), kind)
	if err != nil {
		return store.NameCount{}, err
	}
	n, ok := bySlug[slug]
	if !ok {
		return store.NameCount{}, echo.ErrNotFound
	}
	return n, nil
}

// namesBySlug is the sections, tags or authors with published articles, by
// slug. It is read again after the change log says an article changed (or
// a scheduled one came out), not for every request: making every name's
// slug was a third of a listing page's time.
func (h *handler) namesBySlug(ctx context.Context, kind article.Grouping) (map[string]store.NameCount, error) {
	h.namesMu.Lock()
	defer h.namesMu.Unlock()
	if m, ok := h.names[kind]; ok {
		return m, nil
	}
	list, err := h.store.Names(ctx, kind, h.now())
	if err != nil {
		return nil, err
	}
	m := make(map[string]store.NameCount, len(list))
	for _, n := range list {
		if slug := article.Slugify(n.Name); m[slug].Name == "" {
			m[slug] = n // two names with one slug: the first in name order wins, as before
		}
	}
	if h.names == nil {
		h.names = map[article.Grouping]map[string]store.NameCount{}
	}
	h.names[kind] = m
	return m, nil
}

// forgetNames drops the names read by namesBySlug.
func (h *handler) forgetNames() {
	h.namesMu.Lock()
	defer h.namesMu.Unlock()
	h.names = nil
}

// listingTag is the page cache tag of a section's, tag's or author's
// listing (kind ""; the site's own listings).
func listingTag(kind article.Grouping, name string) string {
	switch kind {
	case article.BySection:
		return "s:" + name
	case article.ByTag:
		return "t:" + name
	case article.ByAuthor:
		return "au:" + name
	case "":
		return "list"
	}
	panic(fmt.Sprintf("server: listing of %q", kind))
}

func listingFor(kind article.Grouping, name string) store.Listing {
	switch kind {
	case article.BySection:
		return store.Listing{Section: name}
	case article.ByTag:
		return store.Listing{Tag: name}
	case article.ByAuthor:
		return store.Listing{Author: name}
	}
	panic(fmt.Sprintf("server: listing of %q", kind))
}

// showListing shows the published articles of a section, a tag or an
// author, newest first, a page at a time.
func (h *handler) showListing(kind article.Grouping) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := h.findNamed(c, kind)
		if err != nil {
			return err
		}
		list, pager, err := h.listingPage(c, h.settings().PageSize, listingFor(kind, n.Name), h.now())
		if err != nil {
			return err
		}
		path := kind.Path(n.Name)
		pager.Base = path
		cachePage(c, listingTag(kind, n.Name))
		cachePage(c, articleTags(list)...)
		var bio string
		if kind == article.ByAuthor {
			if bio, err = h.store.AuthorBio(c.Request().Context(), n.Name); err != nil {
				return err
			}
		}
		return h.render(c, http.StatusOK, web.ListingPage(web.ListingPageData{
			Site: h.site(), Kind: groupingNouns[kind], Named: web.Named{Name: n.Name, Path: path, Count: n.Count},
			Articles: list, Pager: pager, HasFeed: kind != article.ByAuthor, Bio: bio,
		}))
	}
}

// showFeed answers the Atom or RSS feed of the whole site (kind "") or of
// a section or tag.
func (h *handler) showFeed(kind article.Grouping, format feed.Format) echo.HandlerFunc {
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
			ch.Path = kind.Path(n.Name)
		}
		ch.FeedPath = format.Path(ch.Path)
		var err error
		if ch.Articles, err = h.store.LatestArticles(c.Request().Context(), listing, h.now(), feed.Size, 0); err != nil {
			return err
		}
		cachePage(c, listingTag(kind, listing.Section+listing.Tag))
		body, err := format.Write(ch)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, format.MediaType+"; charset=utf-8", body)
	}
}

// maxBio is the longest author biography, in characters.
const maxBio = 600
