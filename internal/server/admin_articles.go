package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// articlesPageSize is the length of a page of the newsroom's article list.
const articlesPageSize = 30

// listArticles shows the newsroom's articles, filtered by state, section
// and headline words.
func (h *handler) listArticles(c echo.Context) error {
	ctx := c.Request().Context()
	now := h.now()
	f := store.ArticleFilter{Section: c.QueryParam("section"), Query: c.QueryParam("q"), Now: now}
	if s := c.QueryParam("state"); s != "" {
		var ok bool
		if f.State, ok = article.ParseState(s); !ok {
			return echo.ErrNotFound
		}
	}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	list, pager, err := listPage(c, articlesPageSize, func(limit, offset int) ([]article.Article, error) {
		return h.store.AdminArticles(ctx, f, limit, offset)
	})
	if err != nil {
		return err
	}
	pager.Base = web.AdminArticlesPath + "?" + url.Values{"state": {string(f.State)}, "section": {f.Section}, "q": {f.Query}}.Encode()
	sections, err := h.store.Sections(ctx)
	if err != nil {
		return err
	}
	frame, err := h.frame(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, web.ArticleListPage(web.ArticleListPageData{
		Frame: frame, Articles: list, State: f.State, Section: f.Section, Query: f.Query, Sections: sections, Now: now,
		Pager: pager, Notice: h.notice(c),
	}))
}

// newArticle shows an empty article form, signed by the user.
func (h *handler) newArticle(c echo.Context) error {
	u, _ := currentUser(c)
	return h.renderEdit(c, http.StatusOK, web.ArticleEditPageData{
		Edit: article.Edit{Author: u.DisplayName(), Language: article.DefaultLanguage, Publish: article.PublishDraft},
	})
}

// editArticle shows the form for a stored article with its revisions.
func (h *handler) editArticle(c echo.Context) error {
	a, err := h.articleParam(c)
	if err != nil {
		return err
	}
	return h.renderEdit(c, http.StatusOK, web.ArticleEditPageData{
		Article: a, Edit: article.EditOf(a, h.site().Zone.Location), Version: a.Version, Notice: h.notice(c),
	})
}

// articleParam loads the article named by the :id of the address.
func (h *handler) articleParam(c echo.Context) (article.Article, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return article.Article{}, echo.ErrNotFound
	}
	return h.store.ArticleByID(c.Request().Context(), id)
}

func (h *handler) renderEdit(c echo.Context, status int, d web.ArticleEditPageData) error {
	frame, err := h.frame(c)
	if err != nil {
		return err
	}
	d.Frame, d.Now = frame, h.now()
	if d.Article.ID != 0 {
		ctx := c.Request().Context()
		if d.Revisions, err = h.store.Revisions(ctx, d.Article.ID); err != nil {
			return err
		}
		if d.Notes, err = h.store.ArticleNotes(ctx, d.Article.ID); err != nil {
			return err
		}
	}
	return h.render(c, status, web.ArticleEditPage(d))
}

// saveArticle creates (no :id) or updates an article from the form, or
// shows a preview of it. Bad input re-renders the form with 422; a save
// based on an outdated version re-renders it with 409 and the editor's
// text kept.
func (h *handler) saveArticle(c echo.Context) error {
	var stored article.Article
	if c.Param("id") != "" {
		var err error
		if stored, err = h.articleParam(c); err != nil {
			return err
		}
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	edit := article.Edit{
		Headline: form.Get("headline"), Slug: form.Get("slug"), Summary: form.Get("summary"), Body: form.Get("body"),
		Author: form.Get("author"), Section: form.Get("section"), Tags: form.Get("tags"), Language: form.Get("language"),
		Publish: article.Publication(form.Get("publish")), PublishAt: form.Get("publish_at"), CommentsClosed: form.Get("comments_closed") != "",
	}.Normalize()
	basedOn, _ := strconv.Atoi(form.Get("version"))
	page := web.ArticleEditPageData{Article: stored, Edit: edit, Version: basedOn}
	now := h.now()

	a, errs, err := h.checkEdit(c, edit, stored, now)
	if err != nil {
		return err
	}
	a.Lead = stored.Lead
	if form.Get("remove_lead") != "" {
		a.Lead = article.Image{}
	}
	if form.Get("do") == "preview" && errs == nil {
		a.ID, a.Comments = stored.ID, 0
		return h.render(c, http.StatusOK, web.ArticlePage(web.ArticlePageData{Site: h.site(), Article: a, Preview: true}))
	}
	up, upErrs, err := readImageUpload(c)
	if err != nil {
		return err
	}
	page.ImageAlt, page.ImageCaption, page.ImageCredit, page.ImageLead = up.Alt, up.Caption, up.Credit, form.Get("image_lead") != ""
	for field, msg := range upErrs {
		if errs == nil {
			errs = fields.Errors{}
		}
		errs[field] = msg
	}
	save := store.ArticleSave{Article: a, BasedOn: basedOn, UploadLeads: page.ImageLead}
	if errs == nil && up.Present {
		// The image is looked at only when the rest of the form is right,
		// and recorded only with the save.
		if errs, err = h.attachImage(c, up, &save); err != nil {
			return err
		}
	}
	if errs != nil {
		page.Errors = errs
		return h.renderEdit(c, http.StatusUnprocessableEntity, page)
	}
	return h.storeArticle(c, stored, save, page)
}

// dropUnrecorded removes the file of an image whose save was refused, when
// no record names it (the same image may have been uploaded before), so
// that a refused save leaves nothing to serve.
func (h *handler) dropUnrecorded(ctx context.Context, img media.Image) {
	ctx = context.WithoutCancel(ctx)
	known, err := h.store.HasMedia(ctx, img.Hash)
	if err == nil && !known {
		err = h.media.Remove(img)
	}
	if err != nil {
		h.log.Error("the file of an image whose save was refused is left in the media folder", "image", img.FileName(), "error", err)
	}
}

// checkEdit turns the form into the article to save, with its slug (made
// from the headline when none is given) checked to be free.
func (h *handler) checkEdit(c echo.Context, edit article.Edit, stored article.Article, now time.Time) (article.Article, fields.Errors, error) {
	a, errs := edit.Article(h.site().Zone.Location, now)
	if errs != nil {
		return a, errs, nil
	}
	var err error
	if a.Slug == "" {
		if a.Slug, err = h.freeSlug(c, article.Slugify(a.Headline), stored.ID); err != nil {
			return a, nil, err
		}
		if a.Slug == "" {
			return a, fields.Errors{"slug": "The headline has no letters to make an address from; please write a slug."}, nil
		}
	}
	if taken, err := h.store.SlugTaken(c.Request().Context(), a.Slug, stored.ID); err != nil {
		return a, nil, err
	} else if taken {
		return a, fields.Errors{"slug": "Another article has or had this slug; please choose another."}, nil
	}
	return a, nil, nil
}

// attachImage checks and keeps an image sent with the article form, adds
// it to the end of the body, and leaves it in the save to be recorded.
func (h *handler) attachImage(c echo.Context, up imageUpload, save *store.ArticleSave) (fields.Errors, error) {
	img, errs, err := h.keepImage(c, up)
	if err != nil || errs != nil {
		return errs, err
	}
	a := &save.Article
	a.Body = strings.TrimRight(a.Body, "\n") + "\n\n" + img.Markdown() + "\n"
	if a.HTML, err = article.Render(a.Body); err != nil {
		if complex, ok := errors.AsType[*article.ComplexError](err); ok {
			return fields.Errors{"body": complex.Sentence()}, nil
		}
		return nil, err
	}
	save.Upload = &img
	save.UploadAudit = h.auditEntry(c, audit.MediaUpload, "image "+img.FileName(), img.Alt)
	return nil, nil
}

// storeArticle saves the checked article with its revision, audit entry
// and image in one store call, and answers a refusal with the form.
func (h *handler) storeArticle(c echo.Context, stored article.Article, save store.ArticleSave, page web.ArticleEditPageData) error {
	ctx := c.Request().Context()
	now := h.now()
	u, _ := currentUser(c)
	save.Revision = article.Revision{SavedAt: now, UserID: u.ID, Username: u.Username}
	action, detail := savedAction(stored, save.Article, now)
	var err error
	if stored.ID == 0 {
		save.Audit = h.auditEntry(c, action, "", detail) // the store names the new article
		save.Article.ID, err = h.store.CreateArticle(ctx, save)
	} else {
		save.Article.ID = stored.ID
		save.Audit = h.auditEntry(c, action, audit.ArticleTarget(stored.ID), detail)
		err = h.store.UpdateArticle(ctx, save)
	}
	if err != nil && save.Upload != nil {
		h.dropUnrecorded(ctx, *save.Upload)
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		// The form now carries the stored version, so that saving again
		// (after comparing) replaces it, as the message says.
		current, err := h.store.ArticleByID(ctx, stored.ID)
		if err != nil {
			return err
		}
		page.Conflict, page.Article, page.Version = true, current, current.Version
		return h.renderEdit(c, http.StatusConflict, page)
	case errors.Is(err, store.ErrDuplicate):
		page.Errors = fields.Errors{"slug": "Another article has or had this slug; please choose another."}
		return h.renderEdit(c, http.StatusUnprocessableEntity, page)
	case store.CannotStore(err) || store.IsBusy(err):
		h.log.Error("an article could not be saved; the form was sent back with the text", "article", stored.ID, "error", err)
		c.Response().Header().Set("Retry-After", strconv.Itoa(cannotStoreRetry))
		page.Unsaved = true
		return h.renderEdit(c, http.StatusServiceUnavailable, page)
	case err != nil:
		return err
	}
	if err := h.syncChanges(ctx); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminArticlePath(save.Article.ID), "Saved: "+string(save.Article.State(now))+"."))
}

// savedAction names a save for the audit log by what it did to the
// article's state.
func savedAction(before, after article.Article, now time.Time) (audit.Action, string) {
	was, is := article.State("new"), after.State(now)
	if before.ID != 0 {
		was = before.State(now)
	}
	switch {
	case is == was:
		return audit.ArticleEdit, string(is)
	case is == article.StatePublished:
		return audit.ArticlePublish, string(was) + " → published"
	case is == article.StateScheduled:
		return audit.ArticleSchedule, "for " + after.PublishedAt.Format(time.RFC3339)
	case was == article.StatePublished || was == article.StateScheduled:
		return audit.ArticleUnpublish, string(was) + " → " + string(is)
	default:
		return audit.ArticleEdit, string(was) + " → " + string(is)
	}
}

// freeSlug returns base, or base-2, base-3 … whichever no other article
// has or had.
func (h *handler) freeSlug(c echo.Context, base string, exceptID int64) (string, error) {
	if base == "" {
		return "", nil
	}
	for n := 1; n < 1000; n++ {
		slug := base
		if n > 1 {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		taken, err := h.store.SlugTaken(c.Request().Context(), slug, exceptID)
		if err != nil || !taken {
			return slug, err
		}
	}
	return "", fmt.Errorf("server: no free slug for %q", base)
}

// trashArticle moves an article to the trash; readers then get 410.
func (h *handler) trashArticle(c echo.Context) error { return h.setTrashed(c, true) }

// restoreArticle takes an article back out of the trash.
func (h *handler) restoreArticle(c echo.Context) error { return h.setTrashed(c, false) }

func (h *handler) setTrashed(c echo.Context, trashed bool) error {
	a, err := h.articleParam(c)
	if err != nil {
		return err
	}
	action, done := audit.ArticleTrash, "Moved to the trash."
	if !trashed {
		action, done = audit.ArticleRestore, "Restored from the trash."
	}
	if err := h.store.SetArticleTrashed(c.Request().Context(), a.ID, trashed, h.now(), h.auditEntry(c, action, audit.ArticleTarget(a.ID), a.Headline)); err != nil {
		return err
	}
	if err := h.syncChanges(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminArticlePath(a.ID), done))
}

// revisionParam loads the article and the revision named by the address.
func (h *handler) revisionParam(c echo.Context) (article.Article, article.Revision, error) {
	a, err := h.articleParam(c)
	if err != nil {
		return a, article.Revision{}, err
	}
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version <= 0 {
		return a, article.Revision{}, echo.ErrNotFound
	}
	r, err := h.store.Revision(c.Request().Context(), a.ID, version)
	return a, r, err
}

// showRevision shows a saved revision compared with the article now.
func (h *handler) showRevision(c echo.Context) error {
	a, r, err := h.revisionParam(c)
	if err != nil {
		return err
	}
	frame, err := h.frame(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, web.RevisionPage(web.RevisionPageData{Frame: frame, Revision: r, Current: a, Now: h.now()}))
}

// restoreRevision saves an old revision's text (headline, slug, summary,
// body, author, section, tags, language) as the article's newest version;
// its state and publication time stay as they are, so restoring words never
// unpublishes or moves a live story. The versions in between stay in the
// history. The form carries the version the editor was looking at: if the
// article was saved since, nothing is restored and the answer is 409.
func (h *handler) restoreRevision(c echo.Context) error {
	a, r, err := h.revisionParam(c)
	if err != nil {
		return err
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	basedOn, err := strconv.Atoi(form.Get("version"))
	if err != nil {
		basedOn = a.Version // a form from before the field: the version now
	}
	restored, err := r.RestoreOnto(a)
	if err != nil {
		if _, ok := errors.AsType[*article.ComplexError](err); ok {
			// Saved before the rendering limits: it can be copied from the
			// revision page into the form and simplified there.
			return echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
		}
		return err
	}
	now := h.now()
	restored.UpdatedAt = now.UTC().Truncate(time.Second)
	u, _ := currentUser(c)
	note := fmt.Sprintf("restored from version %d", r.Version)
	action, state := savedAction(a, restored, now)
	err = h.store.UpdateArticle(c.Request().Context(), store.ArticleSave{Article: restored, BasedOn: basedOn,
		Revision: article.Revision{SavedAt: now, UserID: u.ID, Username: u.Username, Note: note},
		Audit:    h.auditEntry(c, action, audit.ArticleTarget(a.ID), note+"; "+state)})
	switch {
	case errors.Is(err, store.ErrConflict):
		return echo.NewHTTPError(http.StatusConflict, "the article was saved since the revision page was opened")
	case errors.Is(err, store.ErrDuplicate):
		return echo.NewHTTPError(http.StatusConflict, "the old slug now belongs to another article")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminArticlePath(a.ID), "Version "+strconv.Itoa(r.Version)+" restored."))
}

// addArticleNote adds a correction or an update to an article.
func (h *handler) addArticleNote(c echo.Context) error {
	a, err := h.articleParam(c)
	if err != nil {
		return err
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	note, problem := article.ParseNote(form.Get("kind"), form.Get("body"))
	if problem != "" {
		return h.renderEdit(c, http.StatusUnprocessableEntity, web.ArticleEditPageData{
			Article: a, Edit: article.EditOf(a, h.site().Zone.Location), Version: a.Version, NoteForm: note, NoteError: problem,
		})
	}
	u, _ := currentUser(c)
	note.ArticleID, note.At, note.UserID, note.Username = a.ID, h.now(), u.ID, u.Username
	if _, err := h.store.AddArticleNote(c.Request().Context(), note, h.auditEntry(c, audit.ArticleNote, audit.ArticleTarget(a.ID), string(note.Kind))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminArticlePath(a.ID), note.Label()+" added."))
}
