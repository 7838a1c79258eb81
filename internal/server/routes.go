package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/feed"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/static"
	"github.com/dateline/dateline/web"
)

// routes lists every route, grouped by page.
func (h *handler) routes(e *echo.Echo) {
	get := func(path string, fn echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, fn, m...)
	}
	costly := h.costly.guard // the pages that cost milliseconds to render (costly.go)

	// Front page.
	get("/", h.showHome)

	// For load balancers and monitors.
	get(web.HealthPath, h.showHealth)
	get(web.MetricsPath, h.showMetrics)

	// Date index, and the articles filed under it.
	get(web.ArchivePath, h.showArchive)
	get("/:year", h.showPeriod)
	get("/:year/:month", h.showPeriod)
	get("/:year/:month/:day", h.showPeriod)
	get(article.Route, h.showArticle)
	e.POST(article.CommentsRoute, h.createComment)
	get(article.CommentsRoute, h.showComments)

	// Search.
	get(web.SearchPath, h.showSearch, costly)

	// Sections, tags and authors, and the feeds of the site, its sections
	// and its tags.
	for _, g := range []article.Grouping{article.BySection, article.ByTag, article.ByAuthor} {
		get(g.Route(), h.showListing(g))
	}
	for _, f := range feed.Formats {
		get(f.Path("/"), h.showFeed("", f), costly)
		get(f.Path(article.BySection.Route()), h.showFeed(article.BySection, f), costly)
		get(f.Path(article.ByTag.Route()), h.showFeed(article.ByTag, f), costly)
	}

	// For crawlers.
	get(web.RobotsPath, h.showRobots)
	get(feed.SitemapIndexPath, h.showSitemap)
	get(feed.SitemapPartPattern, h.showSitemapPart, costly)
	get(feed.NewsSitemapPath, h.showNewsSitemap, costly)

	// Corrections across the site.
	get(web.CorrectionsPath, h.showCorrections)

	// Uploaded images, by content hash.
	get(media.PathPrefix+":name", h.serveMedia)

	// Newsroom. Every page is no-store and every form carries a per-session
	// token; requireUser and requireAdmin guard each route explicitly.
	admin := e.Group(web.AdminPath, noStore, h.loadSession, h.guardUploads, adminCSRF(h.secureCookies))
	// The group adds its prefix to each of web's full paths.
	at := func(path string) string { return strings.TrimPrefix(path, web.AdminPath) }
	// upload declares a form that may carry an image: its body may be
	// maxUploadBody, not the 64 KiB of every other form, with the upload's
	// own deadline (guardUploads, bodyLimits). Declared here, with the
	// route, so that a renamed route keeps its limit.
	upload := func(path string, fn echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		admin.POST(at(path), fn, m...)
		h.uploadRoutes[path] = true
	}
	admin.GET(at(web.AdminLoginPath), h.showLogin)
	admin.POST(at(web.AdminLoginPath), h.login)
	admin.GET(at(web.AdminSetupPath), h.showSetup)
	admin.POST(at(web.AdminSetupPath), h.setup)
	admin.POST(at(web.AdminLogoutPath), h.logout, h.requireUser)
	admin.GET(at(web.AdminPath), h.showDashboard, h.requireUser)
	admin.GET(at(web.AdminArticlesPath), h.listArticles, h.requireUser)
	admin.GET(at(web.AdminNewArticle), h.newArticle, h.requireUser)
	upload(web.AdminArticlesPath, h.saveArticle, h.requireUser)
	admin.GET(at(web.AdminArticlePattern), h.editArticle, h.requireUser)
	upload(web.AdminArticlePattern, h.saveArticle, h.requireUser)
	admin.POST(at(web.AdminArticleTrashPattern), h.trashArticle, h.requireUser)
	admin.POST(at(web.AdminArticleRestorePattern), h.restoreArticle, h.requireUser)
	admin.POST(at(web.AdminArticleNotesPattern), h.addArticleNote, h.requireUser)
	admin.GET(at(web.AdminRevisionPattern), h.showRevision, h.requireUser)
	admin.POST(at(web.AdminRevisionRestorePattern), h.restoreRevision, h.requireUser)
	admin.GET(at(web.AdminMediaPath), h.showMedia, h.requireUser)
	upload(web.AdminMediaPath, h.uploadMedia, h.requireUser)
	admin.GET(at(web.AdminAuthorsPath), h.showAuthors, h.requireUser)
	admin.POST(at(web.AdminAuthorsPath), h.saveAuthorBio, h.requireUser)
	admin.GET(at(web.AdminCommentsPath), h.showCommentQueue, h.requireUser)
	admin.POST(at(web.AdminCommentsPath), h.moderateComments, h.requireUser)
	admin.GET(at(web.AdminUsersPath), h.showUsers, h.requireAdmin)
	admin.POST(at(web.AdminUsersPath), h.addUser, h.requireAdmin)
	admin.POST(at(web.AdminUserRolePattern), h.changeUserRole, h.requireAdmin)
	admin.POST(at(web.AdminUserDisabledPattern), h.setUserDisabled, h.requireAdmin)
	admin.POST(at(web.AdminUserPasswordPattern), h.resetUserPassword, h.requireAdmin)
	admin.GET(at(web.AdminSettingsPath), h.showSettings, h.requireAdmin)
	admin.POST(at(web.AdminSettingsPath), h.saveSettings, h.requireAdmin)
	admin.GET(at(web.AdminAuditPath), h.showAudit, h.requireAdmin)

	// Embedded CSS and images.
	get(web.StaticPrefix+"*", serveStatic)
}

// serveStatic serves a file of the embedded static folder. Under its
// content-hashed name (css/site.3f9a2c1e.css, what pages link) a file
// never changes, so it may be kept for a year; under its plain name (for
// old pages and tools) it may change with the next release, so for an hour.
// Names that are not in the table (a stale hash, "..", encoded tricks,
// directories) are 404. Text goes out in the gzip or brotli form made once
// when the client takes it, with Content-Encoding set so that the
// compressor leaves it alone; a Range request gets ranges of the plain
// bytes.
func serveStatic(c echo.Context) error {
	name := c.Param("*")
	cacheControl := "public, max-age=31536000, immutable"
	f, ok := static.ByHashedName(name)
	if !ok {
		if f, ok = static.ByName(name); !ok {
			return echo.ErrNotFound
		}
		cacheControl = "public, max-age=3600"
	}
	req, w := c.Request(), c.Response()
	hdr := w.Header()
	hdr.Set("Cache-Control", cacheControl)
	hdr.Set("Content-Type", f.ContentType)
	body, etag, encoding := f.Body, f.ETag, ""
	if f.Gzip != nil {
		addVary(hdr, "Accept-Encoding")
		if req.Header.Get("Range") == "" {
			encoding = negotiateEncoding(req.Header.Get("Accept-Encoding"))
		}
	}
	switch encoding {
	case "br":
		body = f.Brotli
	case "gzip":
		body = f.Gzip
	default:
		// http.ServeContent answers Range, If-Range and If-None-Match.
		hdr.Set("ETag", etag)
		http.ServeContent(w, req, f.Name, time.Time{}, bytes.NewReader(body))
		return nil
	}
	// Each encoded form has a tag of its own (RFC 9110 8.8.3), and no
	// ranges are offered on it.
	etag = strings.TrimSuffix(etag, `"`) + "-" + encoding + `"`
	hdr.Set("ETag", etag)
	if etagMatches(req.Header.Get("If-None-Match"), etag) {
		hdr.Del("Content-Type")
		return c.NoContent(http.StatusNotModified)
	}
	hdr.Set("Content-Encoding", encoding)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// etagMatches applies If-None-Match with the weak comparison it calls for
// (RFC 9110 13.1.2): "*", or any listed tag equal to etag once W/ is set
// aside.
func etagMatches(ifNoneMatch, etag string) bool {
	for t := range strings.SplitSeq(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
