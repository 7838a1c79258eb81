package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dateline/dateline/internal/audit"
)

// AddAudit records an entry in the audit log.
func (s *Store) AddAudit(ctx context.Context, e audit.Entry) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return addAudit(ctx, tx, e) })
}

// addAudit writes e in tx, so that a change a user made and its audit
// entry commit together; an entry without an action (a test's, an
// import's) writes nothing.
func addAudit(ctx context.Context, tx *sql.Tx, e audit.Entry) error {
	if e.Action == "" {
		return nil
	}
	const q = `INSERT INTO audit_log (at, user_id, username, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)`
	var userID any
	if e.UserID != 0 {
		userID = e.UserID
	}
	if _, err := tx.ExecContext(ctx, q, e.At.UTC(), userID, e.Username, string(e.Action), e.Target, e.Detail, e.IP); err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog lists audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, limit, offset int) ([]audit.Entry, error) {
	const q = `SELECT id, at, coalesce(user_id, 0), username, action, target, detail, ip
		FROM audit_log ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`
	rows, err := s.r.QueryContext(ctx, q, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var list []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var action string
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.Action = audit.Action(action)
		e.At = e.At.UTC()
		list = append(list, e)
	}
	return list, rows.Err()
}
