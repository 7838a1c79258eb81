package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// ChangeKind says what kind of thing a change touched.
type ChangeKind string

// The kinds of change the log records.
const (
	// ArticleChange: an article was created, edited, published, trashed or
	// restored, or given a note. Names hold its sections, tags and authors
	// before and after.
	ArticleChange ChangeKind = "article"
	// CommentsChange: the approved opinions of an article changed.
	CommentsChange ChangeKind = "comments"
	// AuthorChange: an author's biography changed; Names.Authors has them.
	AuthorChange ChangeKind = "author"
	// SiteChange: something every page may show changed (settings, image
	// descriptions).
	SiteChange ChangeKind = "site"
)

// Change is one entry of the change log.
type Change struct {
	ID        int64
	Kind      ChangeKind
	ArticleID int64
	Names     ChangedNames
}

// ChangedNames are the sections, tags and authors a change concerns.
type ChangedNames struct {
	Sections []string `json:"s,omitempty"`
	Tags     []string `json:"t,omitempty"`
	Authors  []string `json:"a,omitempty"`
}

// add puts the names of an article's state into n, once each.
func (n *ChangedNames) add(section, author string, tags []string) {
	put := func(list *[]string, v string) {
		if v != "" && !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	put(&n.Sections, section)
	put(&n.Authors, author)
	for _, t := range tags {
		put(&n.Tags, t)
	}
}

// keptChanges is how many log entries are kept: enough for any reader that
// polls every few seconds, small enough to stay a few hundred kilobytes.
const keptChanges = 10_000

// logChange appends a change inside the transaction that makes it, and
// now and then drops entries no reader needs any more.
func logChange(ctx context.Context, tx *sql.Tx, c Change) error {
	names := ""
	if len(c.Names.Sections)+len(c.Names.Tags)+len(c.Names.Authors) > 0 {
		b, err := json.Marshal(c.Names)
		if err != nil {
			return err
		}
		names = string(b)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO changes (at, kind, article_id, names) VALUES (?, ?, ?, ?)`,
		time.Now().UTC(), string(c.Kind), c.ArticleID, names)
	if err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	if id, err := res.LastInsertId(); err == nil && id%1000 == 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE id <= ?`, id-keptChanges); err != nil {
			return fmt.Errorf("prune change log: %w", err)
		}
	}
	return nil
}

// logArticleChange logs a change of one article, with the names it has
// now (read in the transaction) and those in before.
func logArticleChange(ctx context.Context, tx *sql.Tx, articleID int64, before ChangedNames) error {
	now, err := articleNames(ctx, tx, articleID)
	if err != nil {
		return err
	}
	c := Change{Kind: ArticleChange, ArticleID: articleID, Names: before}
	for _, s := range now.Sections {
		c.Names.add(s, "", nil)
	}
	for _, a := range now.Authors {
		c.Names.add("", a, nil)
	}
	c.Names.add("", "", now.Tags)
	return logChange(ctx, tx, c)
}

// articleNames reads an article's section, author and tags.
func articleNames(ctx context.Context, tx *sql.Tx, articleID int64) (ChangedNames, error) {
	var n ChangedNames
	var section, author string
	err := tx.QueryRowContext(ctx, `SELECT section, author FROM articles WHERE id = ?`, articleID).Scan(&section, &author)
	if err == sql.ErrNoRows {
		return n, nil
	}
	if err != nil {
		return n, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT tag FROM article_tags WHERE article_id = ? ORDER BY position`, articleID)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	var tags []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return n, err
		}
		tags = append(tags, t)
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	n.add(section, author, tags)
	return n, nil
}

// logCommentsChange logs that the approved opinions of an article changed.
func logCommentsChange(ctx context.Context, tx *sql.Tx, articleID int64) error {
	return logChange(ctx, tx, Change{Kind: CommentsChange, ArticleID: articleID})
}

// LastChange is the id of the newest change, 0 for none: where a new
// reader of the log starts.
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM changes`).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last change: %w", err)
	}
	return id, nil
}

// ChangesAfter lists the changes logged after id, oldest first, at most
// limit of them. A reader that fell further behind than the log reaches
// (the first id returned is not id+1) should assume everything changed.
func (s *Store) ChangesAfter(ctx context.Context, id int64, limit int) ([]Change, error) {
	rows, err := s.query(ctx, `SELECT id, kind, article_id, names FROM changes WHERE id > ? ORDER BY id LIMIT ?`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", id, err)
	}
	defer rows.Close()
	var list []Change
	for rows.Next() {
		var c Change
		var kind, names string
		if err := rows.Scan(&c.ID, &kind, &c.ArticleID, &names); err != nil {
			return nil, fmt.Errorf("store: changes after %d: %w", id, err)
		}
		c.Kind = ChangeKind(kind)
		if names != "" {
			if err := json.Unmarshal([]byte(names), &c.Names); err != nil {
				return nil, fmt.Errorf("store: change %d: %w", c.ID, err)
			}
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", id, err)
	}
	return list, nil
}
