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

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/client"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// Sign-in rules.
const (
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

// safeNext keeps ?next inside the newsroom: a local /admin path, never a
// full URL or a "//host" that browsers would follow off-site.
func safeNext(next string) string {
	const home = web.AdminPath
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
	limits := h.signInLimits(c, username)
	attempt, oldest, blocked, err := h.store.CountSignInAttempt(ctx, now, now.Add(-loginWindow), now.Add(-24*time.Hour), limits)
	if err != nil {
		return err
	}
	if blocked {
		return h.refuseSignIn(c, username, next, now, oldest.Add(loginWindow))
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

// signInLimits are the counts a sign-in attempt as username from this
// browser is held to: a known browser's own, else those of the username at
// this address, of the address and of the username.
func (h *handler) signInLimits(c echo.Context, username string) []store.SignInLimit {
	if device := h.knownDevice(c, username); device != "" {
		return []store.SignInLimit{{Key: "device:" + device, Max: maxLoginFailures}}
	}
	ip := client.Network(c.RealIP()) // an IPv6 client by its /64, as the comment flood rule counts it
	return []store.SignInLimit{
		{Key: "user-ip:" + username + " " + ip, Max: maxLoginFailures},
		{Key: "ip:" + ip, Max: maxAddressFailures},
		{Key: "user:" + username, Max: maxUserFailures},
	}
}

// refuseSignIn answers an attempt, made at now, over a limit that frees
// up at free.
func (h *handler) refuseSignIn(c echo.Context, username, next string, now, free time.Time) error {
	secs := max(int(math.Ceil(free.Sub(now).Seconds())), 1)
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	if err := h.store.AddAudit(c.Request().Context(), audit.Entry{At: now, Action: audit.LoginThrottled, Detail: "too many failed sign-ins", IP: c.RealIP()}); err != nil {
		return err
	}
	msg := fmt.Sprintf("Too many failed sign-ins. Please wait %d minutes and try again.", max((secs+59)/60, 1))
	return h.renderLogin(c, http.StatusTooManyRequests, username, next, msg)
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
		Name: deviceCookie, Value: id + "." + h.deviceSignature(username, id), Path: web.AdminLoginPath,
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
