package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dateline/dateline/internal/audit"
)

// AuthorBios returns the biographies that are set, by author name.
func (s *Store) AuthorBios(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, bio FROM authors WHERE bio != ''`)
	if err != nil {
		return nil, fmt.Errorf("store: author bios: %w", err)
	}
	defer rows.Close()
	bios := map[string]string{}
	for rows.Next() {
		var name, bio string
		if err := rows.Scan(&name, &bio); err != nil {
			return nil, fmt.Errorf("store: author bios: %w", err)
		}
		bios[name] = bio
	}
	return bios, rows.Err()
}

// AuthorBio returns an author's biography, or "" when none is set.
func (s *Store) AuthorBio(ctx context.Context, name string) (string, error) {
	var bio string
	err := s.queryRow(ctx, `SELECT bio FROM authors WHERE name = ?`, name).Scan(&bio)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: bio of %q: %w", name, err)
	}
	return bio, nil
}

// SetAuthorBio sets an author's biography ("" removes it), with its audit
// entry.
func (s *Store) SetAuthorBio(ctx context.Context, name, bio string, e audit.Entry) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO authors (name, bio) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET bio = excluded.bio`, name, bio); err != nil {
			return err
		}
		if err := logChange(ctx, tx, Change{Kind: AuthorChange, Names: ChangedNames{Authors: []string{name}}}); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("store: set bio of %q: %w", name, err)
	}
	return nil
}
