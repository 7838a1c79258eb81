package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/fields"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// showUsers lists the newsroom's users. Admins only.
func (h *handler) showUsers(c echo.Context) error {
	return h.renderUsers(c, http.StatusOK, web.UsersPageData{Notice: h.notice(c)})
}

func (h *handler) renderUsers(c echo.Context, status int, d web.UsersPageData) error {
	users, err := h.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	if d.Frame, err = h.frame(c); err != nil {
		return err
	}
	d.Users = users
	return h.render(c, status, web.UsersPage(d))
}

// addUser creates a user from the add form.
func (h *handler) addUser(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	password := form.Get("password")
	u, errs := newUserErrors(form.Get("username"), form.Get("name"), form.Get("role"), password, password)
	u.CreatedAt = h.now()
	if len(errs) > 0 {
		return h.renderUsers(c, http.StatusUnprocessableEntity, web.UsersPageData{NewUser: u, Errors: errs})
	}
	if u.PasswordHash, err = h.hasher.Hash(ctx, password); err != nil {
		return err
	}
	if _, err = h.store.AddUser(ctx, u, h.auditEntry(c, audit.UserAdd, "user "+u.Username, string(u.Role))); errors.Is(err, store.ErrDuplicate) {
		return h.renderUsers(c, http.StatusUnprocessableEntity, web.UsersPageData{NewUser: u,
			Errors: fields.Errors{"username": "This username is taken."}})
	} else if err != nil {
		return err
	}
	return h.usersDone(c, "Added "+u.Username+".")
}

// changeUserRole makes a user an editor or an admin. The last active admin
// cannot be demoted.
func (h *handler) changeUserRole(c echo.Context) error {
	u, form, err := h.userParam(c)
	if err != nil {
		return err
	}
	role, ok := account.ParseRole(form.Get("role"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown role")
	}
	err = h.store.SetUserRole(c.Request().Context(), u.ID, role, h.auditEntry(c, audit.UserRole, "user "+u.Username, string(role)))
	if errors.Is(err, store.ErrLastAdmin) {
		return h.renderUsers(c, http.StatusConflict, web.UsersPageData{RowError: map[int64]string{u.ID: "The last admin must stay an admin."}})
	} else if err != nil {
		return err
	}
	return h.usersDone(c, fmt.Sprintf("%s is now %s.", u.Username, role))
}

// setUserDisabled disables or enables a user; disabling ends their
// sessions. The last active admin cannot be disabled.
func (h *handler) setUserDisabled(c echo.Context) error {
	u, form, err := h.userParam(c)
	if err != nil {
		return err
	}
	disabled := form.Get("disabled") == "1"
	action, done := audit.UserEnable, u.Username+" can sign in again."
	if disabled {
		action, done = audit.UserDisable, u.Username+" is disabled and signed out."
	}
	err = h.store.SetUserDisabled(c.Request().Context(), u.ID, disabled, h.auditEntry(c, action, "user "+u.Username, ""))
	if errors.Is(err, store.ErrLastAdmin) {
		return h.renderUsers(c, http.StatusConflict, web.UsersPageData{RowError: map[int64]string{u.ID: "The last admin cannot be disabled."}})
	} else if err != nil {
		return err
	}
	return h.usersDone(c, done)
}

// resetUserPassword sets a new password for a user and ends their sessions.
func (h *handler) resetUserPassword(c echo.Context) error {
	u, form, err := h.userParam(c)
	if err != nil {
		return err
	}
	password := form.Get("password")
	if err := account.CheckPassword(password); err != nil {
		return h.renderUsers(c, http.StatusUnprocessableEntity, web.UsersPageData{RowError: map[int64]string{u.ID: passwordMessage(err)}})
	}
	ctx := c.Request().Context()
	phc, err := h.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	if err := h.store.SetPassword(ctx, u.ID, phc, h.auditEntry(c, audit.UserPassword, "user "+u.Username, "")); err != nil {
		return err
	}
	return h.usersDone(c, "New password set for "+u.Username+"; their sessions have ended.")
}

// userParam loads the user of the address and parses the form.
func (h *handler) userParam(c echo.Context) (account.User, url.Values, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return account.User{}, nil, echo.ErrNotFound
	}
	u, err := h.store.UserByID(c.Request().Context(), id)
	if err != nil {
		return account.User{}, nil, err
	}
	form, err := formParams(c)
	return u, form, err
}

func (h *handler) usersDone(c echo.Context, notice string) error {
	return c.Redirect(http.StatusSeeOther, h.doneURL(web.AdminUsersPath, notice))
}
