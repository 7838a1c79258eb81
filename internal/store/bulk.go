package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/search"
)

// ImportResult says what ImportArticles did to one article.
type ImportResult int

// The outcomes of an import.
const (
	Unchanged ImportResult = iota
	Created
	Updated
	// Edited: the article was changed in the newsroom since it was
	// imported (or was written there), so the file does not overwrite it.
	Edited
)

// importUsername is who an import's revisions are by.
const importUsername = "import"

// ImportArticle stores an imported article by its slug: a new slug is
// inserted, a known one is updated if any field differs, each with a
// revision; one whose newest revision is an editor's is left alone
// (Edited). Importing the same article twice changes nothing, which makes
// imports idempotent.
func (s *Store) ImportArticle(ctx context.Context, a article.Article) (ImportResult, error) {
	res, err := s.ImportArticles(ctx, []article.Article{a})
	if err != nil {
		return Unchanged, err
	}
	return res[0], nil
}

// ImportArticles stores imported articles by slug as ImportArticle does,
// all in one transaction: either every one is saved or, on an error, none.
// The slugs must differ from each other. It returns what it did to each.
func (s *Store) ImportArticles(ctx context.Context, list []article.Article) ([]ImportResult, error) {
	const findSQL = `SELECT ` + articleColumns + ` FROM ` + articleSource + ` WHERE a.slug = ?`
	// An editor's revision has the editor's user id; an import's has none
	// (and its name, which a user could also be called).
	const editorSQL = `SELECT count(*) FROM (SELECT username, user_id FROM article_revisions
		WHERE article_id = ? ORDER BY version DESC LIMIT 1) WHERE username != '` + importUsername + `' OR user_id IS NOT NULL`
	// A slug an article had before: an editor renamed it in the newsroom.
	const renamedSQL = `SELECT count(*) FROM article_slugs WHERE slug = ?`
	results := make([]ImportResult, len(list))
	savedAt := time.Now()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		q := bulkContext(ctx)
		rows, err := s.prepareArticleRows(q, tx)
		if err != nil {
			return err
		}
		defer rows.Close()
		find, err := tx.PrepareContext(q, findSQL)
		if err != nil {
			return err
		}
		defer find.Close()
		edited, err := tx.PrepareContext(q, editorSQL)
		if err != nil {
			return err
		}
		defer edited.Close()
		renamed, err := tx.PrepareContext(q, renamedSQL)
		if err != nil {
			return err
		}
		defer renamed.Close()
		index := newSearchRows()
		defer index.stop()
		for i, a := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			a.Tags = uniqueTags(a.Tags)
			a.PublishedAt = a.PublishedAt.UTC()
			a.UpdatedAt = a.UpdatedAt.UTC()
			old, err := scanArticle(find.QueryRowContext(q, a.Slug))
			if err != nil && badTime(err, old.ID) {
				err = nil // the file's time replaces the one out of range
			}
			var names ChangedNames
			switch {
			case errors.Is(err, sql.ErrNoRows):
				var was int
				if err := renamed.QueryRowContext(q, a.Slug).Scan(&was); err != nil {
					return fmt.Errorf("article %q: %w", a.Slug, err)
				}
				if was > 0 { // the file's article, renamed in the newsroom since
					results[i] = Edited
					continue
				}
				a.ID, a.Version = 0, 1
				results[i] = Created
			case err != nil:
				return fmt.Errorf("article %q: %w", a.Slug, err)
			case sameArticle(old, a):
				continue
			default:
				var byEditor int
				if err := edited.QueryRowContext(q, old.ID).Scan(&byEditor); err != nil {
					return fmt.Errorf("article %q: %w", a.Slug, err)
				}
				if byEditor > 0 {
					results[i] = Edited
					continue
				}
				a.ID, a.Version = old.ID, old.Version+1
				names.add(old.Section, old.Author, old.Tags)
				results[i] = Updated
			}
			if err := writeArticleRow(q, rows, &a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := writeTags(q, rows, a.ID, a.Tags, results[i] == Updated); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			index.add(a, results[i] == Updated)
			rev := article.Revision{SavedAt: savedAt, Username: importUsername, Note: "imported"}
			if err := addRevision(q, tx, a, rev); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			// The names before and after are at hand; no need to read
			// them back as logArticleChange would.
			names.add(a.Section, a.Author, a.Tags)
			if err := logChange(q, tx, Change{Kind: ArticleChange, ArticleID: a.ID, Names: names}); err != nil {
				return err
			}
		}
		return index.write(q, tx)
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
	if len(comments) > len(list) {
		return fmt.Errorf("store: add articles: %d lists of comments for %d articles", len(comments), len(list))
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		q := bulkContext(ctx)
		rows, err := s.prepareArticleRows(q, tx)
		if err != nil {
			return err
		}
		defer rows.Close()
		comment := commentWriter{agents: map[string]bool{}}
		if comment.addUserAgent, err = tx.PrepareContext(q, addUserAgentSQL); err != nil {
			return err
		}
		defer comment.addUserAgent.Close()
		if comment.insert, err = tx.PrepareContext(q, insertCommentSQL); err != nil {
			return err
		}
		defer comment.insert.Close()
		index := newSearchRows()
		defer index.stop()
		for i, a := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			a.Tags = uniqueTags(a.Tags)
			a.ID, a.Version = 0, 1
			if err := writeArticleRow(q, rows, &a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			if err := writeTags(q, rows, a.ID, a.Tags, false); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
			index.add(a, false)
			if i >= len(comments) {
				continue
			}
			for _, c := range comments[i] {
				c.ArticleID = a.ID
				if _, err := comment.write(q, c); err != nil {
					return fmt.Errorf("comment on %q: %w", a.Slug, err)
				}
			}
		}
		if err := logChange(q, tx, Change{Kind: SiteChange}); err != nil {
			return err
		}
		return index.write(q, tx)
	})
	if err != nil {
		return fmt.Errorf("store: add articles: %w", err)
	}
	return nil
}

// bulkContext is the context the statements of a bulk save run with: ctx
// without its cancellation. For a context that can end, the driver starts
// a goroutine to watch it for every statement, and the wake-ups cost a
// fifth of the time of a bulk save (measured: 95,000 futex calls and as
// many sleeps for 10,000 imported files). The saves check ctx between
// articles instead, and the transaction still ends with it.
func bulkContext(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// searchRows are the search-index rows of a transaction's articles. The
// bulk saves write them last, in rowid order, because FTS5 writes the
// terms it holds in memory out to the index at every savepoint (which
// every statement that fires a trigger opens) and whenever a rowid is
// lower than the one before: written between the other statements, each
// article became a segment of its own, merged again and again (a third of
// the time of a bulk save). Their text is worked out meanwhile on other
// cores: normalising an article's text costs more than all its other
// writes.
type searchRows struct {
	jobs chan *searchRow
	rows []*searchRow
	wg   sync.WaitGroup
	once sync.Once
}

// searchRow is the row of one article, and whether the index has a row
// for it already.
type searchRow struct {
	id                      int64
	replace                 bool
	a                       article.Article // until the text is worked out
	headline, summary, body string
}

func newSearchRows() *searchRows {
	sr := &searchRows{jobs: make(chan *searchRow, 64)}
	for range runtime.GOMAXPROCS(0) {
		sr.wg.Go(func() {
			for r := range sr.jobs {
				r.headline, r.summary, r.body = searchText(r.a)
				r.a = article.Article{}
			}
		})
	}
	return sr
}

// searchText is the text the index holds for an article. It must stay
// what indexArticle (search.go) writes; TestBulkIndexMatchesIndexArticle
// compares the two term by term.
func searchText(a article.Article) (headline, summary, body string) {
	return search.Normalize(a.Headline), search.Normalize(a.Summary), search.Normalize(article.PlainText(a.HTML))
}

// add queues the row of a saved article (with its ID); replace says that
// the index has an older row for it.
func (sr *searchRows) add(a article.Article, replace bool) {
	r := &searchRow{id: a.ID, replace: replace, a: a}
	sr.rows = append(sr.rows, r)
	sr.jobs <- r
}

// stop ends the workers; the rows are then complete. It may be called
// more than once.
func (sr *searchRows) stop() {
	sr.once.Do(func() {
		close(sr.jobs)
		sr.wg.Wait()
	})
}

// write writes the rows, in rowid order, once their text is ready.
func (sr *searchRows) write(ctx context.Context, tx *sql.Tx) error {
	const deleteSQL = `DELETE FROM articles_fts WHERE rowid = ?`
	const insertSQL = `INSERT INTO articles_fts (rowid, headline, summary, body) VALUES (?, ?, ?, ?)`
	sr.stop()
	if len(sr.rows) == 0 {
		return nil
	}
	slices.SortFunc(sr.rows, func(a, b *searchRow) int { return cmp.Compare(a.id, b.id) })
	del, err := tx.PrepareContext(ctx, deleteSQL)
	if err != nil {
		return err
	}
	defer del.Close()
	insert, err := tx.PrepareContext(ctx, insertSQL)
	if err != nil {
		return err
	}
	defer insert.Close()
	for _, r := range sr.rows {
		if r.replace {
			if _, err := del.ExecContext(ctx, r.id); err != nil {
				return fmt.Errorf("index article %d: %w", r.id, err)
			}
		}
		if _, err := insert.ExecContext(ctx, r.id, r.headline, r.summary, r.body); err != nil {
			return fmt.Errorf("index article %d: %w", r.id, err)
		}
	}
	return nil
}

// articleRows are the statements that write article rows and their tags,
// prepared once for a transaction: SQLite would otherwise parse each
// statement again, with the programs of its triggers, for every tag
// (measured: two thirds of the time of writing tags).
type articleRows struct {
	insert, update     *sql.Stmt
	deleteTags, addTag *sql.Stmt
	zone               *time.Location // of local_day (see counts.go)
}

// articleRowColumns are the columns writeArticleRow sets, in the order of
// its arguments. The UPDATE sets them as one row value, so a new column is
// added in this one place.
const articleRowColumns = `slug, headline, summary, body, body_html, author, section, language, status,
	published_at, updated_at, version, local_day`

func (s *Store) prepareArticleRows(ctx context.Context, tx *sql.Tx) (*articleRows, error) {
	const insertSQL = `INSERT INTO articles (` + articleRowColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	const updateSQL = `UPDATE articles SET (` + articleRowColumns + `) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`
	// The same statements as replaceTags (articles.go) runs; the tests
	// compare what the two write.
	const deleteTagsSQL = `DELETE FROM article_tags WHERE article_id = ?`
	const addTagSQL = `INSERT INTO article_tags (article_id, tag, position, published_at)
		VALUES (?1, ?2, ?3, (SELECT published_at FROM articles WHERE id = ?1))`
	zone, err := s.archiveZone(ctx, tx)
	if err != nil {
		return nil, err
	}
	w := &articleRows{zone: zone}
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{{&w.insert, insertSQL}, {&w.update, updateSQL}, {&w.deleteTags, deleteTagsSQL}, {&w.addTag, addTagSQL}} {
		if *st.stmt, err = tx.PrepareContext(ctx, st.sql); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// Close closes the statements.
func (w *articleRows) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{w.insert, w.update, w.deleteTags, w.addTag} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// writeTags gives an article its tags, in order; replace says that it may
// have tags already.
func writeTags(ctx context.Context, w *articleRows, articleID int64, tags []string, replace bool) error {
	if replace {
		if _, err := w.deleteTags.ExecContext(ctx, articleID); err != nil {
			return err
		}
	}
	for i, tag := range tags {
		if _, err := w.addTag.ExecContext(ctx, articleID, tag, i); err != nil {
			return err
		}
	}
	return nil
}

// writeArticleRow is the one place where bulk writes set an article's row:
// it inserts a (ID 0), giving it its new ID, or updates the row with a's ID.
func writeArticleRow(ctx context.Context, w *articleRows, a *article.Article) error {
	args := []any{a.Slug, a.Headline, a.Summary, a.Body, string(a.HTML), a.Author, a.Section, a.Language,
		string(a.Status), a.PublishedAt.UTC(), a.UpdatedAt.UTC(), a.Version, localDay(w.zone, a.PublishedAt)}
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
