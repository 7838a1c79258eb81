package server

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// Session rules.
const (
	sessionCookie   = "dateline_session"
	csrfCookie      = "dateline_csrf"
	sessionIdle     = 2 * time.Hour  // signed out after this long without a request
	sessionLifetime = 12 * time.Hour // signed out this long after signing in, whatever happens
	sessionTouch    = time.Minute    // how often last use is written back
)

// userKey is where loadSession leaves the signed-in user on the context.
const userKey = "dateline.user"

// currentUser is the signed-in user, if any.
func currentUser(c echo.Context) (account.User, bool) {
	u, ok := c.Get(userKey).(account.User)
	return u, ok
}

// adminCSRF protects every newsroom form with a per-session token: the
// cookie and the form field must match. The cookie is scoped to /admin, so
// public pages never carry it and stay cacheable.
func adminCSRF(secure bool) echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf",
		CookieName:     csrfCookie,
		CookiePath:     web.AdminPath,
		CookieHTTPOnly: true,
		CookieSecure:   secure,
		CookieSameSite: http.SameSiteLaxMode,
	})
}

// noStore keeps newsroom pages out of every cache.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// loadSession finds the signed-in user from the session cookie. An unknown,
// expired or idle session is forgotten.
func (h *handler) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		cookie, err := c.Cookie(sessionCookie)
		if err != nil || cookie.Value == "" {
			return next(c)
		}
		ctx := c.Request().Context()
		now := h.now()
		hash := account.TokenHash(cookie.Value)
		ses, err := h.store.SessionByHash(ctx, hash, now, now.Add(-sessionIdle))
		switch {
		case errors.Is(err, store.ErrNotFound):
			h.clearSessionCookie(c)
			return next(c)
		case err != nil:
			return err
		}
		if now.Sub(ses.LastSeenAt) > sessionTouch {
			if err := h.store.TouchSession(ctx, hash, now); err != nil {
				return err
			}
		}
		c.Set(userKey, ses.User)
		return next(c)
	}
}

// requireUser sends anonymous requests to the sign-in page, with the way
// back in ?next.
func (h *handler) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); !ok {
			back := web.AdminPath
			if c.Request().Method == http.MethodGet {
				back = c.Request().URL.RequestURI()
			}
			return c.Redirect(http.StatusSeeOther, web.AdminLoginPath+"?next="+url.QueryEscape(back))
		}
		return next(c)
	}
}

// requireAdmin lets only admins through; editors get 403.
func (h *handler) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return h.requireUser(func(c echo.Context) error {
		if u, _ := currentUser(c); !u.IsAdmin() {
			return echo.NewHTTPError(http.StatusForbidden, "admins only")
		}
		return next(c)
	})
}

// frame gathers what every newsroom page shows around its content.
func (h *handler) frame(c echo.Context) (web.AdminFrame, error) {
	f := web.AdminFrame{Site: h.site()}
	f.CSRF, _ = c.Get("csrf").(string)
	u, ok := currentUser(c)
	if !ok {
		return f, nil
	}
	f.User = u
	counts, err := h.store.CommentCounts(c.Request().Context())
	if err != nil {
		return f, err
	}
	f.Pending = counts["pending"]
	return f, nil
}

// auditEntry describes what the signed-in user (if any) did, for the audit
// log.
func (h *handler) auditEntry(c echo.Context, action audit.Action, target, detail string) audit.Entry {
	e := audit.Entry{At: h.now(), Action: action, Target: target, Detail: detail, IP: c.RealIP()}
	if u, ok := currentUser(c); ok {
		e.UserID, e.Username = u.ID, u.Username
	}
	return e
}

// startSession signs a user in with a new session id (never one the client
// brought) and ends the session the client had before, with what else in
// says (in one store transaction).
func (h *handler) startSession(c echo.Context, user account.User, in store.SignIn) error {
	token, hash := account.NewToken()
	now := h.now()
	in.UserID, in.Session, in.Now, in.Expires = user.ID, hash, now, now.Add(sessionLifetime)
	if old, err := c.Cookie(sessionCookie); err == nil && old.Value != "" {
		in.Replaces = account.TokenHash(old.Value)
	}
	if err := h.store.StartSession(c.Request().Context(), in); err != nil {
		return err
	}
	h.clearCSRFCookie(c) // a new form token with the new session
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: token, Path: web.AdminPath,
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode,
		Expires: now.Add(sessionLifetime),
	})
	c.Set(userKey, user)
	return nil
}

// clearCSRFCookie drops the form-token cookie, so that the next page makes a
// new token: tokens do not outlive the session they were issued in.
func (h *handler) clearCSRFCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: "", Path: web.AdminPath, MaxAge: -1,
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode})
}

func (h *handler) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: web.AdminPath, MaxAge: -1,
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode})
}

// logout ends the session on the server, not only in the browser.
func (h *handler) logout(c echo.Context) error {
	var id []byte // a request without the cookie has nothing to end, and is recorded all the same
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		id = account.TokenHash(cookie.Value)
	}
	if err := h.store.EndSession(c.Request().Context(), id, h.auditEntry(c, audit.Logout, "", "")); err != nil {
		return err
	}
	h.clearSessionCookie(c)
	h.clearCSRFCookie(c)
	return c.Redirect(http.StatusSeeOther, web.AdminLoginPath)
}
