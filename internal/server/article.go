package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/settings"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// maxUserAgent bounds the user agent kept with a comment for moderators, in
// characters.
const maxUserAgent = 512

// findArticle reads the date and slug of an article address and loads the
// article if readers may see it. canonical reports whether the address is
// the article's own (its site-local publication date).
func (h *handler) findArticle(c echo.Context) (a article.Article, canonical bool, err error) {
	period, err := calendar.ParsePeriod(c.Param("year"), c.Param("month"), c.Param("day"))
	if err != nil {
		return article.Article{}, false, echo.ErrNotFound
	}
	slug, err := url.PathUnescape(c.Param("slug")) // the router may hand over the escaped form
	if err != nil || !article.ValidSlug(slug) {
		return article.Article{}, false, echo.ErrNotFound
	}
	ctx := c.Request().Context()
	a, err = h.store.ArticleBySlug(ctx, slug, h.now())
	if errors.Is(err, store.ErrNotFound) {
		// A slug the article had before an editor changed it: not canonical,
		// so the caller redirects to the address it has now (or answers 410
		// if it went to the trash).
		old, oldErr := h.store.ArticleByOldSlug(ctx, slug, h.now())
		switch {
		case oldErr == nil:
			return old, false, nil
		case errors.Is(oldErr, store.ErrGone):
			return article.Article{}, false, oldErr
		}
	}
	if err != nil {
		return article.Article{}, false, err
	}
	return a, period == h.site().Zone.DateOf(a.PublishedAt).Truncate(calendar.Day) && slug == a.Slug, nil
}

// location is the article's address for a Location header, escaped (slugs
// may be in any script), followed by suffix.
func (h *handler) location(a article.Article, suffix string) string {
	return (&url.URL{Path: a.Path(h.site().Zone)}).EscapedPath() + suffix
}

// showArticle shows an article with its approved comments and the form.
// The same slug under another date is sent to the canonical address.
func (h *handler) showArticle(c echo.Context) error {
	a, canonical, err := h.findArticle(c)
	if err != nil {
		return err
	}
	if !canonical {
		return c.Redirect(http.StatusMovedPermanently, h.location(a, ""))
	}
	pending := c.QueryParam("comment") == "pending"
	if pending {
		// The thank-you notice is for the reader who just wrote; the plain
		// address stays the same for everyone.
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	if !pending {
		// The page shows the article, the stories of its section and tags
		// (related), and the form's minute stamp.
		cachePage(c, "a:"+strconv.FormatInt(a.ID, 10), "s:"+a.Section)
		for _, t := range a.Tags {
			cachePage(c, "t:"+t)
		}
		cachePageUntil(c, h.now().Truncate(time.Minute).Add(time.Minute))
		if closes := h.settings().CommentsCloseAt(a.PublishedAt); closes.After(h.now()) {
			cachePageUntil(c, closes)
		}
	}
	return h.renderArticle(c, http.StatusOK, a, web.CommentForm{}, pending)
}

// showComments answers a GET of the form's address, which a reader reaches
// by reloading after a refused submission, with the article's opinions.
func (h *handler) showComments(c echo.Context) error {
	a, _, err := h.findArticle(c)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.location(a, "#comments"))
}

// commentsOpen reports whether an article takes comments now: not closed
// by its editor, nor by the site's policy or the closing age.
func (h *handler) commentsOpen(a article.Article) bool {
	return !a.CommentsClosed && h.settings().CommentsOpen(a.PublishedAt, h.now())
}

func (h *handler) renderArticle(c echo.Context, status int, a article.Article, form web.CommentForm, pending bool) error {
	ctx := c.Request().Context()
	form.Stamp = comment.Stamp(h.stampKey, a.ID, h.now())
	comments, err := h.store.ApprovedComments(ctx, a.ID)
	if err != nil {
		return err
	}
	notes, err := h.store.ArticleNotes(ctx, a.ID)
	if err != nil {
		return err
	}
	related, err := h.store.RelatedArticles(ctx, a, h.now(), 5)
	if err != nil {
		return err
	}
	cachePage(c, articleTags(related)...)
	return h.render(c, status, web.ArticlePage(web.ArticlePageData{
		Site: h.site(), Article: a, Notes: notes, Related: related, Comments: comments, Form: form, Pending: pending,
		CommentsOpen: h.commentsOpen(a),
	}))
}

// createComment takes an opinion from the form. Bad input re-renders the
// page with 422 and everything the reader typed; good input is stored for
// moderation and answered 303 (post/redirect/get).
func (h *handler) createComment(c echo.Context) error {
	a, canonical, err := h.findArticle(c)
	if err != nil {
		return err
	}
	if !canonical {
		return echo.ErrNotFound
	}
	if !h.commentsOpen(a) {
		h.metrics.comment("closed")
		return echo.NewHTTPError(http.StatusForbidden, "comments are closed")
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	draft := comment.Draft{
		Name:    form.Get("name"),
		Email:   form.Get("email"),
		Body:    form.Get("body"),
		Website: form.Get("website"),
	}.Normalize()

	kept := func(code int, f web.CommentForm) error {
		f.Draft = draft
		c.Response().Header().Set("Cache-Control", "no-store")
		return h.renderArticle(c, code, a, f, false)
	}
	v := comment.Triage(draft, comment.Form{Key: h.stampKey, ArticleID: a.ID, Stamp: form.Get("ts"), Now: h.now()},
		h.settings().Comments == settings.ApproveComments)
	if v.Outcome != comment.Keep {
		h.metrics.comment(string(v.Outcome))
		return kept(http.StatusUnprocessableEntity, refusedForm(v))
	}
	draft = v.Draft
	id, retryAt, err := h.store.AddReaderComment(c.Request().Context(), comment.Comment{
		ArticleID: a.ID, Name: draft.Name, Email: draft.Email, Body: draft.Body,
		Status: v.Status, CreatedAt: h.now(), IP: c.RealIP(), UserAgent: comment.Cut(c.Request().UserAgent(), maxUserAgent),
	}, h.commentLimits)
	if err != nil {
		return h.commentNotStored(c, a, v.Bot, err, retryAt, kept)
	}
	h.metrics.comment(string(v.Status))
	if v.Status == comment.Approved { // the site publishes opinions at once
		return c.Redirect(http.StatusSeeOther, h.location(a, "#comment-"+strconv.FormatInt(id, 10)))
	}
	return c.Redirect(http.StatusSeeOther, h.location(a, "?comment=pending#comments"))
}

// refusedForm is what the form says of a submission Triage refused.
func refusedForm(v comment.Verdict) web.CommentForm {
	switch v.Outcome {
	case comment.TooFast:
		return web.CommentForm{Problem: "That was very quick. Please check your opinion and send it again."}
	case comment.BadStamp:
		return web.CommentForm{Problem: "This form was open for a long time or was damaged. Your text is below: please send it again."}
	}
	return web.CommentForm{Errors: v.Errors}
}

// commentNotStored answers a submission the store refused or could not
// keep, with the form and the reader's text (kept), or, for a bot, as if it
// were accepted.
func (h *handler) commentNotStored(c echo.Context, a article.Article, bot bool, err error, retryAt time.Time, kept func(int, web.CommentForm) error) error {
	switch {
	case (errors.Is(err, store.ErrTooMany) || errors.Is(err, store.ErrDuplicate)) && bot:
		return c.Redirect(http.StatusSeeOther, h.location(a, "?comment=pending#comments"))
	case errors.Is(err, store.ErrTooMany):
		h.metrics.comment("flood")
		wait := max(int(math.Ceil(retryAt.Sub(h.now()).Seconds())), 1)
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
		return kept(http.StatusTooManyRequests, web.CommentForm{Problem: fmt.Sprintf(
			"You have sent several opinions in a short time. Please wait %d seconds, then send this one again.", wait)})
	case errors.Is(err, store.ErrDuplicate):
		h.metrics.comment("duplicate")
		return kept(http.StatusUnprocessableEntity, web.CommentForm{Errors: fields.Errors{"body": "You have already sent this opinion; it will appear once a moderator approves it."}})
	case store.CannotStore(err) || store.IsBusy(err):
		h.log.Error("an opinion could not be stored; the reader was asked to send it again", "article", a.ID, "error", err)
		h.metrics.comment("not_stored")
		c.Response().Header().Set("Retry-After", strconv.Itoa(cannotStoreRetry))
		return kept(http.StatusServiceUnavailable, web.CommentForm{Problem: "We could not store your opinion just now, because of a problem on our side. Your text is below: please send it again in a few minutes."})
	}
	return err
}

// showCorrections lists every correction on the site, newest first.
func (h *handler) showCorrections(c echo.Context) error {
	now := h.now()
	list, pager, err := listPage(c, 50, func(limit, offset int) ([]article.Note, error) {
		return h.store.Corrections(c.Request().Context(), now, limit, offset)
	})
	if err != nil {
		return err
	}
	pager.Base = web.CorrectionsPath
	cachePage(c, "list")
	return h.render(c, http.StatusOK, web.CorrectionsPage(web.CorrectionsPageData{Site: h.site(), Notes: list, Pager: pager}))
}
