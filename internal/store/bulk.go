package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// SaveResult says what SaveArticle did.
type SaveResult int

// The outcomes of SaveArticle.
const (
	Unchanged SaveResult = iota
	Created
	Updated
)

// SaveArticle stores an imported article by its slug: a new slug is
// inserted, a known one is updated if any field differs, each with a
// revision. Saving the same article twice changes nothing, which makes
// imports idempotent.
func (s *Store) SaveArticle(ctx context.Context, a article.Article) (SaveResult, error) {
	res, err := s.SaveArticles(ctx, []article.Article{a})
	if err != nil {
		return Unchanged, err
	}
	return res[0], nil
}

// SaveArticles stores imported articles by slug as SaveArticle does, all
// in one transaction: either every one is saved or, on an error, none. The
// slugs must differ from each other. It returns what it did to each.
func (s *Store) SaveArticles(ctx context.Context, list []article.Article) ([]SaveResult, error) {
	const findSQL = `SELECT ` + articleColumns + ` FROM ` + articleSource + ` WHERE a.slug = ?`
	results := make([]SaveResult, len(list))
	savedAt := time.Now()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := prepareArticleRows(ctx, tx)
		if err != nil {
			return err
		}
		defer rows.Close()
		find, err := tx.PrepareContext(ctx, findSQL)
		if err != nil {
			return err
		}
		defer find.Close()
		for i, a := range list {
			a.Tags = uniqueTags(a.Tags)
			a.PublishedAt = a.PublishedAt.UTC()
			a.UpdatedAt = a.UpdatedAt.UTC()
			old, err := scanArticle(find.QueryRowContext(ctx, a.Slug))
			var names ChangedNames
			switch {
			case errors.Is(err, sql.ErrNoRows):
				a.ID, a.Version = 0, 1
				results[i] = Created
			case err != nil:
				return fmt.Errorf("article %q: %w", a.Slug, err)
			case sameArticle(old, a):
				continue
			default:
				a.ID, a.Version = old.ID, old.Version+1
				names.add(old.Section, old.Author, old.Tags)
				results[i] = Updated
			}
			if err := writeArticleRow(ctx, rows, &a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := replaceTags(ctx, tx, a.ID, a.Tags); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := indexArticle(ctx, tx, a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			rev := article.Revision{SavedAt: savedAt, Username: "import", Note: "imported"}
			if err := addRevision(ctx, tx, a, rev); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			// The names before and after are at hand; no need to read
			// them back as logArticleChange would.
			names.add(a.Section, a.Author, a.Tags)
			if err := logChange(ctx, tx, Change{Kind: ArticleChange, ArticleID: a.ID, Names: names}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: save articles: %w", err)
	}
	return results, nil
}

func sameArticle(old, a article.Article) bool {
	return old.Headline == a.Headline && old.Summary == a.Summary && old.Body == a.Body &&
		old.HTML == a.HTML && old.Author == a.Author && old.Section == a.Section &&
		old.Language == a.Language && old.Status == a.Status &&
		old.PublishedAt.Equal(a.PublishedAt) && old.UpdatedAt.Equal(a.UpdatedAt) &&
		slices.Equal(old.Tags, a.Tags)
}

// AddArticles inserts new articles, each with its comments (comments[i]
// belong to list[i]; their ArticleID is filled in), in one transaction. It
// is for generated demo data: it writes no revisions, so the database stays
// the size of its text, and it logs one site-wide change instead of one
// per article and comment. A slug that is taken fails the whole call.
func (s *Store) AddArticles(ctx context.Context, list []article.Article, comments [][]comment.Comment) error {
	const commentSQL = `INSERT INTO comments (article_id, name, email, body, status, created_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	if len(comments) > len(list) {
		return fmt.Errorf("store: add articles: %d lists of comments for %d articles", len(comments), len(list))
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := prepareArticleRows(ctx, tx)
		if err != nil {
			return err
		}
		defer rows.Close()
		addComment, err := tx.PrepareContext(ctx, commentSQL)
		if err != nil {
			return err
		}
		defer addComment.Close()
		for i, a := range list {
			a.Tags = uniqueTags(a.Tags)
			a.ID, a.Version = 0, 1
			if err := writeArticleRow(ctx, rows, &a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := replaceTags(ctx, tx, a.ID, a.Tags); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := indexArticle(ctx, tx, a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if i >= len(comments) {
				continue
			}
			for _, c := range comments[i] {
				if _, err := addComment.ExecContext(ctx, a.ID, c.Name, c.Email, c.Body, string(c.Status),
					c.CreatedAt.UTC().Truncate(time.Second), c.IP, c.UserAgent); err != nil {
					return fmt.Errorf("comment on %q: %w", a.Slug, err)
				}
			}
		}
		return logChange(ctx, tx, Change{Kind: SiteChange})
	})
	if err != nil {
		return fmt.Errorf("store: add articles: %w", err)
	}
	return nil
}

// articleRows are the prepared statements that write article rows, for
// one transaction.
type articleRows struct {
	insert, update *sql.Stmt
}

// articleRowColumns are the columns writeArticleRow sets, in the order of
// its arguments. The UPDATE sets them as one row value, so a new column is
// added in this one place.
const articleRowColumns = `slug, headline, summary, body, body_html, author, section, language, status,
	published_at, updated_at, version`

func prepareArticleRows(ctx context.Context, tx *sql.Tx) (*articleRows, error) {
	const insertSQL = `INSERT INTO articles (` + articleRowColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	const updateSQL = `UPDATE articles SET (` + articleRowColumns + `) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`
	insert, err := tx.PrepareContext(ctx, insertSQL)
	if err != nil {
		return nil, err
	}
	update, err := tx.PrepareContext(ctx, updateSQL)
	if err != nil {
		insert.Close()
		return nil, err
	}
	return &articleRows{insert: insert, update: update}, nil
}

// Close closes the statements.
func (w *articleRows) Close() error {
	return errors.Join(w.insert.Close(), w.update.Close())
}

// writeArticleRow is the one place where bulk writes set an article's row:
// it inserts a (ID 0), giving it its new ID, or updates the row with a's ID.
func writeArticleRow(ctx context.Context, w *articleRows, a *article.Article) error {
	args := []any{a.Slug, a.Headline, a.Summary, a.Body, string(a.HTML), a.Author, a.Section, a.Language,
		string(a.Status), a.PublishedAt.UTC(), a.UpdatedAt.UTC(), a.Version}
	if a.ID != 0 {
		_, err := w.update.ExecContext(ctx, append(args, a.ID)...)
		return err
	}
	res, err := w.insert.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	a.ID, err = res.LastInsertId()
	return err
}
