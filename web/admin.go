package web

import (
	"github.com/a-h/templ"
	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// AdminFrame is what every newsroom page needs: who is signed in, the form
// token for their session, and the count the navigation shows.
type AdminFrame struct {
	Site    Site
	User    account.User
	CSRF    string
	Pending int // comments waiting for moderation
}

// commentQueueURL is the moderation queue filtered by status.
func commentQueueURL(status comment.Status) templ.SafeURL {
	return templ.SafeURL("/admin/comments?status=" + string(status))
}

// commentStatuses are the filters of the moderation queue, in order.
var commentStatuses = []comment.Status{comment.Pending, comment.Approved, comment.Rejected, comment.Spam}

// adminInvalid marks a newsroom form field as invalid and points it at its
// message, when it has one.
func adminInvalid(errs map[string]string, field string) templ.Attributes {
	if errs[field] == "" {
		return nil
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": "admin-" + field + "-error"}
}

// queueArticleURL links a comment in the queue to its article.
func queueArticleURL(site Site, c comment.Comment) templ.SafeURL {
	a := article.Article{Slug: c.ArticleSlug, PublishedAt: c.ArticlePublishedAt}
	return templ.SafeURL(a.Path(site.Zone))
}
