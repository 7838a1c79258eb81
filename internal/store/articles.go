package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/media"
)

// articleColumns are the columns scanArticle reads, in its order. The tags
// come as one string joined by the unit separator, in the editor's order; the
// comment count is of approved comments only (kept by triggers, migration
// 0014).
const articleColumns = `a.id, a.slug, a.headline, a.summary, a.body, a.body_html,
	a.author, a.section, a.language, a.status, a.published_at, a.updated_at,
	a.version, a.trashed_at, a.comments_closed,
	coalesce(m.id, 0), coalesce(m.hash, ''), coalesce(m.format, ''), coalesce(m.width, 0), coalesce(m.height, 0),
	coalesce(m.alt, ''), coalesce(m.caption, ''), coalesce(m.credit, ''),
	coalesce((SELECT group_concat(t.tag, char(31) ORDER BY t.position)
	          FROM article_tags t WHERE t.article_id = a.id), ''),
	a.approved_comments`

// articleSource is what articleColumns select from: the article and its
// lead image, if it has one.
const articleSource = `articles a LEFT JOIN media m ON m.id = a.lead_image_id`

// listColumns are articleColumns without the body, for the newsroom's
// list and the sitemaps.
var listColumns = strings.Replace(articleColumns, "a.body, a.body_html", "'', ''", 1)

// readerColumns are articleColumns without the Markdown source, which
// readers are never shown: the article page and search results.
var readerColumns = strings.Replace(articleColumns, "a.body, a.body_html", "'', a.body_html", 1)

// cardColumns are what a story card shows (web.StoryList), for public
// listings and related stories: no body, tags, author or editing state,
// as every column read costs (on 50,000 articles, the tags' subquery and
// the unread columns were half of a related-stories query).
const cardColumns = `a.id, a.slug, a.headline, a.summary, a.section, a.language, a.published_at, a.approved_comments,
	coalesce(m.id, 0), coalesce(m.hash, ''), coalesce(m.format, ''), coalesce(m.width, 0), coalesce(m.height, 0)`

// scanCards reads the rows of a cardColumns query: published articles
// with what their cards show.
func scanCards(rows *sql.Rows) ([]article.Article, error) {
	defer rows.Close()
	var list []article.Article
	for rows.Next() {
		a := article.Article{Status: article.Published}
		var lead media.Image
		var published storedTime
		if err := rows.Scan(&a.ID, &a.Slug, &a.Headline, &a.Summary, &a.Section, &a.Language, &published, &a.Comments,
			&lead.ID, &lead.Hash, &lead.Format, &lead.Width, &lead.Height); err != nil {
			return nil, err
		}
		var err error
		if a.PublishedAt, err = published.time(); badTime(err, a.ID) {
			continue
		}
		if lead.ID != 0 {
			a.Lead = article.Image{ID: lead.ID, Path: lead.Path(), Width: lead.Width, Height: lead.Height}
		}
		a.PublishedAt = a.PublishedAt.UTC()
		list = append(list, a)
	}
	return list, rows.Err()
}

// The article statuses as SQL literals: literals, not parameters, so that
// SQLite can use the partial indexes whose conditions name them.
const (
	publishedSQL = `'` + string(article.Published) + `'`
	draftSQL     = `'` + string(article.Draft) + `'`
)

// visible is the condition for an article readers may see at the instant
// bound to its one parameter: published, not in the trash, and not
// scheduled for later.
const visible = `a.status = ` + publishedSQL + ` AND a.trashed_at IS NULL AND a.published_at <= ?`

// visibleWithin is visible for queries that bound published_at to a range
// of their own. The unary + keeps SQLite from using "<= now" as the index
// range, which it otherwise picks over the narrower range and then scans
// every article up to now (measured: 143 µs instead of 20 µs per count on
// 500 articles).
const visibleWithin = `a.status = ` + publishedSQL + ` AND a.trashed_at IS NULL AND +a.published_at <= ?`

type scanner interface{ Scan(dest ...any) error }

// errBadInstant is a row whose publication or update time the driver
// could not read as a time: one stored outside the years 1 to 9999
// before those were refused (article.InstantInRange).
var errBadInstant = errors.New("store: stored time out of range")

// storedTime scans a time column, keeping a value that is no time as bad
// instead of failing the scan of the whole row.
type storedTime struct {
	t   time.Time
	raw any
}

func (st *storedTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		st.t = x.UTC()
	default:
		st.raw = v
	}
	return nil
}

func (st storedTime) time() (time.Time, error) {
	if st.raw != nil {
		return time.Time{}, fmt.Errorf("%w: %v", errBadInstant, st.raw)
	}
	return st.t, nil
}

// badTime reports whether err is only a time out of range, and logs the
// row: listings leave it out, so that the page still answers; the
// newsroom keeps it (the time zero), so that an editor can correct it.
func badTime(err error, id int64) bool {
	if !errors.Is(err, errBadInstant) {
		return false
	}
	slog.Warn("store: an article's stored time is out of range: listings leave it out; give it a new time in the newsroom",
		"article", id, "error", err)
	return true
}

func scanArticle(row scanner) (article.Article, error) {
	var a article.Article
	var html, status, tags string
	var trashed sql.NullTime
	var lead media.Image
	var published, updated storedTime
	err := row.Scan(&a.ID, &a.Slug, &a.Headline, &a.Summary, &a.Body, &html,
		&a.Author, &a.Section, &a.Language, &status, &published, &updated,
		&a.Version, &trashed, &a.CommentsClosed,
		&lead.ID, &lead.Hash, &lead.Format, &lead.Width, &lead.Height, &lead.Alt, &lead.Caption, &lead.Credit,
		&tags, &a.Comments)
	if err != nil {
		return article.Article{}, err
	}
	// A time out of range leaves the time zero and is the error, with the
	// rest of the article: the newsroom shows it, to be corrected.
	var timeErr error
	if a.PublishedAt, err = published.time(); err != nil {
		timeErr = err
	}
	if a.UpdatedAt, err = updated.time(); err != nil {
		timeErr = err
	}
	if lead.ID != 0 {
		a.Lead = article.Image{ID: lead.ID, Path: lead.Path(), Alt: lead.Alt, Caption: lead.Caption, Credit: lead.Credit,
			Width: lead.Width, Height: lead.Height}
	}
	if trashed.Valid {
		a.TrashedAt = trashed.Time.UTC()
	}
	a.HTML = article.HTML(html)
	a.Status = article.Status(status)
	if tags != "" {
		a.Tags = strings.Split(tags, "\x1f")
	}
	return a, timeErr
}

func scanArticles(rows *sql.Rows) ([]article.Article, error) {
	defer rows.Close()
	var list []article.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if badTime(err, a.ID) {
			continue
		}
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

func replaceTags(ctx context.Context, tx *sql.Tx, articleID int64, tags []string) error {
	const deleteSQL = `DELETE FROM article_tags WHERE article_id = ?`
	// The tag row takes the article's publication time, for tag listings
	// in date order (a trigger keeps it when the article's time changes).
	const insertSQL = `INSERT INTO article_tags (article_id, tag, position, published_at)
		VALUES (?1, ?2, ?3, (SELECT published_at FROM articles WHERE id = ?1))`
	if _, err := tx.ExecContext(ctx, deleteSQL, articleID); err != nil {
		return err
	}
	for i, tag := range tags {
		if _, err := tx.ExecContext(ctx, insertSQL, articleID, tag, i); err != nil {
			return err
		}
	}
	return nil
}

// uniqueTags drops empty and repeated tags, keeping the first spelling.
func uniqueTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if key := strings.ToLower(t); t != "" && !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out
}

// ArticleBySlug returns the article with this slug, as readers see it
// (without its Markdown source), if they may see it at instant now. A
// published article that went to the trash is ErrGone; anything else
// they may not see is ErrNotFound.
func (s *Store) ArticleBySlug(ctx context.Context, slug string, now time.Time) (article.Article, error) {
	q := `SELECT ` + readerColumns + ` FROM ` + articleSource + ` WHERE a.slug = ?`
	return readerArticle(s.queryRow(ctx, q, slug), now, fmt.Sprintf("article %q", slug))
}

// readerArticle scans an article a reader asked for and decides what the
// reader gets: the article, ErrGone for one that was published and went to
// the trash, or ErrNotFound for anything else they may not see.
func readerArticle(row scanner, now time.Time, what string) (article.Article, error) {
	a, err := scanArticle(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return article.Article{}, fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case badTime(err, a.ID):
		return article.Article{}, fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case err != nil:
		return article.Article{}, fmt.Errorf("store: %s: %w", what, err)
	case a.Status != article.Published || a.PublishedAt.After(now):
		return article.Article{}, fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case a.Trashed():
		return article.Article{}, fmt.Errorf("store: %s: %w", what, ErrGone)
	}
	return a, nil
}

// ArticleCount counts every article, whatever its status.
func (s *Store) ArticleCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return n, nil
}

// Listing selects published articles: all of them, or those of a
// section, a tag or an author (names as stored, compared exactly), within
// publication bounds, and pages through them by cursor.
type Listing struct {
	Section string
	Tag     string
	Author  string
	// From and To bound the publication time (To exclusive); zero for none.
	From, To time.Time
	// Before lists the articles older than the article with this id; After
	// those newer than it (still newest first). Seeking from a cursor costs
	// the same however deep the page is, unlike an OFFSET.
	Before, After int64
	// WithBody reads the whole articles, with the body and its HTML, for
	// feeds; listings read what a story card shows (cardColumns).
	WithBody bool
}

// LatestArticles lists the articles visible at now that the listing
// selects, newest first: limit of them, after skipping offset (kept small
// by callers: an offset walks the rows it skips).
func (s *Store) LatestArticles(ctx context.Context, l Listing, now time.Time, limit, offset int) ([]article.Article, error) {
	columns, scan := cardColumns, scanCards
	if l.WithBody {
		columns, scan = articleColumns, scanArticles
	}
	// The sort key comes from the index that serves the listing: a tag's
	// rows carry the publication time, so that a tag page reads its index
	// in order instead of sorting all of the tag's articles.
	source, at, id := articleSource, "a.published_at", "a.id"
	where, args := visible, []any{now.UTC()}
	if !l.From.IsZero() || !l.To.IsZero() {
		where = visibleWithin
	}
	if l.Tag != "" {
		source = `article_tags t CROSS JOIN articles a ON a.id = t.article_id LEFT JOIN media m ON m.id = a.lead_image_id`
		at, id = "t.published_at", "t.article_id"
		where += ` AND t.tag = ?`
		args = append(args, l.Tag)
	}
	if l.Section != "" {
		where += ` AND a.section = ?`
		args = append(args, l.Section)
	}
	if l.Author != "" {
		where += ` AND a.author = ?`
		args = append(args, l.Author)
	}
	if !l.From.IsZero() {
		where += ` AND ` + at + ` >= ?`
		args = append(args, l.From.UTC())
	}
	if !l.To.IsZero() {
		where += ` AND ` + at + ` < ?`
		args = append(args, l.To.UTC())
	}
	order := ` DESC`
	switch {
	case l.Before != 0:
		where += ` AND (` + at + `, ` + id + `) < (SELECT c.published_at, c.id FROM articles c WHERE c.id = ?)`
		args = append(args, l.Before)
	case l.After != 0:
		where += ` AND (` + at + `, ` + id + `) > (SELECT c.published_at, c.id FROM articles c WHERE c.id = ?)`
		args = append(args, l.After)
		order = ` ASC`
	}
	q := `SELECT ` + columns + ` FROM ` + source + ` WHERE ` + where +
		` ORDER BY ` + at + order + `, ` + id + order + ` LIMIT ? OFFSET ?`
	rows, err := s.query(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: latest articles: %w", err)
	}
	list, err := scan(rows)
	if err != nil {
		return nil, fmt.Errorf("store: latest articles: %w", err)
	}
	if l.After != 0 {
		slices.Reverse(list)
	}
	return list, nil
}

// PublishedCount counts the articles visible at now.
func (s *Store) PublishedCount(ctx context.Context, now time.Time) (int, error) {
	const q = `SELECT count(*) FROM articles a WHERE ` + visible
	var n int
	if err := s.r.QueryRowContext(ctx, q, now.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count published articles: %w", err)
	}
	return n, nil
}

// relatedTags is how many of an article's tags related stories look at.
const relatedTags = 8

// RelatedArticles lists up to limit other articles readers may see at now
// that share a tag or the section with a, most recent first.
func (s *Store) RelatedArticles(ctx context.Context, a article.Article, now time.Time, limit int) ([]article.Article, error) {
	// Each source (the section, each tag) takes its own newest few through
	// its index, so the work stays small however large a section or tag is.
	n := now.UTC()
	parts := []string{`SELECT id, published_at FROM (SELECT r.id, r.published_at FROM articles r
		WHERE r.section = ? AND r.section != '' AND r.id != ?
		  AND r.status = ` + publishedSQL + ` AND r.trashed_at IS NULL AND r.published_at <= ?
		ORDER BY r.published_at DESC LIMIT ?)`}
	args := []any{a.Section, a.ID, n, limit}
	for _, tag := range a.Tags[:min(len(a.Tags), relatedTags)] {
		parts = append(parts, `SELECT id, published_at FROM (SELECT t.article_id AS id, t.published_at FROM article_tags t
			CROSS JOIN articles r ON r.id = t.article_id
			WHERE t.tag = ? AND t.article_id != ? AND t.published_at <= ?
			  AND r.status = `+publishedSQL+` AND r.trashed_at IS NULL AND r.published_at <= ?
			ORDER BY t.published_at DESC LIMIT ?)`)
		args = append(args, tag, a.ID, n, n, limit)
	}
	q := `SELECT ` + cardColumns + ` FROM ` + articleSource + ` WHERE a.id IN (
		SELECT id FROM (` + strings.Join(parts, " UNION ") + `) ORDER BY published_at DESC LIMIT ?)
		ORDER BY a.published_at DESC, a.id DESC`
	rows, err := s.query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: related to %q: %w", a.Slug, err)
	}
	list, err := scanCards(rows)
	if err != nil {
		return nil, fmt.Errorf("store: related to %q: %w", a.Slug, err)
	}
	return list, nil
}
