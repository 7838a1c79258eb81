package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/store"

	"github.com/dateline/dateline/web"
)

// showHome lists the latest articles, a page (a site setting) at a time.
func (h *handler) showHome(c echo.Context) error {
	now := h.now()
	list, pager, err := listPage(c, h.settings().PageSize, func(limit, offset int) ([]article.Article, error) {
		return h.store.LatestArticles(c.Request().Context(), store.Listing{}, now, limit, offset)
	})
	if err != nil {
		return err
	}
	pager.Base = "/"
	cachePage(c, "list")
	cachePage(c, articleTags(list)...)
	return h.render(c, http.StatusOK, web.HomePage(web.HomePageData{Site: h.site(), Articles: list, Pager: pager}))
}

// listPage fetches the page of a listing that ?page asks for, size items
// long. It fetches one item more than it shows, to tell whether an older
// page exists without counting. A malformed page number, or a page past the
// end, is 404; the caller sets the pager's Base.
func listPage[T any](c echo.Context, size int, fetch func(limit, offset int) ([]T, error)) ([]T, web.Pager, error) {
	page, ok := parsePage(c.QueryParam("page"))
	if !ok {
		return nil, web.Pager{}, echo.ErrNotFound
	}
	items, err := fetch(size+1, (page-1)*size)
	if err != nil {
		return nil, web.Pager{}, err
	}
	if page > 1 && len(items) == 0 {
		return nil, web.Pager{}, echo.ErrNotFound
	}
	hasNext := len(items) > size
	if hasNext {
		items = items[:size]
	}
	return items, web.Pager{Page: page, HasPrev: page > 1, HasNext: hasNext}, nil
}

// parsePage reads ?page=N strictly: absent is 1; otherwise digits only, at
// least 1, at most 100000.
func parsePage(s string) (int, bool) {
	if s == "" {
		return 1, true
	}
	if len(s) > 6 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100000 {
		return 0, false
	}
	return n, true
}

// showHealth answers 200 when the database answers, and 503 when it does
// not. It is never cached.
func (h *handler) showHealth(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := h.store.Ping(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "database does not answer").SetInternal(err)
	}
	return c.String(http.StatusOK, "ok\n")
}
