package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/web"
)

// maxUploadBody is the body limit of the forms that take an image: the
// largest image plus room for the rest of the form. A body over it is
// answered 413 before anything is read.
const maxUploadBody = "12M"

// isUploadRoute tells whether a request is for a route declared as one
// whose form may carry an image (routes.go, upload).
func (h *handler) isUploadRoute(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && h.uploadRoutes[c.Path()]
}

// Uploads take memory (the file, up to 10 MB, then its decode) and time
// (12 MB at 2.8 Mbit/s is longer than the server's 30 s read timeout).
const (
	uploadsAtOnce = 2                // bodies read and checked at once; others wait their turn
	uploadTime    = 10 * time.Minute // to send one: 12 MB at 160 kbit/s
	uploadMemory  = 1 << 20          // of a multipart body kept in memory; the rest waits on disk
)

// guardUploads lets only signed-in users send the large bodies of upload
// routes, with time enough for their size, the large ones a few at a time,
// and caps them at maxUploadBody. It runs before the CSRF check, which
// reads the whole form: an anonymous request is sent to the sign-in page
// before a byte of its body is read, and a waiting one holds no more than
// its connection. An article form without an image (most saves) is small
// and never waits behind uploads.
func (h *handler) guardUploads(next echo.HandlerFunc) echo.HandlerFunc {
	read := middleware.BodyLimit(maxUploadBody)(readUpload(next))
	gated := h.uploading.guard(read)
	guarded := h.requireUser(extendForUpload(func(c echo.Context) error {
		if n := c.Request().ContentLength; n >= 0 && n <= uploadMemory {
			return read(c)
		}
		return gated(c)
	}))
	return func(c echo.Context) error {
		if h.isUploadRoute(c) {
			return guarded(c)
		}
		return next(c)
	}
}

// extendForUpload gives an upload's request uploadTime to arrive (waiting
// for its turn included), and the work after it the usual requestTimeout
// (the upload routes skip the general one): the server's read and write
// deadlines fit any page's request, not a large file on a slow line.
func extendForUpload(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		deadline := time.Now().Add(uploadTime)
		rc := http.NewResponseController(c.Response())
		// httptest's recorder has no deadlines to move; a real connection does.
		if err := rc.SetReadDeadline(deadline); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if err := rc.SetWriteDeadline(deadline.Add(requestTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		ctx, cancel := context.WithDeadline(c.Request().Context(), deadline.Add(requestTimeout))
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// readUpload reads an upload's form before anything else does, keeping
// at most uploadMemory of it in memory. A body that stops arriving (the
// line was cut, or it ran past uploadTime) is answered with a page that
// says so, not with the "missing form token" that reading half a form
// would give.
func readUpload(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := c.Request().ParseMultipartForm(uploadMemory)
		if he, ok := errors.AsType[*echo.HTTPError](err); ok {
			return he // over the body limit: 413
		}
		if err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return echo.NewHTTPError(http.StatusRequestTimeout, "upload cut off").SetInternal(err)
		}
		return next(c)
	}
}

// serveMedia serves an uploaded image by its content-hash name. The name
// never changes for the same bytes, so it may be cached for a year.
func (h *handler) serveMedia(c echo.Context) error {
	path, contentType, ok := h.media.Open(c.Param("name"))
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	c.Response().Header().Set("Content-Type", contentType)
	return c.File(path)
}

// imageUpload is an image sent with a form (Present), with its description.
type imageUpload struct {
	media.Upload
	Present bool
}

// readImageUpload reads the file field "image" and its alt, caption and
// credit fields, and says what is wrong with them (media.Upload.Check), by
// field.
func readImageUpload(c echo.Context) (imageUpload, fields.Errors, error) {
	form := c.Request().PostForm
	up := imageUpload{Upload: media.Upload{Alt: form.Get("image_alt"), Caption: form.Get("image_caption"), Credit: form.Get("image_credit")}}
	file, _, err := c.Request().FormFile("image")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		up.Check() // the description, trimmed, is shown again as it is
		return up, nil, nil
	case err != nil:
		return up, nil, echo.NewHTTPError(http.StatusBadRequest, "unreadable upload").SetInternal(err)
	}
	defer file.Close()
	up.Present = true
	if up.Data, err = io.ReadAll(io.LimitReader(file, media.MaxBytes+1)); err != nil {
		return up, nil, fmt.Errorf("server: read upload: %w", err)
	}
	return up, up.Check(), nil
}

// keepImage checks that an upload is an accepted image and keeps its file
// (by content hash: a file no record names is harmless and is reused if the
// same image comes again); recording it is the caller's store call.
// Problems come back by form field.
func (h *handler) keepImage(c echo.Context, up imageUpload) (media.Image, fields.Errors, error) {
	// One decode at a time: each may hold up to media.MaxDecodeBytes.
	select {
	case h.decoding <- struct{}{}:
	case <-c.Request().Context().Done():
		return media.Image{}, nil, c.Request().Context().Err()
	}
	img, err := media.Inspect(up.Data)
	<-h.decoding
	if msg, ok := media.Problem(err); ok {
		return img, fields.Errors{"image": msg}, nil
	} else if err != nil {
		return img, nil, err
	}
	if err := h.media.Save(img, up.Data); err != nil {
		return img, nil, err
	}
	u, _ := currentUser(c)
	img.Alt, img.Caption, img.Credit, img.UploadedAt, img.Username = up.Alt, up.Caption, up.Credit, h.now(), u.Username
	return img, nil, nil
}

// showMedia lists uploaded images with the Markdown to use them.
func (h *handler) showMedia(c echo.Context) error {
	return h.renderMedia(c, http.StatusOK, web.MediaPageData{Notice: h.notice(c)})
}

func (h *handler) renderMedia(c echo.Context, status int, d web.MediaPageData) error {
	list, pager, err := listPage(c, 40, func(limit, offset int) ([]media.Image, error) {
		return h.store.MediaList(c.Request().Context(), limit, offset)
	})
	if err != nil {
		return err
	}
	if d.Frame, err = h.frame(c); err != nil {
		return err
	}
	pager.Base = web.AdminMediaPath
	d.Images, d.Pager = list, pager
	return h.render(c, status, web.MediaPage(d))
}

// uploadMedia adds an image to the library.
func (h *handler) uploadMedia(c echo.Context) error {
	if _, err := formParams(c); err != nil {
		return err
	}
	up, errs, err := readImageUpload(c)
	if err != nil {
		return err
	}
	if errs == nil && !up.Present {
		errs = fields.Errors{"image": "Please choose an image file."}
	}
	d := web.MediaPageData{Alt: up.Alt, Caption: up.Caption, Credit: up.Credit}
	if errs == nil {
		var img media.Image
		if img, errs, err = h.keepImage(c, up); err != nil {
			return err
		}
		if errs == nil {
			u, _ := currentUser(c)
			if img, err = h.store.AddMedia(c.Request().Context(), img, u.ID, h.auditEntry(c, audit.MediaUpload, "image "+img.FileName(), img.Alt)); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminMediaPath, "Uploaded: "+img.Markdown()))
		}
	}
	d.Errors = errs
	return h.renderMedia(c, http.StatusUnprocessableEntity, d)
}
