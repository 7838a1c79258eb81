package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
)

// AddArticleNote adds a correction or an update to an article, with the
// audit entry e.
func (s *Store) AddArticleNote(ctx context.Context, n article.Note, e audit.Entry) (int64, error) {
	const q = `INSERT INTO article_notes (article_id, kind, body, at, user_id, username) VALUES (?, ?, ?, ?, ?, ?)`
	var userID any
	if n.UserID != 0 {
		userID = n.UserID
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, n.ArticleID, string(n.Kind), n.Body, n.At.UTC().Truncate(time.Second), userID, n.Username)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := addAudit(ctx, tx, e); err != nil {
			return err
		}
		return logArticleChange(ctx, tx, n.ArticleID, ChangedNames{})
	})
	if err != nil {
		return 0, fmt.Errorf("store: add note to article %d: %w", n.ArticleID, err)
	}
	return id, nil
}

const noteColumns = `n.id, n.article_id, n.kind, n.body, n.at, coalesce(n.user_id, 0), n.username,
	a.slug, a.headline, a.published_at, a.language`

// scanNotes reads notes. Those of an article whose time is out of range
// (errBadInstant) are left out of a listing of many articles' notes, and
// kept, without the time, for the article's own (the newsroom's).
func scanNotes(rows *sql.Rows, oneArticle bool) ([]article.Note, error) {
	defer rows.Close()
	var list []article.Note
	for rows.Next() {
		var n article.Note
		var kind string
		var published storedTime
		if err := rows.Scan(&n.ID, &n.ArticleID, &kind, &n.Body, &n.At, &n.UserID, &n.Username,
			&n.Article.Slug, &n.Article.Headline, &published, &n.Article.Language); err != nil {
			return nil, err
		}
		var err error
		if n.Article.PublishedAt, err = published.time(); err != nil {
			if badTime(err, n.ArticleID); !oneArticle {
				continue
			}
		}
		n.Kind, n.At, n.Article.ID = article.NoteKind(kind), n.At.UTC(), n.ArticleID
		list = append(list, n)
	}
	return list, rows.Err()
}

// ArticleNotes lists an article's corrections and updates, oldest first.
func (s *Store) ArticleNotes(ctx context.Context, articleID int64) ([]article.Note, error) {
	const q = `SELECT ` + noteColumns + ` FROM article_notes n JOIN articles a ON a.id = n.article_id
		WHERE n.article_id = ? ORDER BY n.at, n.id`
	rows, err := s.query(ctx, q, articleID)
	if err != nil {
		return nil, fmt.Errorf("store: notes of article %d: %w", articleID, err)
	}
	list, err := scanNotes(rows, true)
	if err != nil {
		return nil, fmt.Errorf("store: notes of article %d: %w", articleID, err)
	}
	return list, nil
}

// Corrections lists the corrections of articles readers may see at now,
// newest first.
func (s *Store) Corrections(ctx context.Context, now time.Time, limit, offset int) ([]article.Note, error) {
	const q = `SELECT ` + noteColumns + ` FROM article_notes n JOIN articles a ON a.id = n.article_id
		WHERE n.kind = 'correction' AND ` + visible + ` ORDER BY n.at DESC, n.id DESC LIMIT ? OFFSET ?`
	rows, err := s.query(ctx, q, now.UTC(), limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: corrections: %w", err)
	}
	list, err := scanNotes(rows, false)
	if err != nil {
		return nil, fmt.Errorf("store: corrections: %w", err)
	}
	return list, nil
}
