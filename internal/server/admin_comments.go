package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/web"
)

// queuePageSize is the length of a page of the moderation queue.
const queuePageSize = 50

// showCommentQueue lists comments of one status (pending by default),
// newest first.
func (h *handler) showCommentQueue(c echo.Context) error {
	status := comment.Pending
	if s := c.QueryParam("status"); s != "" {
		var ok bool
		if status, ok = comment.ParseStatus(s); !ok {
			return echo.ErrNotFound
		}
	}
	ctx := c.Request().Context()
	list, pager, err := listPage(c, queuePageSize, func(limit, offset int) ([]comment.Comment, error) {
		return h.store.Comments(ctx, status, limit, offset)
	})
	if err != nil {
		return err
	}
	counts, err := h.store.CommentCounts(ctx)
	if err != nil {
		return err
	}
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, web.CommentQueuePage(web.CommentQueuePageData{
		Frame: f, Status: status, Counts: counts, Comments: list, Page: pager.Page, HasNext: pager.HasNext,
		Notice: h.notice(c),
	}))
}

// moderationActions maps a form action to what it does to a comment;
// "delete" removes it.
var moderationActions = map[string]comment.Status{
	"approve": comment.Approved,
	"reject":  comment.Rejected,
	"spam":    comment.Spam,
	"delete":  "",
}

// moderateComments applies one action to one comment (a row's button,
// "one=approve:12") or to every selected comment (the bulk form).
func (h *handler) moderateComments(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	action := form.Get("action")
	ids := form["id"]
	if one := form.Get("one"); one != "" {
		var id string
		action, id, _ = strings.Cut(one, ":")
		ids = []string{id}
	}
	target, known := moderationActions[action]
	if !known {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown moderation action")
	}
	parsed := make([]int64, 0, len(ids))
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "bad comment id")
		}
		parsed = append(parsed, id)
	}
	entry := h.auditEntry(c, audit.CommentStatus, "", string(target))
	if target == "" {
		entry.Action = audit.CommentDelete
	}
	if err := h.store.ModerateComments(c.Request().Context(), parsed, target, entry); err != nil {
		return err
	}
	done := len(parsed)
	back := comment.Pending
	if st, ok := comment.ParseStatus(form.Get("status")); ok {
		back = st
	}
	notice := "No comment was selected."
	if done > 0 {
		verb := map[string]string{"approve": "approved", "reject": "rejected", "spam": "marked as spam", "delete": "deleted"}[action]
		notice = fmt.Sprintf("%s %s.", web.Plural(done, "comment", "comments"), verb)
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminQueuePath(back), notice))
}
