package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/settings"
	"github.com/dateline/dateline/web"
)

// showSettings shows the site settings form. Admins only.
func (h *handler) showSettings(c echo.Context) error {
	return h.renderSettings(c, http.StatusOK, web.SettingsPageData{Form: settings.FormOf(h.settings()), Notice: h.notice(c)})
}

func (h *handler) renderSettings(c echo.Context, status int, d web.SettingsPageData) error {
	return h.renderFramed(c, status, func(f web.AdminFrame) templ.Component { d.Frame = f; return web.SettingsPage(d) })
}

// saveSettings stores the settings and puts them in force at once.
func (h *handler) saveSettings(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	f := settings.Form{
		Name: form.Get("name"), Tagline: form.Get("tagline"), ZoneName: form.Get("zone"), ZoneLabel: form.Get("zone_label"),
		Comments: form.Get("comments"), CloseAfterDays: form.Get("close_after_days"), PageSize: form.Get("page_size"),
	}
	set, errs := f.Settings()
	if errs != nil {
		return h.renderSettings(c, http.StatusUnprocessableEntity, web.SettingsPageData{Form: f, Errors: errs})
	}
	detail := "name " + set.Name + "; zone " + set.ZoneName + "; comments " + string(set.Comments)
	if err := h.store.SaveSiteSettings(c.Request().Context(), set, h.auditEntry(c, audit.Settings, "site", detail)); err != nil {
		return err
	}
	if err := h.loadSettings(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminSettingsPath, "Settings saved."))
}
