package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/search"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// showSearch searches published articles. An empty query shows the form;
// whatever is typed is made into a safe query, so no input is an error.
func (h *handler) showSearch(c echo.Context) error {
	ctx := c.Request().Context()
	d := web.SearchPageData{
		Site: h.site(), Query: c.QueryParam("q"), Section: c.QueryParam("section"),
		From: c.QueryParam("from"), To: c.QueryParam("to"),
	}
	if r := []rune(d.Query); len(r) > search.MaxQueryRunes {
		d.Query = string(r[:search.MaxQueryRunes])
	}
	for _, n := range h.site().Sections {
		d.Sections = append(d.Sections, n.Name)
	}
	q := store.SearchQuery{Text: d.Query, Section: d.Section, Now: h.now()}
	var bad bool
	if q.From, bad = h.searchDate(d.From, false); bad {
		d.Error = "Use dates such as 2024-06-20."
	}
	if q.To, bad = h.searchDate(d.To, true); bad {
		d.Error = "Use dates such as 2024-06-20."
	}
	if search.Query(d.Query) != "" && d.Error == "" {
		results, pager, err := listPage(c, web.SearchPageSize, func(limit, offset int) ([]store.SearchResult, error) {
			return h.store.Search(ctx, q, limit, offset)
		})
		if err != nil {
			return err
		}
		for _, r := range results {
			d.Results = append(d.Results, web.SearchResult{Article: r.Article, Snippet: search.Fragments(r.Snippet)})
		}
		pager.Base = web.SearchPath + "?" + url.Values{"q": {d.Query}, "section": {d.Section}, "from": {d.From}, "to": {d.To}}.Encode()
		d.Pager, d.Searched = pager, true
	}
	cachePage(c, "list")
	for _, r := range d.Results {
		cachePage(c, "a:"+strconv.FormatInt(r.Article.ID, 10))
	}
	return h.render(c, http.StatusOK, web.SearchPage(d))
}

// searchDate reads a site-local date of the search form: the start of that
// day, or with end the start of the next. Empty is no bound; bad reports a
// date that does not parse.
func (h *handler) searchDate(s string, end bool) (t time.Time, bad bool) {
	if s == "" {
		return time.Time{}, false
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, true
	}
	p, err := calendar.ParsePeriod(s[0:4], s[5:7], s[8:10])
	if err != nil {
		return time.Time{}, true
	}
	start, stop := p.Bounds(h.site().Zone)
	if end {
		return stop, false
	}
	return start, false
}
