// Package account owns the newsroom's people: users and their roles, how
// passwords are checked and stored (argon2id), and the random tokens behind
// sessions and the first-run setup link. It must not import HTTP, SQL or
// template code.
package account

import (
	"github.com/dateline/dateline/internal/fields"

	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"
)

// Role says what a user may do.
type Role string

// The roles. Admins may do everything; editors work on articles and
// moderate comments.
const (
	Admin  Role = "admin"
	Editor Role = "editor"
)

// ParseRole accepts the name of a role.
func ParseRole(s string) (Role, bool) {
	switch r := Role(strings.TrimSpace(s)); r {
	case Admin, Editor:
		return r, true
	}
	return "", false
}

// User is a member of the newsroom.
type User struct {
	ID           int64
	Username     string
	Name         string // display name
	Role         Role
	Disabled     bool
	PasswordHash string // PHC string, see HashPassword
	CreatedAt    time.Time
}

// DisplayName is the name to show: the display name, or the username.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}

// IsAdmin reports whether the user has the admin role.
func (u User) IsAdmin() bool { return u.Role == Admin }

// MaxName is the most characters of a display name.
const MaxName = 80

// NewUser checks the fields of a new account, as the newsroom's forms and
// the command line take them, and returns the user they make (without a
// password: see CheckPassword) and what is wrong by field: "username",
// "name", "role". The username is trimmed and lower-cased, the name trimmed.
func NewUser(username, name, role string) (User, fields.Errors) {
	u := User{Username: strings.ToLower(strings.TrimSpace(username)), Name: strings.TrimSpace(name)}
	errs := fields.Errors{}
	if !validUsername(u.Username) {
		errs["username"] = "Use 2 to 40 lower-case letters, digits, dots, hyphens or underscores, starting with a letter."
	}
	if utf8.RuneCountInString(u.Name) > MaxName || !utf8.ValidString(u.Name) {
		errs["name"] = "Please keep the display name to 80 characters or fewer."
	}
	var ok bool
	if u.Role, ok = ParseRole(role); !ok {
		errs["role"] = "Choose editor or admin."
	}
	if len(errs) == 0 {
		errs = nil
	}
	return u, errs
}

// validUsername reports whether s can be a username: 2 to 40 lower-case
// ASCII letters, digits, dots, hyphens or underscores, starting with a letter.
func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 40 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// NewToken returns a random 256-bit token for a cookie or a link, and the
// hash of it that is stored: a leaked database does not give away sessions.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash is the stored form of a token.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
