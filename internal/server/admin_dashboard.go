package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/web"
)

// showDashboard is the newsroom's front page.
func (h *handler) showDashboard(c echo.Context) error {
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	states, err := h.store.ArticleStateCounts(c.Request().Context(), h.now())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, web.DashboardPage(web.DashboardPageData{Frame: f, States: states}))
}

// showAudit lists the audit log, newest first. Admins only.
func (h *handler) showAudit(c echo.Context) error {
	list, pager, err := listPage(c, 100, func(limit, offset int) ([]audit.Entry, error) {
		return h.store.AuditLog(c.Request().Context(), limit, offset)
	})
	if err != nil {
		return err
	}
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, web.AuditPage(web.AuditPageData{Frame: f, Entries: list, Page: pager.Page, HasNext: pager.HasNext}))
}
