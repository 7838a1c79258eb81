package server

import (
	"bytes"
	"fmt"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a component as the response. It renders into a buffer first
// so that a failing component becomes a clean 500 instead of half a page.
func (h *handler) render(c echo.Context, status int, page templ.Component) error {
	var buf bytes.Buffer
	if err := page.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("server: render %s: %w", c.Path(), err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}
