package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feed"
)

const xmlType = "application/xml; charset=utf-8"

// showSitemap answers /sitemap.xml, the index of the sitemaps: one for the
// sections, tags and archive days, and one for each span of
// feed.ArticlesPerSitemap article numbers.
func (h *handler) showSitemap(c echo.Context) error {
	last, err := h.store.LastArticleID(c.Request().Context())
	if err != nil {
		return err
	}
	parts := []feed.SitemapEntry{{Path: feed.SitemapPagesPath}}
	for n := range feed.SitemapParts(last) {
		parts = append(parts, feed.SitemapEntry{Path: feed.SitemapPartPath(n + 1)})
	}
	body, err := feed.SitemapIndex(h.site().BaseURL, parts)
	if err != nil {
		return err
	}
	cachePage(c, "list")
	return c.Blob(http.StatusOK, xmlType, body)
}

// showSitemapPart answers /sitemap-pages.xml and /sitemap-N.xml.
func (h *handler) showSitemapPart(c echo.Context) error {
	ctx := c.Request().Context()
	now := h.now()
	var entries []feed.SitemapEntry
	if c.Param("part") == "pages.xml" {
		for _, kind := range []article.Grouping{article.BySection, article.ByTag} {
			names, err := h.store.Names(ctx, kind, now)
			if err != nil {
				return err
			}
			for _, n := range names {
				entries = append(entries, feed.SitemapEntry{Path: kind.Path(n.Name)})
			}
		}
		days, err := h.store.Dates(ctx, now)
		if err != nil {
			return err
		}
		for _, d := range days {
			if p, ok := h.period(d.Key); ok {
				entries = append(entries, feed.SitemapEntry{Path: p.Path()})
			}
		}
	} else {
		num, ok := strings.CutSuffix(c.Param("part"), ".xml")
		n, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || n < 1 || num != strconv.FormatInt(n, 10) {
			return echo.ErrNotFound
		}
		last, err := h.store.LastArticleID(ctx)
		if err != nil {
			return err
		}
		if n > feed.SitemapParts(last) {
			return echo.ErrNotFound
		}
		first, end := feed.SitemapPartIDs(n)
		list, err := h.store.ArticlesNumbered(ctx, first, end, now)
		if err != nil {
			return err
		}
		entries = feed.SitemapEntries(list, h.site().Zone)
	}
	body, err := feed.Sitemap(h.site().BaseURL, entries)
	if err != nil {
		return err
	}
	cachePage(c, "list")
	return c.Blob(http.StatusOK, xmlType, body)
}

// showNewsSitemap answers the Google News sitemap of the last 48 hours.
func (h *handler) showNewsSitemap(c echo.Context) error {
	now := h.now()
	recent, err := h.store.ArticlesBetween(c.Request().Context(), now.Add(-feed.NewsWindow), now.Add(1), now)
	if err != nil {
		return err
	}
	body, err := feed.NewsSitemap(h.site().BaseURL, h.site().Name, h.site().Zone, recent, now)
	if err != nil {
		return err
	}
	cachePage(c, "list")
	return c.Blob(http.StatusOK, xmlType, body)
}

// showRobots names the sitemaps and keeps crawlers out of the newsroom.
func (h *handler) showRobots(c echo.Context) error {
	base := h.site().BaseURL
	cachePage(c)
	return c.String(http.StatusOK, fmt.Sprintf("User-agent: *\nDisallow: /admin\n\nSitemap: %s/sitemap.xml\nSitemap: %s/news-sitemap.xml\n", base, base))
}
