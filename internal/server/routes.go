package server

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/static"
)

// routes lists every route, grouped by page.
func (h *handler) routes(e *echo.Echo) {
	get := func(path string, fn echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, fn)
	}

	// Front page.
	get("/", h.showHome)

	// Date index, and the articles filed under it.
	get("/archive", h.showArchive)
	get("/:year", h.showPeriod)
	get("/:year/:month", h.showPeriod)
	get("/:year/:month/:day", h.showPeriod)
	get("/:year/:month/:day/:slug", h.showArticle)
	e.POST("/:year/:month/:day/:slug/comments", h.createComment)
	get("/:year/:month/:day/:slug/comments", h.showComments)

	// Newsroom. Every page is no-store and every form carries a per-session
	// token; requireUser and requireAdmin guard each route explicitly.
	admin := e.Group("/admin", noStore, adminCSRF(h.secureCookies), h.loadSession)
	admin.GET("/login", h.showLogin)
	admin.POST("/login", h.login)
	admin.GET("/setup", h.showSetup)
	admin.POST("/setup", h.setup)
	admin.POST("/logout", h.logout, h.requireUser)
	admin.GET("", h.showDashboard, h.requireUser)
	admin.GET("/comments", h.showCommentQueue, h.requireUser)
	admin.POST("/comments", h.moderateComments, h.requireUser)
	admin.GET("/audit", h.showAudit, h.requireAdmin)

	// Embedded CSS and images.
	assets, _ := fs.Sub(static.FS, ".")
	e.StaticFS("/static", assets)
}
