package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/account"
)

// Session is a signed-in user's session, found by the hash of its id.
type Session struct {
	User       account.User
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a session for a user, valid until expires.
func (s *Store) CreateSession(ctx context.Context, idHash []byte, userID int64, now, expires time.Time) error {
	const q = `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`
	if _, err := s.w.ExecContext(ctx, q, idHash, userID, now.UTC(), now.UTC(), expires.UTC()); err != nil {
		return fmt.Errorf("store: create session for user %d: %w", userID, err)
	}
	return nil
}

// SessionByID returns the live session with this id hash: not past its
// absolute expiry, seen after idleSince, and of a user who is not disabled.
// Anything else is ErrNotFound.
func (s *Store) SessionByID(ctx context.Context, idHash []byte, now, idleSince time.Time) (Session, error) {
	q := `SELECT ` + userColumns + `, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0`
	var ses Session
	var role string
	err := s.r.QueryRowContext(ctx, q, idHash, now.UTC(), idleSince.UTC()).Scan(
		&ses.User.ID, &ses.User.Username, &ses.User.Name, &role, &ses.User.PasswordHash, &ses.User.Disabled, &ses.User.CreatedAt,
		&ses.CreatedAt, &ses.LastSeenAt, &ses.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	ses.User.Role = account.Role(role)
	return ses, nil
}

// TouchSession records that a session was used at now.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, now time.Time) error {
	if _, err := s.w.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, now.UTC(), idHash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// LoginFailures counts the failed sign-ins recorded under key since the
// given instant, and returns the oldest of them (zero when none).
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	const q = `SELECT failed_at FROM login_failures WHERE key = ? AND failed_at > ? ORDER BY failed_at`
	rows, err := s.r.QueryContext(ctx, q, key, since.UTC())
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: login failures: %w", err)
	}
	defer rows.Close()
	n := 0
	var oldest time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return 0, time.Time{}, fmt.Errorf("store: login failures: %w", err)
		}
		if n == 0 {
			oldest = at.UTC()
		}
		n++
	}
	return n, oldest, rows.Err()
}

// AddLoginFailure records a failed sign-in under each key, and forgets
// failures older than forgetBefore.
func (s *Store) AddLoginFailure(ctx context.Context, now, forgetBefore time.Time, keys ...string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE failed_at < ?`, forgetBefore.UTC()); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, failed_at) VALUES (?, ?)`, k, now.UTC()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: record failed sign-in for %s: %w", strings.Join(keys, ", "), err)
	}
	return nil
}

// ClearLoginFailures forgets the failed sign-ins under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: clear failed sign-ins for %s: %w", key, err)
	}
	return nil
}
