package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// statusClientClosed is the status logged for a request whose client left
// before its answer (nginx's 499); it is never sent.
const statusClientClosed = 499

// cannotStoreRetry is the Retry-After, in seconds, of a write that could
// not be stored (store.CannotStore).
const cannotStoreRetry = 60

// handleError is the one place failures become responses. The cause was
// already logged by the request logger; readers see a page in the site's
// layout and never the error text.
func (h *handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return // the answer is out
	}
	if errors.Is(err, context.Canceled) {
		// Nobody is waiting for an answer; the log and the metrics say so
		// with nginx's "client closed request".
		c.Response().Status = statusClientClosed
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	switch {
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, store.ErrGone):
		status = http.StatusGone
	case errors.As(err, &he):
		status = he.Code
	case store.IsBusy(err), errors.Is(err, context.DeadlineExceeded):
		// The database is overloaded for a moment: ask the client to retry.
		status = http.StatusServiceUnavailable
		c.Response().Header().Set("Retry-After", "5")
	case store.CannotStore(err):
		// Nothing can be written until an operator acts (the disk is full,
		// the database file is gone): the request logger has the cause.
		status = http.StatusServiceUnavailable
		c.Response().Header().Set("Retry-After", strconv.Itoa(cannotStoreRetry))
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	// The request's own context may be over (the request timeout ends it
	// before this handler runs); the error page still has to render.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
	title, message := errorText(status)
	if store.CannotStore(err) {
		title, message = "Cannot save now", "We cannot save anything at the moment because of a problem on our side, and the site's administrator has been told. Pages can still be read. Please try again later."
	}
	page := web.ErrorPage(web.ErrorPageData{Site: h.site(), Status: status, Title: title, Message: message})
	if rerr := h.render(c, status, page); rerr != nil {
		c.String(status, title) // the layout itself failed: plain text is all that is left
	}
}

func errorText(status int) (title, message string) {
	switch status {
	case http.StatusNotFound:
		return "Page not found", "We could not find the page you asked for. It may have moved, or the address may be mistyped."
	case http.StatusGone:
		return "Story removed", "This story has been taken down by the newsroom and is no longer available."
	case http.StatusMethodNotAllowed:
		return "Not allowed", "This address does not accept that kind of request."
	case http.StatusForbidden:
		return "Request refused", "This request was refused: it came from another site, the form was out of date, or your account may not do this. Please go back, reload the page and try again."
	case http.StatusServiceUnavailable:
		return "Busy", "We are very busy at this moment. Please try again in a few seconds."
	case http.StatusRequestEntityTooLarge:
		return "Too large", "What you sent is larger than we accept."
	case http.StatusRequestTimeout:
		return "Upload cut off", "What you sent stopped arriving before its end, so nothing was saved. Please try again, with a smaller image or a steadier connection."
	case http.StatusConflict:
		return "Changed meanwhile", "Someone changed this while you were looking at it, so nothing was done. Please go back, reload the page and try again."
	case http.StatusMisdirectedRequest:
		return "Wrong address", "This site does not answer to that address. Please use the site's own address."
	case http.StatusBadRequest:
		return "Bad request", "We could not understand that request."
	}
	if status >= 500 {
		return "Something went wrong", "We could not show this page because of a problem on our side. Please try again in a moment."
	}
	return http.StatusText(status), "We could not complete this request."
}
