package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
)

// Secret returns the site's secret key of this name, making a random
// 256-bit one the first time, so that it outlives restarts and is shared by
// every process on the database.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	// Read first: a secret is made once, and reading it needs no writer.
	if err := s.r.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&key); err == nil {
		return key, nil
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&key)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		key = make([]byte, 32)
		rand.Read(key)
		_, err = tx.ExecContext(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?)`, name, key)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %q: %w", name, err)
	}
	return key, nil
}
