package web

import (
	"strconv"
	"strings"

	"github.com/dateline/dateline/internal/comment"
)

// The public pages' fixed addresses (articles, listings, feeds, sitemaps
// and images build theirs in internal/article, internal/feed and
// internal/media).
const (
	ArchivePath     = "/archive"
	SearchPath      = "/search"
	CorrectionsPath = "/corrections"
	HealthPath      = "/healthz"
	MetricsPath     = "/metrics"
	RobotsPath      = "/robots.txt"
	StaticPrefix    = "/static/"
)

// The newsroom's addresses, in one place for its routes
// (internal/server/routes.go declares each of these), its links, its forms
// and the server's redirects.
const (
	AdminPath         = "/admin"
	AdminLoginPath    = "/admin/login"
	AdminLogoutPath   = "/admin/logout"
	AdminSetupPath    = "/admin/setup"
	AdminArticlesPath = "/admin/articles"
	AdminNewArticle   = "/admin/articles/new"
	AdminMediaPath    = "/admin/media"
	AdminAuthorsPath  = "/admin/authors"
	AdminCommentsPath = "/admin/comments"
	AdminUsersPath    = "/admin/users"
	AdminSettingsPath = "/admin/settings"
	AdminAuditPath    = "/admin/audit"
)

// The newsroom's addresses of one article, revision or user, as route
// patterns; Fill makes a link of one.
const (
	AdminArticlePattern         = AdminArticlesPath + "/:id"
	AdminArticleTrashPattern    = AdminArticlePattern + "/trash"
	AdminArticleRestorePattern  = AdminArticlePattern + "/restore"
	AdminArticleNotesPattern    = AdminArticlePattern + "/notes"
	AdminRevisionPattern        = AdminArticlePattern + "/revisions/:version"
	AdminRevisionRestorePattern = AdminRevisionPattern + "/restore"
	AdminUserRolePattern        = AdminUsersPath + "/:id/role"
	AdminUserDisabledPattern    = AdminUsersPath + "/:id/disabled"
	AdminUserPasswordPattern    = AdminUsersPath + "/:id/password"
)

// Fill puts values, in order, in place of a route pattern's :parameters.
// A count that does not match the pattern is a programming error.
func Fill(pattern string, values ...int64) string {
	parts := strings.Split(pattern, "/")
	n := 0
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			if n == len(values) {
				panic("web.Fill: too few values for " + pattern)
			}
			parts[i] = strconv.FormatInt(values[n], 10)
			n++
		}
	}
	if n != len(values) {
		panic("web.Fill: too many values for " + pattern)
	}
	return strings.Join(parts, "/")
}

// AdminArticlePath is an article's page in the newsroom.
func AdminArticlePath(id int64) string { return Fill(AdminArticlePattern, id) }

// AdminQueuePath is the moderation queue filtered by status.
func AdminQueuePath(status comment.Status) string {
	return AdminCommentsPath + "?status=" + string(status)
}
