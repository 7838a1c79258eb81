package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/search"
)

// indexArticle writes an article's searchable text, replacing what the
// index had for it. It runs inside the transaction that saves the article.
func indexArticle(ctx context.Context, tx *sql.Tx, a article.Article) error {
	const deleteSQL = `DELETE FROM articles_fts WHERE rowid = ?`
	const insertSQL = `INSERT INTO articles_fts (rowid, headline, summary, body) VALUES (?, ?, ?, ?)`
	if _, err := tx.ExecContext(ctx, deleteSQL, a.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, insertSQL,
		a.ID, search.Normalize(a.Headline), search.Normalize(a.Summary), search.Normalize(article.PlainText(a.HTML)))
	return err
}

// reindexBatch is how many articles fillSearchIndex indexes in one
// transaction, so that other writers wait for a moment at most.
const reindexBatch = 500

// fillSearchIndex indexes the articles listed in unindexed_articles and
// takes them off the list. Migrations 0012 and 0017 list every article
// there, as they rebuilt the index (without a copy of the text, then
// without word positions); on any other start the
// list is empty, and this is one lookup, not a read of every article. A
// start cut short resumes where it stopped.
func fillSearchIndex(ctx context.Context, db *sql.DB) error {
	for {
		n, err := indexListed(ctx, db)
		if err != nil {
			return fmt.Errorf("store: search index: %w", err)
		}
		if n < reindexBatch {
			return nil
		}
	}
}

// indexListed indexes the next batch of listed articles in one write
// transaction and returns how many it took off the list.
func indexListed(ctx context.Context, db *sql.DB) (int, error) {
	const listedSQL = `SELECT u.article_id, coalesce(a.headline, ''), coalesce(a.summary, ''), coalesce(a.body_html, '')
		FROM unindexed_articles u LEFT JOIN articles a ON a.id = u.article_id ORDER BY u.article_id LIMIT ?`
	const doneSQL = `DELETE FROM unindexed_articles WHERE article_id <= ?`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, listedSQL, reindexBatch)
	if err != nil {
		return 0, err
	}
	var listed []article.Article
	for rows.Next() {
		var a article.Article
		if err := rows.Scan(&a.ID, &a.Headline, &a.Summary, &a.HTML); err != nil {
			rows.Close()
			return 0, err
		}
		listed = append(listed, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(listed) == 0 {
		return 0, err
	}
	for _, a := range listed {
		if err := indexArticle(ctx, tx, a); err != nil {
			return 0, fmt.Errorf("article %d: %w", a.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, doneSQL, listed[len(listed)-1].ID); err != nil {
		return 0, err
	}
	return len(listed), tx.Commit()
}

// SearchQuery is a reader's search: what they typed, and the filters.
type SearchQuery struct {
	Text     string // as typed; search.Query makes it safe
	Section  string
	From, To time.Time // publication bounds, zero for none; To is exclusive
	Now      time.Time
}

// SearchResult is an article found by a search, with a snippet of its text
// where the words matched, marked with search.MatchStart and MatchEnd.
type SearchResult struct {
	Article article.Article
	Snippet string
}

// rankedMatches is how many of a query's matches Search ranks: the ones
// added to the site last (the highest ids) of those that pass the
// filters. A word found in nearly every article thus ranks among its
// newest rankedMatches matches only, and older articles that hold it are
// not found by it alone (a rarer word finds them); results stop after
// rankedMatches, 25 pages. Each ranked match costs a few microseconds
// (bm25 and the visibility check), so this bounds what a common word
// costs, whatever the size of the archive.
const rankedMatches = 500

// snippetWords is about how many words a result's snippet shows.
const snippetWords = 24

// Search finds the articles readers may see that hold every word of the
// query, best first: of the newest rankedMatches matches, those with
// every word in the headline, then in the summary, then the rest. The
// last word also matches as a prefix, unless as typed it is in
// rankedMatches articles or more: then those are the matches. Each
// result has a snippet of its text, cut from the article (the index keeps
// no copy of the text), where the words matched.
func (s *Store) Search(ctx context.Context, q SearchQuery, limit, offset int) ([]SearchResult, error) {
	terms := search.Terms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	// For a prefix, FTS5 first reads every match of every word that
	// starts with it, however few it then ranks (measured on 50,000
	// articles: 4 to 7 ms for a word found in most of them, twice, as bm25
	// counts them again). A whole word that is that common has all the
	// matches there are to rank without its longer forms, and costs a
	// bounded walk to find out.
	match := search.Query(q.Text)
	exact := strings.TrimSuffix(match, "*")
	where, args := searchFilters(exact, q)
	n, err := s.matchCount(ctx, where, args)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", exact, err)
	}
	if n < rankedMatches {
		where, args = searchFilters(match, q)
	} else {
		match = exact
	}
	list, err := s.rankedPage(ctx, match, where, args, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: search %q: %w", match, err)
	}
	for i := range list {
		a := &list[i].Article
		list[i].Snippet = resultSnippet(*a, q.Text)
		a.HTML = "" // a result is a listing's article, without its body
	}
	return list, nil
}

// searchFilters is the condition of a search's matches and its arguments:
// the full-text query, what readers may see at q.Now, and the filters.
func searchFilters(match string, q SearchQuery) (string, []any) {
	where := `articles_fts MATCH ? AND ` + visible
	args := []any{match, q.Now.UTC()}
	if q.Section != "" {
		where += ` AND a.section = ?`
		args = append(args, q.Section)
	}
	if !q.From.IsZero() {
		where += ` AND +a.published_at >= ?`
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where += ` AND +a.published_at < ?`
		args = append(args, q.To.UTC())
	}
	return where, args
}

// matchSource is where a search's matches come from. CROSS JOIN keeps the
// full-text index as the outer loop: with a plain JOIN SQLite may walk the
// articles by date and run the MATCH once per article (measured on 50,000
// articles, 2.6 s to 496 s a query). For the check of each match SQLite
// would look the article up by its rowid and read through its body to
// the status; articles_search holds what the check needs (measured:
// 3.5 µs a match instead of 11 µs).
const matchSource = `articles_fts CROSS JOIN articles a INDEXED BY articles_search ON a.id = articles_fts.rowid`

// matchCount counts a search's matches, up to rankedMatches, newest first:
// FTS5 walks them in rowid order and stops there.
func (s *Store) matchCount(ctx context.Context, where string, args []any) (int, error) {
	q := `SELECT count(*) FROM (SELECT 1 FROM ` + matchSource + ` WHERE ` + where + `
		ORDER BY articles_fts.rowid DESC LIMIT ` + strconv.Itoa(rankedMatches) + `)`
	var n int
	err := s.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// rankedPage returns a page of a search's newest rankedMatches matches,
// ranked: FTS5 walks the matches in rowid order, so only those are read
// and ranked. The rank is where the words are: all of them in the
// headline is worth 10, in the summary 4, elsewhere (the body) nothing
// more; newest first among equals. (The index keeps no word positions,
// migration 0017, and on a contentless index FTS5's bm25 then sees no
// word at all.) The headline and summary matches are read from the
// oldest ranked match on only. The columns of a result, with their
// subqueries for tags and comments, are read for the page.
func (s *Store) rankedPage(ctx context.Context, match, where string, args []any, limit, offset int) ([]SearchResult, error) {
	q := `WITH matches AS (
			SELECT articles_fts.rowid AS id, a.published_at AS at
			FROM ` + matchSource + ` WHERE ` + where + `
			ORDER BY articles_fts.rowid DESC LIMIT ` + strconv.Itoa(rankedMatches) + `),
		in_headline AS (SELECT rowid AS id FROM articles_fts
			WHERE articles_fts MATCH ? AND rowid >= (SELECT min(id) FROM matches)),
		in_summary AS (SELECT rowid AS id FROM articles_fts
			WHERE articles_fts MATCH ? AND rowid >= (SELECT min(id) FROM matches)),
		page AS (SELECT id, at, 10 * (id IN in_headline) + 4 * (id IN in_summary) AS score
			FROM matches ORDER BY score DESC, at DESC LIMIT ? OFFSET ?)
		SELECT ` + readerColumns + `
		FROM page CROSS JOIN articles a ON a.id = page.id LEFT JOIN media m ON m.id = a.lead_image_id
		ORDER BY page.score DESC, page.at DESC`
	args = append(args, "headline : ("+match+")", "summary : ("+match+")", limit, offset)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []SearchResult
	for rows.Next() {
		a, err := scanArticle(rows)
		if badTime(err, a.ID) {
			continue
		}
		if err != nil {
			return nil, err
		}
		list = append(list, SearchResult{Article: a})
	}
	return list, rows.Err()
}

// resultSnippet cuts a result's snippet from the text of its body, or from
// its summary when only that holds the words (a headline match shows in
// the headline).
func resultSnippet(a article.Article, typed string) string {
	snippet := search.Snippet(article.PlainText(a.HTML), typed, snippetWords)
	if !strings.Contains(snippet, search.MatchStart) {
		if s := search.Snippet(a.Summary, typed, snippetWords); strings.Contains(s, search.MatchStart) || snippet == "" {
			return s
		}
	}
	return snippet
}
