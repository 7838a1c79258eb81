package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
)

// ErrDuplicate is returned when a unique name is taken.
var ErrDuplicate = errors.New("store: already exists")

// ErrLastAdmin is returned by a change that would leave no active admin.
var ErrLastAdmin = errors.New("store: the last admin must stay an active admin")

const userColumns = `u.id, u.username, u.name, u.role, u.password_hash, u.disabled, u.created_at`

func scanUser(row scanner) (account.User, error) {
	var u account.User
	var role string
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	u.Role = account.Role(role)
	u.CreatedAt = u.CreatedAt.UTC()
	return u, err
}

// AddUser stores a new user, with the audit entry e, and returns its id;
// a taken username is ErrDuplicate.
func (s *Store) AddUser(ctx context.Context, u account.User, e audit.Entry) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = addUser(ctx, tx, u); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return 0, fmt.Errorf("store: add user %q: %w", u.Username, err)
	}
	return id, nil
}

func addUser(ctx context.Context, tx *sql.Tx, u account.User) (int64, error) {
	const existsSQL = `SELECT count(*) FROM users WHERE username = ?`
	const insertSQL = `INSERT INTO users (username, name, role, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`
	var n int
	if err := tx.QueryRowContext(ctx, existsSQL, u.Username).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, ErrDuplicate
	}
	res, err := tx.ExecContext(ctx, insertSQL, u.Username, u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.CreatedAt.UTC())
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UserByUsername returns the user with this username, or ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (account.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users u WHERE u.username = ?`
	u, err := scanUser(s.r.QueryRowContext(ctx, q, username))
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, fmt.Errorf("store: user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("store: user %q: %w", username, err)
	}
	return u, nil
}

// Users lists every user by username.
func (s *Store) Users(ctx context.Context) ([]account.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users u ORDER BY u.username`
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var list []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		list = append(list, u)
	}
	return list, rows.Err()
}

// UserCount counts the users, disabled ones included.
func (s *Store) UserCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// SetPassword replaces a user's password hash and ends all of the user's
// sessions, so a changed password locks out whoever knew the old one. The
// audit entry e commits with it.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, e audit.Entry) error {
	const updateSQL = `UPDATE users SET password_hash = ? WHERE id = ?`
	const endSQL = `DELETE FROM sessions WHERE user_id = ?`
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, updateSQL, hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err = tx.ExecContext(ctx, endSQL, userID); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, err)
	}
	return nil
}

// ReplaceSetupToken makes hash the only valid first-run setup token.
func (s *Store) ReplaceSetupToken(ctx context.Context, hash []byte, now time.Time) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`, hash, now.UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: setup token: %w", err)
	}
	return nil
}

// setupTokenSQL is 1 when its parameter is the setup token's hash and no
// user exists yet.
const setupTokenSQL = `SELECT count(*) FROM setup_tokens WHERE token_hash = ? AND NOT EXISTS (SELECT 1 FROM users)`

// SetupTokenValid reports whether hash is the setup token and no user
// exists yet.
func (s *Store) SetupTokenValid(ctx context.Context, hash []byte) (bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, setupTokenSQL, hash).Scan(&n); err != nil {
		return false, fmt.Errorf("store: setup token: %w", err)
	}
	return n == 1, nil
}

// CreateFirstAdmin uses the setup token to create the first user. It fails
// with ErrNotFound if the token is not the current one or a user exists;
// the token is spent either way once a user exists.
func (s *Store) CreateFirstAdmin(ctx context.Context, tokenHash []byte, u account.User, e audit.Entry) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, setupTokenSQL, tokenHash).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return ErrNotFound
		}
		var err error
		if id, err = addUser(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		e.UserID = id
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return 0, fmt.Errorf("store: first admin: %w", err)
	}
	return id, nil
}

// UserByID returns the user with this id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (account.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users u WHERE u.id = ?`
	u, err := scanUser(s.r.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, fmt.Errorf("store: user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// SetUserRole changes a user's role. Demoting the last active admin is
// ErrLastAdmin. The audit entry e commits with it.
func (s *Store) SetUserRole(ctx context.Context, userID int64, role account.Role, e audit.Entry) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := changeUser(ctx, tx, userID, `UPDATE users SET role = ? WHERE id = ?`, string(role), userID); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: set role of user %d: %w", userID, err)
	}
	return nil
}

// SetUserDisabled disables or enables a user. Disabling ends the user's
// sessions at once; disabling the last active admin is ErrLastAdmin. The
// audit entry e commits with it.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool, e audit.Entry) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := changeUser(ctx, tx, userID, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
				return err
			}
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: disable user %d: %w", userID, err)
	}
	return nil
}

// changeUser runs an update of one user and undoes it (by failing the
// transaction) if it took away the last active admin.
func changeUser(ctx context.Context, tx *sql.Tx, userID int64, q string, args ...any) error {
	const adminsSQL = `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`
	var before, after int
	if err := tx.QueryRowContext(ctx, adminsSQL).Scan(&before); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if err := tx.QueryRowContext(ctx, adminsSQL).Scan(&after); err != nil {
		return err
	}
	if before > 0 && after == 0 {
		return ErrLastAdmin
	}
	return nil
}
