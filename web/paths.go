package web

import (
	"strconv"

	"github.com/dateline/dateline/internal/comment"
)

// The newsroom's addresses, in one place for its links, its forms and the
// server's redirects (internal/server/routes.go declares the same paths
// under the "/admin" group).
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

// AdminArticlePath is an article's page in the newsroom.
func AdminArticlePath(id int64) string { return AdminArticlesPath + "/" + strconv.FormatInt(id, 10) }

// AdminUserPath is where a form acts on a user ("role", "disabled",
// "password").
func AdminUserPath(id int64, action string) string {
	return AdminUsersPath + "/" + strconv.FormatInt(id, 10) + "/" + action
}

// AdminQueuePath is the moderation queue filtered by status.
func AdminQueuePath(status comment.Status) string {
	return AdminCommentsPath + "?status=" + string(status)
}
