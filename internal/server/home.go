package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/store"

	"github.com/dateline/dateline/web"
)

// showHome lists the latest articles, a page (a site setting) at a time.
func (h *handler) showHome(c echo.Context) error {
	list, pager, err := h.listingPage(c, h.settings().PageSize, store.Listing{}, h.now())
	if err != nil {
		return err
	}
	pager.Base = "/"
	cachePage(c, "list")
	cachePage(c, articleTags(list)...)
	return h.render(c, http.StatusOK, web.HomePage(web.HomePageData{Site: h.site(), Articles: list, Pager: pager}))
}

// maxOffsetPage is the deepest ?page=N that a listing answers by skipping
// rows. Listings of stories link their older pages by cursor instead
// (?before=ID), which costs the same at any depth; page=N without a
// cursor stays for old links and short lists.
const maxOffsetPage = 10

// listingPage fetches the page of a listing of stories that the request
// asks for: ?before=ID (older than that story), ?after=ID (newer), or the
// first. page=N beside a cursor only numbers the page; alone it skips rows
// (at most maxOffsetPage pages deep). Malformed cursors, and pages past the
// end, are 404. The caller sets the pager's Base.
func (h *handler) listingPage(c echo.Context, size int, l store.Listing, now time.Time) ([]article.Article, web.Pager, error) {
	page, ok := parsePage(c.QueryParam("page"))
	before, okBefore := parseCursor(c.QueryParam("before"))
	after, okAfter := parseCursor(c.QueryParam("after"))
	if !ok || !okBefore || !okAfter || (before != 0 && after != 0) {
		return nil, web.Pager{}, echo.ErrNotFound
	}
	l.Before, l.After = before, after
	offset := 0
	if before == 0 && after == 0 {
		if page > maxOffsetPage {
			return nil, web.Pager{}, echo.ErrNotFound
		}
		offset = (page - 1) * size
	} else if page < 2 {
		page = 2 // a cursor page is never the first
	}
	items, err := h.store.LatestArticles(c.Request().Context(), l, now, size+1, offset)
	if err != nil {
		return nil, web.Pager{}, err
	}
	if (page > 1 || before != 0) && len(items) == 0 {
		return nil, web.Pager{}, echo.ErrNotFound
	}
	more := len(items) > size
	if more {
		if after != 0 {
			items = items[1:] // fetched oldest first from the cursor: the extra one is the newest
		} else {
			items = items[:size]
		}
	}
	p := web.Pager{Page: page, HasPrev: page > 1, HasNext: more || after != 0}
	if len(items) > 0 {
		if before != 0 || after != 0 {
			p.Cursor = cursorOf(before, after)
		}
		p.NextCursor = "before=" + strconv.FormatInt(items[len(items)-1].ID, 10)
		if page > 2 {
			p.PrevCursor = "after=" + strconv.FormatInt(items[0].ID, 10)
		}
	}
	return items, p, nil
}

// cursorOf is the query of the page a request asked for by cursor.
func cursorOf(before, after int64) string {
	if before != 0 {
		return "before=" + strconv.FormatInt(before, 10)
	}
	return "after=" + strconv.FormatInt(after, 10)
}

// parseCursor reads an article id of ?before= or ?after=: absent is 0;
// otherwise digits only, no leading zero.
func parseCursor(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	if len(s) > 18 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// listPage fetches the page of a short listing that ?page asks for, size
// items long, by skipping rows. It fetches one item more than it shows, to
// tell whether an older page exists without counting. A malformed page
// number, or a page past the end, is 404; the caller sets the pager's Base.
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
