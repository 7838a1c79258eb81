package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
)

func TestUserManagement(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	boss := s.addUser("boss", account.Admin, goodPassword)
	ctx := context.Background()
	b := s.browser("198.51.100.60")
	b.login("boss", goodPassword)
	usersURL := func(u account.User, action string) string {
		return "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/" + action
	}

	// Adding: bad input is kept with messages, a taken name is refused.
	rec := b.postForm("/admin/users", "/admin/users", url.Values{"username": {"Noa Levi"}, "name": {"Noa"}, "role": {"editor"}, "password": {"short"}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), `value="noa levi"`, `value="Noa"`, "at least 10 characters", "lower-case letters")
	rec = b.postForm("/admin/users", "/admin/users", url.Values{"username": {"boss"}, "role": {"editor"}, "password": {goodPassword}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "This username is taken.")
	rec = b.postForm("/admin/users", "/admin/users", url.Values{"username": {"noa"}, "name": {"Noa Levi"}, "role": {"editor"}, "password": {goodPassword}})
	assertStatus(t, rec, http.StatusSeeOther)
	noa, err := s.store.UserByUsername(ctx, "noa")
	if err != nil || noa.Role != account.Editor {
		t.Fatalf("added user: %+v %v", noa, err)
	}
	nb := s.browser("198.51.100.61")
	nb.login("noa", goodPassword)
	for _, target := range []string{"/admin/users"} {
		assertStatus(t, nb.get(target), http.StatusForbidden)
	}
	assertStatus(t, nb.postForm("/admin", usersURL(noa, "role"), url.Values{"role": {"admin"}}), http.StatusForbidden)
	if u, _ := s.store.UserByID(ctx, noa.ID); u.Role != account.Editor {
		t.Fatal("an editor made themselves admin")
	}

	// The last admin can neither be demoted nor disabled, not even by themselves.
	rec = b.postForm("/admin/users", usersURL(boss, "role"), url.Values{"role": {"editor"}})
	assertStatus(t, rec, http.StatusConflict)
	assertContains(t, body(t, rec), "The last admin must stay an admin.")
	assertStatus(t, b.postForm("/admin/users", usersURL(boss, "disabled"), url.Values{"disabled": {"1"}}), http.StatusConflict)
	if u, _ := s.store.UserByID(ctx, boss.ID); u.Role != account.Admin || u.Disabled {
		t.Fatalf("the last admin changed: %+v", u)
	}

	// With a second admin, roles change freely.
	assertStatus(t, b.postForm("/admin/users", usersURL(noa, "role"), url.Values{"role": {"admin"}}), http.StatusSeeOther)
	assertStatus(t, b.postForm("/admin/users", usersURL(noa, "role"), url.Values{"role": {"editor"}}), http.StatusSeeOther)

	// Disabling ends the user's session; enabling lets them back in.
	assertStatus(t, b.postForm("/admin/users", usersURL(noa, "disabled"), url.Values{"disabled": {"1"}}), http.StatusSeeOther)
	assertStatus(t, nb.get("/admin"), http.StatusSeeOther)
	assertStatus(t, b.postForm("/admin/users", usersURL(noa, "disabled"), url.Values{"disabled": {"0"}}), http.StatusSeeOther)

	// A new password works, the old one does not.
	rec = b.postForm("/admin/users", usersURL(noa, "password"), url.Values{"password": {"qwertyuiop"}})
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "most common passwords")
	assertStatus(t, b.postForm("/admin/users", usersURL(noa, "password"), url.Values{"password": {"a brand new phrase"}}), http.StatusSeeOther)
	s.browser("198.51.100.62").login("noa", "a brand new phrase")
	rec = s.browser("198.51.100.63").postForm("/admin/login", "/admin/login", url.Values{"username": {"noa"}, "password": {goodPassword}})
	assertStatus(t, rec, http.StatusUnauthorized)

	for _, target := range []string{"/admin/users/999/role", "/admin/users/x/disabled"} {
		assertStatus(t, b.postForm("/admin/users", target, url.Values{"role": {"admin"}}), http.StatusNotFound)
	}
	entries, _ := s.store.AuditLog(ctx, 100, 0)
	seen := map[audit.Action]int{}
	for _, e := range entries {
		seen[e.Action]++
	}
	if seen[audit.UserAdd] != 1 || seen[audit.UserRole] != 2 || seen[audit.UserDisable] != 1 || seen[audit.UserEnable] != 1 || seen[audit.UserPassword] != 1 {
		t.Errorf("audit of user changes: %v", seen)
	}
}
