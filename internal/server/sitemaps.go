package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/sitemap"
	"github.com/dateline/dateline/internal/store"
)

const xmlType = "application/xml; charset=utf-8"

// sitemapEntries lists every address the sitemaps name.
func (h *handler) sitemapEntries(c echo.Context) ([]sitemap.Entry, error) {
	all, err := h.store.LatestArticles(c.Request().Context(), store.Listing{}, h.now(), -1, 0)
	if err != nil {
		return nil, err
	}
	return sitemap.Entries(all, h.site().Zone, article.Slugify), nil
}

// showSitemap answers /sitemap.xml: the whole sitemap, or, past 50,000
// addresses, the index of its parts.
func (h *handler) showSitemap(c echo.Context) error {
	entries, err := h.sitemapEntries(c)
	if err != nil {
		return err
	}
	var body []byte
	if sitemap.Parts(entries) == 1 {
		body, err = sitemap.URLSet(h.site().BaseURL, entries, 1)
	} else {
		body, err = sitemap.Index(h.site().BaseURL, entries)
	}
	if err != nil {
		return err
	}
	cachePage(c, "list")
	return c.Blob(http.StatusOK, xmlType, body)
}

// showSitemapPart answers /sitemap-N.xml, a part of a large sitemap.
func (h *handler) showSitemapPart(c echo.Context) error {
	num, ok := strings.CutSuffix(c.Param("part"), ".xml")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || num != strconv.Itoa(n) {
		return echo.ErrNotFound
	}
	entries, err := h.sitemapEntries(c)
	if err != nil {
		return err
	}
	if sitemap.Parts(entries) == 1 || n > sitemap.Parts(entries) {
		return echo.ErrNotFound // a small site has one sitemap, at /sitemap.xml
	}
	body, err := sitemap.URLSet(h.site().BaseURL, entries, n)
	if err != nil {
		return err
	}
	cachePage(c, "list")
	return c.Blob(http.StatusOK, xmlType, body)
}

// showNewsSitemap answers the Google News sitemap of the last 48 hours.
func (h *handler) showNewsSitemap(c echo.Context) error {
	now := h.now()
	recent, err := h.store.ArticlesBetween(c.Request().Context(), now.Add(-sitemap.NewsWindow), now.Add(1), now)
	if err != nil {
		return err
	}
	body, err := sitemap.News(h.site().BaseURL, h.site().Name, h.site().Zone, recent, now)
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
