package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/media"
)

const mediaColumns = `id, hash, format, width, height, bytes, alt, caption, credit, uploaded_at, username`

func scanMedia(row scanner) (media.Image, error) {
	var m media.Image
	err := row.Scan(&m.ID, &m.Hash, &m.Format, &m.Width, &m.Height, &m.Bytes, &m.Alt, &m.Caption, &m.Credit, &m.UploadedAt, &m.Username)
	m.UploadedAt = m.UploadedAt.UTC()
	return m, err
}

// AddMedia records an uploaded image and returns it with its id. The same
// file uploaded again is the same image, and takes the newer description
// (alt text, caption, credit). The audit entry e commits with it.
func (s *Store) AddMedia(ctx context.Context, img media.Image, userID int64, e audit.Entry) (media.Image, error) {
	var out media.Image
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = addMedia(ctx, tx, img, userID); err != nil {
			return err
		}
		return addAudit(ctx, tx, e)
	})
	if err != nil {
		return media.Image{}, fmt.Errorf("store: add image %s: %w", img.Hash, err)
	}
	return out, nil
}

// addMedia records an image in tx (see AddMedia).
func addMedia(ctx context.Context, tx *sql.Tx, img media.Image, userID int64) (media.Image, error) {
	const findSQL = `SELECT ` + mediaColumns + ` FROM media WHERE hash = ?`
	const insertSQL = `INSERT INTO media (hash, format, width, height, bytes, alt, caption, credit, uploaded_at, user_id, username)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	out, err := scanMedia(tx.QueryRowContext(ctx, findSQL, img.Hash))
	if err == nil {
		out.Alt, out.Caption, out.Credit = img.Alt, img.Caption, img.Credit
		if _, err = tx.ExecContext(ctx, `UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?`, img.Alt, img.Caption, img.Credit, out.ID); err != nil {
			return out, err
		}
		// The image may lead any number of stories.
		return out, logChange(ctx, tx, Change{Kind: SiteChange})
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return out, err
	}
	var uid any
	if userID != 0 {
		uid = userID
	}
	res, err := tx.ExecContext(ctx, insertSQL, img.Hash, img.Format, img.Width, img.Height, img.Bytes, img.Alt,
		img.Caption, img.Credit, img.UploadedAt.UTC(), uid, img.Username)
	if err != nil {
		return out, err
	}
	out = img
	out.ID, err = res.LastInsertId()
	return out, err
}

// HasMedia reports whether an image with this file hash is recorded.
func (s *Store) HasMedia(ctx context.Context, hash string) (bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM media WHERE hash = ?`, hash).Scan(&n); err != nil {
		return false, fmt.Errorf("store: image %s: %w", hash, err)
	}
	return n > 0, nil
}

// MediaList lists uploaded images, newest first.
func (s *Store) MediaList(ctx context.Context, limit, offset int) ([]media.Image, error) {
	const q = `SELECT ` + mediaColumns + ` FROM media ORDER BY uploaded_at DESC, id DESC LIMIT ? OFFSET ?`
	rows, err := s.r.QueryContext(ctx, q, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: media: %w", err)
	}
	defer rows.Close()
	var list []media.Image
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("store: media: %w", err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// MediaByID returns one uploaded image.
func (s *Store) MediaByID(ctx context.Context, id int64) (media.Image, error) {
	m, err := scanMedia(s.r.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return media.Image{}, fmt.Errorf("store: image %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return media.Image{}, fmt.Errorf("store: image %d: %w", id, err)
	}
	return m, nil
}
