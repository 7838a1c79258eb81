package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/web"
)

// showAuthors lists the authors of published articles with their
// biographies, for editing.
func (h *handler) showAuthors(c echo.Context) error {
	return h.renderAuthors(c, http.StatusOK, web.AuthorsPageData{Notice: h.notice(c)})
}

func (h *handler) renderAuthors(c echo.Context, status int, d web.AuthorsPageData) error {
	ctx := c.Request().Context()
	names, err := h.store.Names(ctx, article.ByAuthor, h.now())
	if err != nil {
		return err
	}
	for _, n := range names {
		d.Authors = append(d.Authors, web.Named{Name: n.Name, Path: article.ByAuthor.Path(n.Name), Count: n.Count})
	}
	if d.Bios, err = h.store.AuthorBios(ctx); err != nil {
		return err
	}
	if d.Frame, err = h.frame(c); err != nil {
		return err
	}
	return h.render(c, status, web.AuthorsPage(d))
}

// saveAuthorBio sets one author's biography.
func (h *handler) saveAuthorBio(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	name, bio := strings.TrimSpace(form.Get("name")), strings.TrimSpace(form.Get("bio"))
	if name == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "no author named")
	}
	if !utf8.ValidString(bio) || utf8.RuneCountInString(bio) > maxBio {
		return h.renderAuthors(c, http.StatusUnprocessableEntity, web.AuthorsPageData{Edited: name, EditedBio: bio,
			Error: "Please keep the biography to 600 characters or fewer."})
	}
	if err := h.store.SetAuthorBio(c.Request().Context(), name, bio, h.auditEntry(c, audit.AuthorBio, "author "+name, "")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminAuthorsPath, "Biography of "+name+" saved."))
}
