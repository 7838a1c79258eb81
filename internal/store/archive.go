package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// The date index works on UTC instants: the caller turns site-local days,
// months and years into bounds (package calendar), so that grouping follows
// the site's zone and its daylight-saving changes without SQL knowing zones.

// ArticlesBetween lists the articles visible at now that were published in
// [from, to), newest first, without their bodies.
func (s *Store) ArticlesBetween(ctx context.Context, from, to, now time.Time) ([]article.Article, error) {
	q := `SELECT ` + listColumns + ` FROM ` + articleSource + ` WHERE ` + visibleWithin +
		` AND a.published_at >= ? AND a.published_at < ? ORDER BY a.published_at DESC, a.id DESC`
	rows, err := s.query(ctx, q, now.UTC(), from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: articles between %s and %s: %w", from, to, err)
	}
	list, err := scanArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("store: articles between %s and %s: %w", from, to, err)
	}
	return list, nil
}

// ArticleCounts counts the articles visible at now in each span between
// consecutive edges: counts[i] is for [edges[i], edges[i+1]). The counts
// come from one snapshot of the database.
func (s *Store) ArticleCounts(ctx context.Context, edges []time.Time, now time.Time) ([]int, error) {
	const q = `SELECT count(*) FROM articles a WHERE ` + visibleWithin +
		` AND a.published_at >= ? AND a.published_at < ?`
	if len(edges) < 2 {
		return []int{}, nil
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: article counts: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: article counts: %w", err)
	}
	defer stmt.Close()
	counts := make([]int, len(edges)-1)
	for i := range counts {
		if err := stmt.QueryRowContext(ctx, now.UTC(), edges[i].UTC(), edges[i+1].UTC()).Scan(&counts[i]); err != nil {
			return nil, fmt.Errorf("store: article counts: %w", err)
		}
	}
	return counts, nil
}

// FirstPublishedFrom returns the publication instant of the earliest article
// visible at now that was published at or after t, or ErrNotFound.
func (s *Store) FirstPublishedFrom(ctx context.Context, t, now time.Time) (time.Time, error) {
	const q = `SELECT a.published_at FROM articles a WHERE ` + visible + ` AND ` + fourDigitYear +
		` AND a.published_at >= ? ORDER BY a.published_at ASC LIMIT 1`
	return s.publishedInstant(ctx, q, now, t)
}

// LastPublishedBefore returns the publication instant of the latest article
// visible at now that was published before t, or ErrNotFound.
func (s *Store) LastPublishedBefore(ctx context.Context, t, now time.Time) (time.Time, error) {
	const q = `SELECT a.published_at FROM articles a WHERE ` + visibleWithin + ` AND ` + fourDigitYear +
		` AND a.published_at < ? ORDER BY a.published_at DESC LIMIT 1`
	return s.publishedInstant(ctx, q, now, t)
}

// fourDigitYear passes over a publication time stored outside the years
// 1 to 9999 before those were refused (article.InstantInRange): as text
// the year 10000 sorts among the 1000s, and it scans as no time at all.
const fourDigitYear = `a.published_at GLOB '[0-9][0-9][0-9][0-9]-*'`

func (s *Store) publishedInstant(ctx context.Context, q string, now, t time.Time) (time.Time, error) {
	// ORDER BY ... LIMIT 1 rather than min()/max(): an aggregate loses the
	// column's DATETIME type and would scan as text.
	var at time.Time
	err := s.queryRow(ctx, q, now.UTC(), t.UTC()).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("store: published instant near %s: %w", t, ErrNotFound)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: published instant near %s: %w", t, err)
	}
	return at, nil
}

// NextPublication returns the instant of the earliest scheduled article:
// published but with a publication time after now, and not in the trash.
// It is ErrNotFound when none is scheduled.
func (s *Store) NextPublication(ctx context.Context, now time.Time) (time.Time, error) {
	const q = `SELECT a.published_at FROM articles a WHERE a.status = ` + publishedSQL + ` AND a.published_at > ?
		AND a.trashed_at IS NULL ORDER BY a.published_at LIMIT 1`
	var at time.Time
	err := s.queryRow(ctx, q, now.UTC()).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("store: next publication: %w", ErrNotFound)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: next publication: %w", err)
	}
	return at.UTC(), nil
}

// LastArticleID is the highest article number in use, 0 for none.
func (s *Store) LastArticleID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.queryRow(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last article id: %w", err)
	}
	return id, nil
}

// ArticlesNumbered lists the articles readers may see at now whose numbers
// are in [first, last], by number, with only their slug and times: a
// sitemap part.
func (s *Store) ArticlesNumbered(ctx context.Context, first, last int64, now time.Time) ([]article.Article, error) {
	// The unary + keeps SQLite on the id range: on a large archive it
	// preferred the (status, published_at) index, which walks every article.
	const q = `SELECT a.id, a.slug, a.published_at, a.updated_at FROM articles a
		WHERE a.id BETWEEN ? AND ? AND +a.status = ` + publishedSQL + ` AND a.trashed_at IS NULL AND +a.published_at <= ?
		ORDER BY a.id`
	rows, err := s.query(ctx, q, first, last, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: articles %d to %d: %w", first, last, err)
	}
	defer rows.Close()
	var list []article.Article
	for rows.Next() {
		var a article.Article
		var published, updated storedTime
		if err := rows.Scan(&a.ID, &a.Slug, &published, &updated); err != nil {
			return nil, fmt.Errorf("store: articles %d to %d: %w", first, last, err)
		}
		a.PublishedAt, err = published.time()
		if err == nil {
			a.UpdatedAt, err = updated.time()
		}
		if badTime(err, a.ID) {
			continue
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// Dates lists every site-local day with stories visible at now.
func (s *Store) Dates(ctx context.Context, now time.Time) ([]KeyCount, error) {
	return s.dateCounts(ctx, "D", now)
}
