package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
)

// Session is a signed-in user's session, found by the hash of its id.
type Session struct {
	User       account.User
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SignIn is what signing a user in changes, in one transaction
// (StartSession).
type SignIn struct {
	UserID       int64
	Session      []byte // the new session's id hash
	Now, Expires time.Time
	Replaces     []byte  // the id hash of the session the browser had, ended; nil for none
	Forgive      []int64 // the sign-in attempt's records (CountSignInAttempt)
	ClearKey     string  // a failure count forgiven with the right password; "" for none
	Entry        audit.Entry
}

// StartSession stores a new session for a user, valid until in.Expires,
// and in the same transaction ends the one it replaces and every expired
// one, forgives the attempt's failures and writes the audit entry.
func (s *Store) StartSession(ctx context.Context, in SignIn) error {
	const insertSQL = `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		for _, id := range in.Forgive {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE rowid = ?`, id); err != nil {
				return err
			}
		}
		if in.ClearKey != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE key = ?`, in.ClearKey); err != nil {
				return err
			}
		}
		if in.Replaces != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, in.Replaces); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, in.Now.UTC()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertSQL, in.Session, in.UserID, in.Now.UTC(), in.Now.UTC(), in.Expires.UTC()); err != nil {
			return err
		}
		return addAudit(ctx, tx, in.Entry)
	})
	if err != nil {
		return fmt.Errorf("store: start session for user %d: %w", in.UserID, err)
	}
	return nil
}

// SessionByHash returns the live session with this id hash: not past its
// absolute expiry, seen after idleSince, and of a user who is not disabled.
// Anything else is ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, idHash []byte, now, idleSince time.Time) (Session, error) {
	q := `SELECT ` + userColumns + `, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0`
	var ses Session
	row := s.r.QueryRowContext(ctx, q, idHash, now.UTC(), idleSince.UTC())
	// scanUser reads the user's columns; the session's follow them.
	u, err := scanUser(extraScanner{row, []any{&ses.CreatedAt, &ses.LastSeenAt, &ses.ExpiresAt}})
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	ses.User = u
	return ses, nil
}

// extraScanner scans a row that has more columns after the ones its caller
// asks for, into extra.
type extraScanner struct {
	row   scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// TouchSession records that a session was used at now.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, now time.Time) error {
	if err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, now.UTC(), idHash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// EndSession ends a session (signing out), with the audit entry e.
func (s *Store) EndSession(ctx context.Context, idHash []byte, e audit.Entry) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: end session: %w", err)
	}
	return nil
}

// SignInLimit is one count of sign-in attempts: at most Max under Key.
type SignInLimit struct {
	Key string
	Max int
}

// CountSignInAttempt records a sign-in attempt under every limit's key
// before the password is checked, counting and recording in one write
// transaction so that guesses sent in parallel cannot slip past a limit.
// If a key has its limit's worth of attempts since the given instant,
// nothing is recorded, blocked is true, and oldest is the earliest of them
// (it leaves the window first). Attempts older than forgetBefore are
// dropped on the way. The ids name the recorded attempts, for
// StartSession to forgive after a right password.
func (s *Store) CountSignInAttempt(ctx context.Context, now, since, forgetBefore time.Time, limits []SignInLimit) (ids []int64, oldest time.Time, blocked bool, err error) {
	const countSQL = `SELECT count(*), coalesce(min(attempted_at), '') FROM sign_in_attempts WHERE key = ? AND attempted_at > ?`
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE attempted_at < ?`, forgetBefore.UTC()); err != nil {
			return err
		}
		for _, l := range limits {
			var n int
			var first string // min() loses the DATETIME type; parse the stored layout
			if err := tx.QueryRowContext(ctx, countSQL, l.Key, since.UTC()).Scan(&n, &first); err != nil {
				return err
			}
			if n >= l.Max {
				t, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", first)
				if err != nil {
					return err
				}
				oldest, blocked = t.UTC(), true
				return nil
			}
		}
		for _, l := range limits {
			res, err := tx.ExecContext(ctx, `INSERT INTO sign_in_attempts (key, attempted_at) VALUES (?, ?)`, l.Key, now.UTC())
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		keys := make([]string, len(limits))
		for i, l := range limits {
			keys[i] = l.Key
		}
		return nil, time.Time{}, false, fmt.Errorf("store: count sign-in attempt for %s: %w", strings.Join(keys, ", "), err)
	}
	return ids, oldest, blocked, nil
}
