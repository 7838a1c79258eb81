// Package audit names what the newsroom records about itself: who did what,
// to what, and when. It must not import HTTP, SQL or template code.
package audit

import (
	"strconv"
	"time"
)

// Action is a kind of recorded event.
type Action string

// The recorded actions.
const (
	Login            Action = "login"
	LoginFailed      Action = "login.failed"
	LoginThrottled   Action = "login.throttled"
	Logout           Action = "logout"
	Setup            Action = "setup"
	UserAdd          Action = "user.add"
	UserPassword     Action = "user.password"
	UserRole         Action = "user.role"
	UserDisable      Action = "user.disable"
	UserEnable       Action = "user.enable"
	ArticleEdit      Action = "article.edit"
	ArticlePublish   Action = "article.publish"
	ArticleUnpublish Action = "article.unpublish"
	ArticleSchedule  Action = "article.schedule"
	ArticleTrash     Action = "article.trash"
	ArticleNote      Action = "article.note"
	ArticleRestore   Action = "article.restore"
	CommentStatus    Action = "comment.status"
	CommentDelete    Action = "comment.delete"
	Settings         Action = "settings"
	MediaUpload      Action = "media.upload"
	AuthorBio        Action = "author.bio"
)

// ArticleTarget is the Target of an entry about an article.
func ArticleTarget(id int64) string { return "article " + strconv.FormatInt(id, 10) }

// Entry is one line of the audit log. UserID is 0 for events without a
// signed-in user, such as a failed sign-in or a command-line change.
type Entry struct {
	ID       int64
	At       time.Time
	UserID   int64
	Username string
	Action   Action
	Target   string // what it was done to: "comment 12", "user maya"
	Detail   string
	IP       string
}
