package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// showArchive lists the years that have articles, newest first.
func (h *handler) showArchive(c echo.Context) error {
	ctx := c.Request().Context()
	now := h.now()
	first, err := h.store.FirstPublishedFrom(ctx, time.Time{}, now)
	if errors.Is(err, store.ErrNotFound) {
		cachePage(c, "list")
		return h.render(c, http.StatusOK, web.ArchivePage(web.ArchivePageData{Site: h.site()}))
	}
	if err != nil {
		return err
	}
	var years []calendar.Period
	for y := h.site().Zone.DateOf(first).Year; y <= h.site().Zone.DateOf(now).Year; y++ {
		years = append(years, calendar.YearPeriod(y))
	}
	counts, err := h.periodCounts(c, years, now)
	if err != nil {
		return err
	}
	slices.Reverse(counts)
	cachePage(c, "list")
	return h.render(c, http.StatusOK, web.ArchivePage(web.ArchivePageData{Site: h.site(), Years: counts}))
}

// showPeriod shows a year (its months), a month (its days and articles) or a
// day (its articles). Dates that do not exist, and periods without
// articles, are 404.
func (h *handler) showPeriod(c echo.Context) error {
	p, err := calendar.ParsePeriod(c.Param("year"), c.Param("month"), c.Param("day"))
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	now := h.now() // one instant for every query of the page
	start, end := p.Bounds(h.site().Zone)
	total, err := h.store.ArticleCounts(ctx, []time.Time{start, end}, now)
	if err != nil {
		return err
	}
	if total[0] == 0 {
		return echo.ErrNotFound
	}
	d := web.PeriodPageData{Site: h.site(), Period: p, Total: total[0]}
	if parts := p.Parts(); parts != nil {
		if d.Parts, err = h.periodCounts(c, parts, now); err != nil {
			return err
		}
	}
	if p.Of != calendar.Year {
		if d.Articles, err = h.store.ArticlesBetween(ctx, start, end, now); err != nil {
			return err
		}
	}
	if d.Prev, err = h.neighbour(c, p, h.store.LastPublishedBefore, start, now); err != nil {
		return err
	}
	if d.Next, err = h.neighbour(c, p, h.store.FirstPublishedFrom, end, now); err != nil {
		return err
	}
	cachePage(c, "list")
	cachePage(c, articleTags(d.Articles)...)
	return h.render(c, http.StatusOK, web.PeriodPage(d))
}

// periodCounts counts the articles of consecutive periods and keeps those
// that have any, in order.
func (h *handler) periodCounts(c echo.Context, periods []calendar.Period, now time.Time) ([]web.PeriodCount, error) {
	edges := make([]time.Time, 0, len(periods)+1)
	for _, p := range periods {
		start, _ := p.Bounds(h.site().Zone)
		edges = append(edges, start)
	}
	_, end := periods[len(periods)-1].Bounds(h.site().Zone)
	edges = append(edges, end)
	counts, err := h.store.ArticleCounts(c.Request().Context(), edges, now)
	if err != nil {
		return nil, err
	}
	var out []web.PeriodCount
	for i, n := range counts {
		if n > 0 {
			out = append(out, web.PeriodCount{Period: periods[i], Count: n})
		}
	}
	return out, nil
}

// neighbour finds the nearest period of p's kind that has articles, before
// or after p depending on find, or nil when there is none.
func (h *handler) neighbour(c echo.Context, p calendar.Period,
	find func(ctx context.Context, t, now time.Time) (time.Time, error), at, now time.Time) (*calendar.Period, error) {
	t, err := find(c.Request().Context(), at, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n := h.site().Zone.DateOf(t).Truncate(p.Of)
	return &n, nil
}
