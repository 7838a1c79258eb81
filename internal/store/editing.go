package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/media"
)

// ErrConflict is returned when a save is based on an older version than the
// one stored: someone else saved in between.
var ErrConflict = errors.New("store: changed by someone else")

// ErrGone is returned for an article that is in the trash.
var ErrGone = errors.New("store: gone")

// ArticleFilter selects articles for the newsroom's list.
type ArticleFilter struct {
	State   article.State // one state, or "" for all but the trashed
	Section string
	Query   string // words of the headline
	Now     time.Time
}

// AdminArticles lists articles for the newsroom, newest first, whatever
// their status.
func (s *Store) AdminArticles(ctx context.Context, f ArticleFilter, limit, offset int) ([]article.Article, error) {
	var where []string
	var args []any
	now := f.Now.UTC()
	switch f.State {
	case "":
		where = append(where, `a.trashed_at IS NULL`)
	case article.StateTrashed:
		where = append(where, `a.trashed_at IS NOT NULL`)
	case article.StateDraft:
		where = append(where, `a.trashed_at IS NULL AND a.status = `+draftSQL+``)
	case article.StateScheduled:
		where = append(where, `a.trashed_at IS NULL AND a.status = `+publishedSQL+` AND a.published_at > ?`)
		args = append(args, now)
	case article.StatePublished:
		where = append(where, `a.trashed_at IS NULL AND a.status = `+publishedSQL+` AND a.published_at <= ?`)
		args = append(args, now)
	default:
		panic(fmt.Sprintf("store: article state %q", f.State)) // a programming error: the handler parses states
	}
	if f.Section != "" {
		where = append(where, `a.section = ?`)
		args = append(args, f.Section)
	}
	for _, word := range strings.Fields(f.Query) {
		// LIKE with the wildcards of the word escaped: it is text to find.
		where = append(where, `a.headline LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscaper.Replace(word)+"%")
	}
	q := `SELECT ` + listColumns + ` FROM ` + articleSource + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`
	rows, err := s.r.QueryContext(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: newsroom articles: %w", err)
	}
	defer rows.Close()
	var list []article.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil && !badTime(err, a.ID) {
			return nil, fmt.Errorf("store: newsroom articles: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: newsroom articles: %w", err)
	}
	return list, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Sections lists the sections that articles use, by name.
func (s *Store) Sections(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT section FROM articles WHERE section != '' ORDER BY section`)
	if err != nil {
		return nil, fmt.Errorf("store: sections: %w", err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: sections: %w", err)
		}
		list = append(list, name)
	}
	return list, rows.Err()
}

// ArticleByID returns an article whatever its status, for the newsroom.
func (s *Store) ArticleByID(ctx context.Context, id int64) (article.Article, error) {
	const q = `SELECT ` + articleColumns + ` FROM ` + articleSource + ` WHERE a.id = ?`
	a, err := scanArticle(s.r.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return article.Article{}, fmt.Errorf("store: article %d: %w", id, ErrNotFound)
	}
	if err != nil && !badTime(err, id) {
		return article.Article{}, fmt.Errorf("store: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByOldSlug returns the article that once had this slug, as
// ArticleBySlug does (ErrGone once trashed), so that its old addresses
// redirect, or answer 410 like its own.
func (s *Store) ArticleByOldSlug(ctx context.Context, slug string, now time.Time) (article.Article, error) {
	q := `SELECT ` + readerColumns + ` FROM ` + articleSource + ` JOIN article_slugs o ON o.article_id = a.id
		WHERE o.slug = ?`
	return readerArticle(s.queryRow(ctx, q, slug), now, fmt.Sprintf("old slug %q", slug))
}

// slugUsesSQL counts the articles other than ?2 that have or had slug ?1.
const slugUsesSQL = `SELECT (SELECT count(*) FROM articles WHERE slug = ?1 AND id != ?2) +
	(SELECT count(*) FROM article_slugs WHERE slug = ?1 AND article_id != ?2)`

// SlugTaken reports whether an article other than exceptID has or had this
// slug.
func (s *Store) SlugTaken(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, slugUsesSQL, slug, exceptID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// ArticleSave is one newsroom save of an article; everything it changes
// commits together.
type ArticleSave struct {
	Article  article.Article
	BasedOn  int // for UpdateArticle: the version the form was built from
	Revision article.Revision
	Audit    audit.Entry // a new article's Target is filled in
	// Upload, when set, is an image sent with the form (its file already
	// kept): it is recorded with the save, and with UploadLeads it becomes
	// the article's lead image. A refused save records no image.
	Upload      *media.Image
	UploadLeads bool
	UploadAudit audit.Entry // the upload's own entry in the audit log
}

// recordUpload records the save's uploaded image in tx, making it the
// article's lead when the save says so.
func (in *ArticleSave) recordUpload(ctx context.Context, tx *sql.Tx) error {
	if in.Upload == nil {
		return nil
	}
	img, err := addMedia(ctx, tx, *in.Upload, in.Revision.UserID)
	if err != nil {
		return err
	}
	if err := addAudit(ctx, tx, in.UploadAudit); err != nil {
		return err
	}
	if in.UploadLeads {
		in.Article.Lead = article.Image{ID: img.ID, Path: img.Path(), Alt: img.Alt, Caption: img.Caption, Credit: img.Credit, Width: img.Width, Height: img.Height}
	}
	return nil
}

// CreateArticle stores a new article from the newsroom, with its first
// revision, its audit entry and its uploaded image. A slug in use is
// ErrDuplicate.
func (s *Store) CreateArticle(ctx context.Context, in ArticleSave) (int64, error) {
	const insertSQL = `INSERT INTO articles (slug, headline, summary, body, body_html, author, section, language,
		status, published_at, updated_at, version, comments_closed, lead_image_id, local_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if err := slugFree(ctx, tx, in.Article.Slug, 0); err != nil {
			return err
		}
		if err := in.recordUpload(ctx, tx); err != nil {
			return err
		}
		a, e := in.Article, in.Audit
		a.Tags = uniqueTags(a.Tags)
		a.Version = 1
		zone, err := s.archiveZone(ctx, tx)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, insertSQL, a.Slug, a.Headline, a.Summary, a.Body, string(a.HTML), a.Author,
			a.Section, a.Language, string(a.Status), a.PublishedAt.UTC(), a.UpdatedAt.UTC(), a.CommentsClosed, leadImageID(a),
			localDay(zone, a.PublishedAt))
		if err != nil {
			return err
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := replaceTags(ctx, tx, a.ID, a.Tags); err != nil {
			return err
		}
		if err := indexArticle(ctx, tx, a); err != nil {
			return err
		}
		if err := addRevision(ctx, tx, a, in.Revision); err != nil {
			return err
		}
		if e.Target == "" {
			e.Target = audit.ArticleTarget(a.ID)
		}
		if err := addAudit(ctx, tx, e); err != nil {
			return err
		}
		in.Article.ID = a.ID
		return logArticleChange(ctx, tx, a.ID, ChangedNames{})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create article %q: %w", in.Article.Slug, err)
	}
	return in.Article.ID, nil
}

// UpdateArticle saves a newsroom edit of an article whose form was built
// from version basedOn. If the stored version is newer, nothing changes and
// the error is ErrConflict. A changed slug is remembered, so that the old
// address keeps redirecting. The audit entry and the uploaded image commit
// with it.
func (s *Store) UpdateArticle(ctx context.Context, in ArticleSave) error {
	const updateSQL = `UPDATE articles SET slug = ?, headline = ?, summary = ?, body = ?, body_html = ?, author = ?,
		section = ?, language = ?, status = ?, published_at = ?, updated_at = ?, comments_closed = ?, lead_image_id = ?,
		local_day = ?, version = version + 1 WHERE id = ? AND version = ?`
	basedOn := in.BasedOn
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		oldSlug, err := slugAt(ctx, tx, in.Article.ID, basedOn)
		if err != nil {
			return err
		}
		if err := slugFree(ctx, tx, in.Article.Slug, in.Article.ID); err != nil {
			return err
		}
		if err := in.recordUpload(ctx, tx); err != nil {
			return err
		}
		a := in.Article
		a.Tags = uniqueTags(a.Tags)
		before, err := articleNames(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		zone, err := s.archiveZone(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, updateSQL, a.Slug, a.Headline, a.Summary, a.Body, string(a.HTML), a.Author,
			a.Section, a.Language, string(a.Status), a.PublishedAt.UTC(), a.UpdatedAt.UTC(), a.CommentsClosed, leadImageID(a),
			localDay(zone, a.PublishedAt), a.ID, basedOn); err != nil {
			return err
		}
		if err := renameSlug(ctx, tx, a.ID, oldSlug, a.Slug); err != nil {
			return err
		}
		if err := replaceTags(ctx, tx, a.ID, a.Tags); err != nil {
			return err
		}
		if err := indexArticle(ctx, tx, a); err != nil {
			return err
		}
		a.Version = basedOn + 1
		if err := addRevision(ctx, tx, a, in.Revision); err != nil {
			return err
		}
		if err := addAudit(ctx, tx, in.Audit); err != nil {
			return err
		}
		return logArticleChange(ctx, tx, a.ID, before)
	})
	if err != nil {
		return fmt.Errorf("store: update article %d: %w", in.Article.ID, err)
	}
	return nil
}

// leadImageID is the article's lead image for SQL: its id, or NULL.
func leadImageID(a article.Article) any {
	if a.Lead.ID == 0 {
		return nil
	}
	return a.Lead.ID
}

// slugAt is the article's slug, when its version is still basedOn:
// ErrConflict when someone saved it since, ErrNotFound when there is none.
func slugAt(ctx context.Context, tx *sql.Tx, id int64, basedOn int) (string, error) {
	var slug string
	var version int
	err := tx.QueryRowContext(ctx, `SELECT slug, version FROM articles WHERE id = ?`, id).Scan(&slug, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", ErrNotFound
	case err != nil:
		return "", err
	case version != basedOn:
		return "", ErrConflict
	}
	return slug, nil
}

// renameSlug keeps the article's old slug, when it changes to slug, as an
// address that redirects to it. The caller has checked that slug is free
// (slugFree).
func renameSlug(ctx context.Context, tx *sql.Tx, articleID int64, old, slug string) error {
	if old == slug {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_slugs (slug, article_id) VALUES (?, ?)
		ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id`, old, articleID); err != nil {
		return err
	}
	// The article may take back a slug it had before.
	_, err := tx.ExecContext(ctx, `DELETE FROM article_slugs WHERE slug = ?`, slug)
	return err
}

// slugFree fails with ErrDuplicate if another article has or had the slug.
func slugFree(ctx context.Context, tx *sql.Tx, slug string, exceptID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, slugUsesSQL, slug, exceptID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrDuplicate
	}
	return nil
}

// addRevision stores the article as saved now, with who saved it.
func addRevision(ctx context.Context, tx *sql.Tx, a article.Article, rev article.Revision) error {
	const q = `INSERT INTO article_revisions (article_id, version, saved_at, user_id, username, note,
		slug, headline, summary, body, author, section, tags, language, status, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	var userID any
	if rev.UserID != 0 {
		userID = rev.UserID
	}
	_, err := tx.ExecContext(ctx, q, a.ID, a.Version, rev.SavedAt.UTC(), userID, rev.Username, rev.Note,
		a.Slug, a.Headline, a.Summary, a.Body, a.Author, a.Section, strings.Join(a.Tags, "\x1f"), a.Language,
		string(a.Status), a.PublishedAt.UTC())
	return err
}

// Revisions lists an article's saved revisions, newest first.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]article.Revision, error) {
	return s.revisions(ctx, `WHERE r.article_id = ? ORDER BY r.version DESC`, articleID)
}

// Revision returns one saved revision of an article.
func (s *Store) Revision(ctx context.Context, articleID int64, version int) (article.Revision, error) {
	list, err := s.revisions(ctx, `WHERE r.article_id = ? AND r.version = ?`, articleID, version)
	if err != nil {
		return article.Revision{}, err
	}
	if len(list) == 0 {
		return article.Revision{}, fmt.Errorf("store: revision %d of article %d: %w", version, articleID, ErrNotFound)
	}
	return list[0], nil
}

func (s *Store) revisions(ctx context.Context, where string, args ...any) ([]article.Revision, error) {
	q := `SELECT r.article_id, r.version, r.saved_at, coalesce(r.user_id, 0), r.username, r.note, r.slug, r.headline,
		r.summary, r.body, r.author, r.section, r.tags, r.language, r.status, r.published_at
		FROM article_revisions r ` + where
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: revisions: %w", err)
	}
	defer rows.Close()
	var list []article.Revision
	for rows.Next() {
		var r article.Revision
		var tags, status string
		a := &r.Article
		if err := rows.Scan(&a.ID, &r.Version, &r.SavedAt, &r.UserID, &r.Username, &r.Note, &a.Slug, &a.Headline,
			&a.Summary, &a.Body, &a.Author, &a.Section, &tags, &a.Language, &status, &a.PublishedAt); err != nil {
			return nil, fmt.Errorf("store: revisions: %w", err)
		}
		if tags != "" {
			a.Tags = strings.Split(tags, "\x1f")
		}
		a.Status, a.Version = article.Status(status), r.Version
		r.SavedAt, a.PublishedAt = r.SavedAt.UTC(), a.PublishedAt.UTC()
		list = append(list, r)
	}
	return list, rows.Err()
}

// SetArticleTrashed moves an article to the trash (readers get 410) or
// back out of it, with the audit entry e.
func (s *Store) SetArticleTrashed(ctx context.Context, id int64, trashed bool, now time.Time, e audit.Entry) error {
	var at any
	if trashed {
		at = now.UTC()
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE articles SET trashed_at = ? WHERE id = ?`, at, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := addAudit(ctx, tx, e); err != nil {
			return err
		}
		return logArticleChange(ctx, tx, id, ChangedNames{})
	})
	if err != nil {
		return fmt.Errorf("store: trash article %d: %w", id, err)
	}
	return nil
}

// ArticleStateCounts counts articles by their state at now: draft,
// scheduled, published and trashed.
func (s *Store) ArticleStateCounts(ctx context.Context, now time.Time) (map[article.State]int, error) {
	const q = `SELECT CASE
			WHEN trashed_at IS NOT NULL THEN '` + string(article.StateTrashed) + `'
			WHEN status = ` + draftSQL + ` THEN '` + string(article.StateDraft) + `'
			WHEN published_at > ? THEN '` + string(article.StateScheduled) + `'
			ELSE '` + string(article.StatePublished) + `' END AS state, count(*)
		FROM articles GROUP BY state`
	rows, err := s.r.QueryContext(ctx, q, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: article states: %w", err)
	}
	defer rows.Close()
	counts := map[article.State]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: article states: %w", err)
		}
		counts[article.State(state)] = n
	}
	return counts, rows.Err()
}
