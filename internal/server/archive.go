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
	years, err := h.store.Years(c.Request().Context(), h.now())
	if err != nil {
		return err
	}
	counts := h.periodCounts(years)
	slices.Reverse(counts)
	cachePage(c, "list")
	return h.render(c, http.StatusOK, web.ArchivePage(web.ArchivePageData{Site: h.site(), Years: counts}))
}

// showPeriod shows a year (its months), a month (its days and its latest
// stories) or a day (its stories, a page at a time). Dates that do not
// exist, and periods without articles, are 404.
func (h *handler) showPeriod(c echo.Context) error {
	p, err := calendar.ParsePeriod(c.Param("year"), c.Param("month"), c.Param("day"))
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	now := h.now() // one instant for every query of the page
	total, err := h.store.PeriodCount(ctx, p.Key(), now)
	if err != nil {
		return err
	}
	if total == 0 {
		return echo.ErrNotFound
	}
	d := web.PeriodPageData{Site: h.site(), Period: p, Total: total}
	var parts []store.KeyCount
	switch p.Of {
	case calendar.Year:
		parts, err = h.store.Months(ctx, p.Key(), now)
	case calendar.Month:
		parts, err = h.store.Days(ctx, p.Key(), now)
	}
	if err != nil {
		return err
	}
	d.Parts = h.periodCounts(parts)
	start, end := p.Bounds(h.site().Zone)
	if p.Of != calendar.Year {
		// A month shows its latest page of stories (its days lead to the
		// rest); a day pages through all of its own.
		d.Articles, d.Pager, err = h.listingPage(c, h.settings().PageSize, store.Listing{From: start, To: end}, now)
		if err != nil {
			return err
		}
		if p.Of == calendar.Month {
			d.Pager = web.Pager{}
		}
		d.Pager.Base = p.Path()
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

// periodCounts turns the store's counts into periods of the date index.
func (h *handler) periodCounts(list []store.KeyCount) []web.PeriodCount {
	out := make([]web.PeriodCount, 0, len(list))
	for _, kc := range list {
		if p, ok := h.period(kc.Key); ok {
			out = append(out, web.PeriodCount{Period: p, Count: kc.N})
		}
	}
	return out
}

// period reads a key of the date index. A key that is no date comes from
// a stored instant outside the years SQLite's date functions know (one
// stored before those were refused, article.InstantInRange): it is
// logged and left out, so the pages that list the dates still answer.
func (h *handler) period(key string) (calendar.Period, bool) {
	p, err := calendar.PeriodOfKey(key)
	if err != nil {
		h.log.Warn("date index: skipping a key that is no date; an article's publication time is out of range",
			"key", key, "error", err)
		return calendar.Period{}, false
	}
	return p, true
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
