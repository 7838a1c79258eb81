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
	// SlugTaken: the file renames its article to a slug another article
	// has or had, so it is left as it was.
	SlugTaken
)

// importUsername is who an import's revisions are by.
const importUsername = "import"

// ImportArticle stores an imported article: one the store has not seen is
// inserted; one it has (by its Source, else by its slug) is updated if any
// field differs, each with a revision. A new slug from the same source
// renames the article, and its old address redirects, as after a rename in
// the newsroom. An article whose newest revision is an editor's, or whose
// slug an editor has renamed, is left alone (Edited): an import never
// overwrites the newsroom's work. Importing the same article twice changes
// nothing, which makes imports idempotent.
func (s *Store) ImportArticle(ctx context.Context, a article.Article) (ImportResult, error) {
	res, err := s.ImportArticles(ctx, []article.Article{a})
	if err != nil {
		return Unchanged, err
	}
	return res[0], nil
}

// ImportArticles stores imported articles as ImportArticle does, all in
// one transaction: either every one is saved or, on an error, none. The
// slugs and sources must differ from each other. It returns what it did to
// each.
func (s *Store) ImportArticles(ctx context.Context, list []article.Article) ([]ImportResult, error) {
	results := make([]ImportResult, len(list))
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		run, err := s.startImport(bulkContext(ctx), tx)
		if err != nil {
			return err
		}
		defer run.close()
		for i, a := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			if results[i], err = run.importOne(a); err != nil {
				return fmt.Errorf("article %q: %w", a.Slug, err)
			}
		}
		return run.index.write(run.ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("store: import articles: %w", err)
	}
	return results, nil
}

// importRun is one ImportArticles transaction and its statements.
type importRun struct {
	ctx     context.Context
	tx      *sql.Tx
	rows    *articleRows
	index   *searchRows
	savedAt time.Time

	bySlug, bySource, byEditor, renamed, forgetSource, setSource *sql.Stmt
}

func (s *Store) startImport(ctx context.Context, tx *sql.Tx) (*importRun, error) {
	const bySlugSQL = `SELECT ` + articleColumns + ` FROM ` + articleSource + ` WHERE a.slug = ?`
	const bySourceSQL = `SELECT ` + articleColumns + ` FROM ` + articleSource + `
		WHERE a.id = (SELECT article_id FROM article_sources WHERE source = ?)`
	// An editor's revision has the editor's user id; an import's has none
	// (and its name, which a user could also be called).
	const byEditorSQL = `SELECT count(*) FROM (SELECT username, user_id FROM article_revisions
		WHERE article_id = ? ORDER BY version DESC LIMIT 1) WHERE username != '` + importUsername + `' OR user_id IS NOT NULL`
	// A slug an article had before: it was renamed since.
	const renamedSQL = `SELECT count(*) FROM article_slugs WHERE slug = ?`
	const forgetSourceSQL = `DELETE FROM article_sources WHERE article_id = ?1 AND source != ?2`
	const setSourceSQL = `INSERT INTO article_sources (source, article_id) VALUES (?, ?)
		ON CONFLICT (source) DO UPDATE SET article_id = excluded.article_id`
	rows, err := s.prepareArticleRows(ctx, tx)
	if err != nil {
		return nil, err
	}
	r := &importRun{ctx: ctx, tx: tx, rows: rows, index: newSearchRows(), savedAt: time.Now()}
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{{&r.bySlug, bySlugSQL}, {&r.bySource, bySourceSQL}, {&r.byEditor, byEditorSQL}, {&r.renamed, renamedSQL},
		{&r.forgetSource, forgetSourceSQL}, {&r.setSource, setSourceSQL}} {
		if *st.stmt, err = tx.PrepareContext(ctx, st.sql); err != nil {
			r.close()
			return nil, err
		}
	}
	return r, nil
}

func (r *importRun) close() {
	r.index.stop()
	r.rows.Close()
	for _, st := range []*sql.Stmt{r.bySlug, r.bySource, r.byEditor, r.renamed, r.forgetSource, r.setSource} {
		if st != nil {
			st.Close()
		}
	}
}

// importOne stores one article of the run and says what it did.
func (r *importRun) importOne(a article.Article) (ImportResult, error) {
	a.Tags = uniqueTags(a.Tags)
	a.PublishedAt = a.PublishedAt.UTC()
	a.UpdatedAt = a.UpdatedAt.UTC()
	old, found, err := r.stored(a)
	if err != nil {
		return Unchanged, err
	}
	var names ChangedNames
	result := Created
	switch {
	case !found:
		if n, err := r.count(r.renamed, a.Slug); err != nil || n > 0 {
			return Edited, err // the file's article, renamed in the newsroom since
		}
		a.ID, a.Version = 0, 1
	case sameArticle(old, a):
		return Unchanged, r.remember(a.Source, old.ID)
	default:
		if n, err := r.count(r.byEditor, old.ID); err != nil || n > 0 {
			return Edited, err
		}
		if old.Slug != a.Slug {
			if err := r.rename(old, a.Slug); errors.Is(err, ErrDuplicate) {
				return SlugTaken, nil
			} else if err != nil {
				return Unchanged, err
			}
		}
		a.ID, a.Version = old.ID, old.Version+1
		names.add(old.Section, old.Author, old.Tags)
		result = Updated
	}
	if err := r.write(a, result == Updated); err != nil {
		return Unchanged, err
	}
	// The names before and after are at hand; no need to read them back
	// as logArticleChange would.
	names.add(a.Section, a.Author, a.Tags)
	return result, logChange(r.ctx, r.tx, Change{Kind: ArticleChange, ArticleID: a.ID, Names: names})
}

// stored is the article an import of a updates: the one its source made
// before, else the one with its slug.
func (r *importRun) stored(a article.Article) (article.Article, bool, error) {
	if a.Source != "" {
		old, err := scanArticle(r.bySource.QueryRowContext(r.ctx, a.Source))
		if !errors.Is(err, sql.ErrNoRows) {
			return old, err == nil || badTime(err, old.ID), ignoreBadTime(err, old.ID)
		}
	}
	old, err := scanArticle(r.bySlug.QueryRowContext(r.ctx, a.Slug))
	if errors.Is(err, sql.ErrNoRows) {
		return old, false, nil
	}
	return old, err == nil || badTime(err, old.ID), ignoreBadTime(err, old.ID)
}

// ignoreBadTime is err, unless it is a stored time out of range, which the
// file's time replaces.
func ignoreBadTime(err error, id int64) error {
	if errors.Is(err, errBadInstant) {
		return nil
	}
	return err
}

// rename gives old the new slug, keeping its old one as an address that
// redirects; ErrDuplicate when another article has or had the new slug.
func (r *importRun) rename(old article.Article, slug string) error {
	if err := slugFree(r.ctx, r.tx, slug, old.ID); err != nil {
		return err
	}
	return renameSlug(r.ctx, r.tx, old.ID, old.Slug, slug)
}

// write stores the article's row, tags, search entry, revision and source.
func (r *importRun) write(a article.Article, replace bool) error {
	if err := writeArticleRow(r.ctx, r.rows, &a); err != nil {
		return err
	}
	if err := writeTags(r.ctx, r.rows, a.ID, a.Tags, replace); err != nil {
		return err
	}
	r.index.add(a, replace)
	rev := article.Revision{SavedAt: r.savedAt, Username: importUsername, Note: "imported"}
	if err := addRevision(r.ctx, r.tx, a, rev); err != nil {
		return err
	}
	if !replace && a.Source != "" { // a new article has no source to forget
		_, err := r.setSource.ExecContext(r.ctx, a.Source, a.ID)
		return err
	}
	return r.remember(a.Source, a.ID)
}

// remember records that the article came from source (when it names one).
func (r *importRun) remember(source string, articleID int64) error {
	if source == "" {
		return nil
	}
	if _, err := r.forgetSource.ExecContext(r.ctx, articleID, source); err != nil {
		return err
	}
	_, err := r.setSource.ExecContext(r.ctx, source, articleID)
	return err
}

func (r *importRun) count(st *sql.Stmt, args ...any) (int, error) {
	var n int
	err := st.QueryRowContext(r.ctx, args...).Scan(&n)
	return n, err
}

func sameArticle(old, a article.Article) bool {
	return old.Slug == a.Slug && old.Headline == a.Headline && old.Summary == a.Summary && old.Body == a.Body &&
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
