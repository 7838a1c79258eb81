package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showHealth answers 200 when the database answers, and 503 when it does
// not. It is never cached.
func (h *handler) showHealth(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := h.store.Ping(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "database does not answer").SetInternal(err)
	}
	return c.String(http.StatusOK, "ok\n")
}
