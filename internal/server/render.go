package server

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/a-h/templ"
	"github.com/dateline/dateline/web"
	"github.com/labstack/echo/v4"
)

// renderBuffers are the buffers pages render into, kept between requests:
// a page grown from an empty buffer cost its size about four times over
// in allocations (measured: a third of an article page's bytes allocated).
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptBuffer is the largest buffer put back in renderBuffers, so that
// one huge page does not stay in memory for good.
const maxKeptBuffer = 1 << 20

// render writes a component as the response. It renders into a buffer first
// so that a failing component becomes a clean 500 instead of half a page.
func (h *handler) render(c echo.Context, status int, page templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxKeptBuffer {
			renderBuffers.Put(buf)
		}
	}()
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("server: render %s: %w", c.Path(), err)
	}
	// The response copies the bytes (the page cache keeps its own).
	return c.HTMLBlob(status, buf.Bytes())
}

// renderFramed renders a newsroom page with the frame every one shows
// around it (the user, the form token, the waiting comments).
func (h *handler) renderFramed(c echo.Context, status int, page func(web.AdminFrame) templ.Component) error {
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	return h.render(c, status, page(f))
}
