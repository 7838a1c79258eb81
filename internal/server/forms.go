package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// formParams parses a form body, turning a body over the limit into 413 and
// an unreadable one into 400. It parses explicitly rather than through
// FormValue, which would hide a body cut at the limit, and returns the body's
// fields only: values in the query string are not form input.
func formParams(c echo.Context) (url.Values, error) {
	if _, err := c.FormParams(); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, err
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, echo.ErrStatusRequestEntityTooLarge
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "unreadable form").SetInternal(err)
	}
	return c.Request().PostForm, nil
}
