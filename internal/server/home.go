package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/web"
)

// showHome lists the latest articles, a page (a site setting) at a time.
func (h *handler) showHome(c echo.Context) error {
	page, ok := parsePage(c.QueryParam("page"))
	if !ok {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	size := h.settings().PageSize
	// One extra row tells whether an older page exists, without a count.
	list, err := h.store.LatestArticles(ctx, h.now(), size+1, (page-1)*size)
	if err != nil {
		return err
	}
	if page > 1 && len(list) == 0 {
		return echo.ErrNotFound
	}
	hasNext := len(list) > size
	if hasNext {
		list = list[:size]
	}
	return h.render(c, http.StatusOK, web.HomePage(web.HomePageData{
		Site:     h.site(),
		Articles: list,
		Pager:    web.Pager{Page: page, HasPrev: page > 1, HasNext: hasNext, Base: "/"},
	}))
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
