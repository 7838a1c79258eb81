package web

import (
	"strings"

	"github.com/a-h/templ"
	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/fields"
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
	return templ.SafeURL(AdminQueuePath(status))
}

// commentStatuses are the filters of the moderation queue, in order.
var commentStatuses = []comment.Status{comment.Pending, comment.Approved, comment.Rejected, comment.Spam}

// adminInvalid is invalidAttrs for the newsroom's fields, whose ids start
// with "admin-".
func adminInvalid(errs fields.Errors, field string) templ.Attributes {
	return invalidAttrs(errs, "admin-", field)
}

// queueArticleURL links a comment in the queue to its article.
func queueArticleURL(site Site, c comment.Comment) templ.SafeURL {
	a := article.Article{Slug: c.ArticleSlug, PublishedAt: c.ArticlePublishedAt}
	return templ.SafeURL(a.Path(site.Zone))
}

// articleStates are the filters of the article list, in order.
var articleStates = []struct {
	value article.State
	label string
}{
	{"", "All but the trash"}, {article.StateDraft, "Drafts"}, {article.StateScheduled, "Scheduled"},
	{article.StatePublished, "Published"}, {article.StateTrashed, "Trash"},
}

func editArticleURL(id int64) templ.SafeURL {
	return templ.SafeURL(AdminArticlePath(id))
}

// saveArticleURL is where the article form posts: the article, or the list
// for a new one.
func saveArticleURL(id int64) templ.SafeURL {
	if id == 0 {
		return AdminArticlesPath
	}
	return editArticleURL(id)
}

func trashArticleURL(a article.Article) templ.SafeURL {
	if a.Trashed() {
		return adminURL(AdminArticleRestorePattern, a.ID)
	}
	return adminURL(AdminArticleTrashPattern, a.ID)
}

func revisionURL(r article.Revision) templ.SafeURL {
	return adminURL(AdminRevisionPattern, r.Article.ID, int64(r.Version))
}

func restoreRevisionURL(r article.Revision) templ.SafeURL {
	return adminURL(AdminRevisionRestorePattern, r.Article.ID, int64(r.Version))
}

// adminURL is a link to one of the newsroom's patterns (paths.go).
func adminURL(pattern string, values ...int64) templ.SafeURL {
	return templ.SafeURL(Fill(pattern, values...))
}

func editTitle(d ArticleEditPageData) string {
	if d.Article.ID == 0 {
		return "New article"
	}
	return "Edit article"
}

// revisionField is one field of a revision compared with the current
// article.
type revisionField struct {
	Name    string
	Old     string
	Changed bool
	Diff    []article.DiffLine
}

func revisionFields(old, current article.Article) []revisionField {
	pairs := []struct{ name, old, cur string }{
		{"Headline", old.Headline, current.Headline},
		{"Slug", old.Slug, current.Slug},
		{"Summary", old.Summary, current.Summary},
		{"Story", old.Body, current.Body},
		{"Author", old.Author, current.Author},
		{"Section", old.Section, current.Section},
		{"Tags", strings.Join(old.Tags, ", "), strings.Join(current.Tags, ", ")},
		{"Language", old.Language, current.Language},
	}
	fields := make([]revisionField, 0, len(pairs))
	for _, p := range pairs {
		f := revisionField{Name: p.name, Old: p.old, Changed: p.old != p.cur}
		if f.Changed {
			f.Diff = article.LineDiff(p.old, p.cur)
		}
		fields = append(fields, f)
	}
	return fields
}

func userActionURL(u account.User, pattern string) templ.SafeURL {
	return adminURL(pattern, u.ID)
}
