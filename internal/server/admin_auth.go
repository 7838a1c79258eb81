package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/client"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// Session and sign-in rules.
const (
	sessionCookie   = "dateline_session"
	csrfCookie      = "dateline_csrf"
	sessionIdle     = 2 * time.Hour  // signed out after this long without a request
	sessionLifetime = 12 * time.Hour // signed out this long after signing in, whatever happens
	sessionTouch    = time.Minute    // how often last use is written back

	// Failed sign-ins within loginWindow, then 429. A browser that signed
	// in as the user before (its device cookie says so) is counted on its
	// own, so that nobody can keep a user out by failing for them from
	// elsewhere; any other attempt counts three ways: per username and
	// address, per address (whatever the usernames) and per username (from
	// every address: a guesser with many addresses gets maxUserFailures
	// guesses a window, however many it has).
	maxLoginFailures   = 5  // per username from one address, and per known device
	maxAddressFailures = 20 // per address
	maxUserFailures    = 20 // per username, from browsers it has not signed in on
	loginWindow        = 15 * time.Minute

	deviceCookie   = "dateline_device"
	deviceLifetime = 365 * 24 * time.Hour
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
		CookiePath:     "/admin",
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
			back := "/admin"
			if c.Request().Method == http.MethodGet {
				back = c.Request().URL.RequestURI()
			}
			return c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(back))
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

// safeNext keeps ?next inside the newsroom: a local /admin path, never a
// full URL or a "//host" that browsers would follow off-site.
func safeNext(next string) string {
	const home = "/admin"
	if next == "" || strings.ContainsAny(next, "\\\x00\r\n\t") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(next, "//") {
		return home
	}
	if u.Path != home && !strings.HasPrefix(u.Path, home+"/") || strings.Contains(u.Path, "..") {
		return home
	}
	return u.RequestURI()
}

// showLogin shows the sign-in form; a signed-in user goes straight on.
func (h *handler) showLogin(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return h.renderLogin(c, http.StatusOK, "", next, "")
}

func (h *handler) renderLogin(c echo.Context, status int, username, next, msg string) error {
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	f.User = account.User{} // the sign-in page shows no newsroom navigation
	return h.render(c, status, web.LoginPage(web.LoginPageData{Frame: f, Username: username, Next: next, Error: msg}))
}

// badLogin is the one message for every failed sign-in: it does not tell
// whether the user exists.
const badLogin = "Invalid username or password."

// login checks a username and password. Failures are counted (see
// maxLoginFailures) before any password is hashed; past a limit the
// answer is 429 with Retry-After.
func (h *handler) login(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	username := strings.ToLower(strings.TrimSpace(form.Get("username")))
	password := form.Get("password")
	next := safeNext(form.Get("next"))
	ctx := c.Request().Context()
	now := h.now()

	// The attempt is counted before the password is hashed, in the same
	// transaction as the check against the limit.
	limits := []store.LoginLimit{{Key: "device:" + h.knownDevice(c, username), Max: maxLoginFailures}}
	if limits[0].Key == "device:" {
		ip := client.Network(c.RealIP()) // an IPv6 client by its /64, as the comment flood rule counts it
		limits = []store.LoginLimit{
			{Key: "user-ip:" + username + " " + ip, Max: maxLoginFailures},
			{Key: "ip:" + ip, Max: maxAddressFailures},
			{Key: "user:" + username, Max: maxUserFailures},
		}
	}
	attempt, oldest, blocked, err := h.store.CountLoginAttempt(ctx, now, now.Add(-loginWindow), now.Add(-24*time.Hour), limits)
	if err != nil {
		return err
	}
	if blocked {
		secs := max(int(math.Ceil(oldest.Add(loginWindow).Sub(now).Seconds())), 1)
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		if err := h.store.AddAudit(ctx, audit.Entry{At: now, Action: audit.LoginThrottled, Detail: "too many failed sign-ins", IP: c.RealIP()}); err != nil {
			return err
		}
		msg := fmt.Sprintf("Too many failed sign-ins. Please wait %d minutes and try again.", max((secs+59)/60, 1))
		return h.renderLogin(c, http.StatusTooManyRequests, username, next, msg)
	}

	user, ok, err := h.checkPassword(ctx, username, password)
	if err != nil {
		return err
	}
	if !ok {
		// The attempt stays counted. The username typed is kept only if it
		// is a user's: an unknown one may be a password typed in the wrong
		// field.
		e := audit.Entry{At: now, Action: audit.LoginFailed, IP: c.RealIP(), Detail: "unknown username"}
		if user.ID != 0 {
			e.UserID, e.Username, e.Detail = user.ID, user.Username, "wrong password"
		}
		if err := h.store.AddAudit(ctx, e); err != nil {
			return err
		}
		return h.renderLogin(c, http.StatusUnauthorized, username, next, badLogin)
	}
	// One transaction: this attempt and this browser's or this address's
	// failures for the user are forgiven (those counted for the username
	// from everywhere stay until they age), the session starts and the
	// sign-in is recorded.
	err = h.startSession(c, user, store.SignIn{Forgive: attempt, ClearKey: limits[0].Key,
		Entry: audit.Entry{At: now, UserID: user.ID, Username: user.Username, Action: audit.Login, IP: c.RealIP()}})
	if err != nil {
		return err
	}
	h.rememberDevice(c, username)
	return c.Redirect(http.StatusSeeOther, next)
}

// A device cookie marks a browser that signed in as a user: its value is
// a random id and an HMAC of the username and the id, sent only to the
// sign-in form. It holds no session and grants nothing alone; it only lets
// that browser's attempts be counted apart from everyone else's.

// knownDevice is the id of the request's device cookie if it was issued
// to a browser that signed in as username, else "".
func (h *handler) knownDevice(c echo.Context, username string) string {
	cookie, err := c.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	id, mac, ok := strings.Cut(cookie.Value, ".")
	if !ok || id == "" || !hmac.Equal([]byte(mac), []byte(h.deviceSignature(username, id))) {
		return ""
	}
	return id
}

// rememberDevice gives the browser a new device cookie for username.
func (h *handler) rememberDevice(c echo.Context, username string) {
	id, _ := account.NewToken()
	c.SetCookie(&http.Cookie{
		Name: deviceCookie, Value: id + "." + h.deviceSignature(username, id), Path: "/admin/login",
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteStrictMode,
		MaxAge: int(deviceLifetime.Seconds()),
	})
}

func (h *handler) deviceSignature(username, id string) string {
	m := hmac.New(sha256.New, h.deviceKey)
	m.Write([]byte(username + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkPassword verifies a sign-in. An unknown or disabled user costs the
// same hash as a known one, so timing does not tell them apart. The user
// is returned when the username is known, right password or not.
func (h *handler) checkPassword(ctx context.Context, username, password string) (account.User, bool, error) {
	user, err := h.store.UserByUsername(ctx, username)
	switch {
	case err == nil && !user.Disabled:
		ok, err := h.hasher.Verify(ctx, user.PasswordHash, password)
		return user, ok, err
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return account.User{}, false, err
	}
	// Unknown, or disabled (treated as unknown): the same cost, no entry.
	dummy, err := h.dummyHash(ctx)
	if err == nil {
		_, err = h.hasher.Verify(ctx, dummy, password)
	}
	return user, false, err
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
		Name: sessionCookie, Value: token, Path: "/admin",
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode,
		Expires: now.Add(sessionLifetime),
	})
	c.Set(userKey, user)
	return nil
}

// clearCSRFCookie drops the form-token cookie, so that the next page makes a
// new token: tokens do not outlive the session they were issued in.
func (h *handler) clearCSRFCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, Secure: h.secureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode})
}

func (h *handler) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1,
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
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}

// showSetup shows the form that creates the first admin, for the token the
// server printed at start. Once a user exists it is 404.
func (h *handler) showSetup(c echo.Context) error {
	token := c.QueryParam("token")
	ok, err := h.store.SetupTokenValid(c.Request().Context(), account.TokenHash(token))
	if err != nil {
		return err
	}
	if !ok {
		return echo.ErrNotFound
	}
	return h.renderSetup(c, http.StatusOK, web.SetupPageData{Token: token})
}

func (h *handler) renderSetup(c echo.Context, status int, d web.SetupPageData) error {
	f, err := h.frame(c)
	if err != nil {
		return err
	}
	d.Frame = f
	return h.render(c, status, web.SetupPage(d))
}

// setup creates the first admin and signs them in.
func (h *handler) setup(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	token := form.Get("token")
	hash := account.TokenHash(token)
	if ok, err := h.store.SetupTokenValid(ctx, hash); err != nil {
		return err
	} else if !ok {
		return echo.ErrNotFound
	}
	password := form.Get("password")
	u, errs := newUserErrors(form.Get("username"), form.Get("name"), string(account.Admin), password, form.Get("confirm"))
	d := web.SetupPageData{Token: token, Username: u.Username, Name: u.Name, Errors: errs}
	if len(d.Errors) > 0 {
		return h.renderSetup(c, http.StatusUnprocessableEntity, d)
	}
	phc, err := h.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	now := h.now()
	u.PasswordHash, u.CreatedAt = phc, now
	u.ID, err = h.store.CreateFirstAdmin(ctx, hash, u,
		audit.Entry{At: now, Username: u.Username, Action: audit.Setup, Target: "user " + u.Username, IP: c.RealIP()})
	if err != nil {
		return err // ErrNotFound if someone used the link first
	}
	if err := h.startSession(c, u, store.SignIn{}); err != nil { // the setup was recorded with the user
		return err
	}
	h.rememberDevice(c, u.Username) // the first admin's browser is a known one from now on
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// newUserErrors checks the fields of a new account (account.NewUser and
// the password rules), by field.
func newUserErrors(username, name, role, password, confirm string) (account.User, fields.Errors) {
	u, errs := account.NewUser(username, name, role)
	if errs == nil {
		errs = fields.Errors{}
	}
	if err := account.CheckPassword(password); err != nil {
		errs["password"] = passwordMessage(err)
	} else if password != confirm {
		errs["confirm"] = "The two passwords differ."
	}
	return u, errs
}

// passwordMessage turns a CheckPassword error into a sentence for the form.
func passwordMessage(err error) string {
	var weak *account.WeakPasswordError
	if errors.As(err, &weak) {
		return "This password is not accepted: " + weak.Reason + "."
	}
	return "Please choose another password."
}

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
