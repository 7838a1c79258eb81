package server

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

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
	return h.renderFramed(c, status, func(f web.AdminFrame) templ.Component { d.Frame = f; return web.SetupPage(d) })
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
	return c.Redirect(http.StatusSeeOther, web.AdminPath)
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
