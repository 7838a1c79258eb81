package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// count runs a count query on the store's reader pool.
func count(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSaveArticlesInOneBatch(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)
	var list []article.Article
	for i := range 5 {
		list = append(list, testArticle(fmt.Sprintf("story-%d", i), at.Add(time.Duration(i)*time.Hour)))
	}
	res, err := s.ImportArticles(ctx, list)
	if want := []ImportResult{Created, Created, Created, Created, Created}; err != nil || !slices.Equal(res, want) {
		t.Fatalf("first save: got %v, %v; want %v", res, err, want)
	}
	changesAfterCreate := count(t, s, `SELECT count(*) FROM changes`)

	list[1].Headline = "Harbour reopens"
	list[3].Tags = []string{"three"}
	res, err = s.ImportArticles(ctx, list)
	if want := []ImportResult{Unchanged, Updated, Unchanged, Updated, Unchanged}; err != nil || !slices.Equal(res, want) {
		t.Fatalf("second save: got %v, %v; want %v", res, err, want)
	}
	tests := []struct {
		name string
		q    string
		want int
	}{
		{"articles", `SELECT count(*) FROM articles`, 5},
		{"revisions: one per create and per update", `SELECT count(*) FROM article_revisions`, 7},
		{"version of an updated article", `SELECT version FROM articles WHERE slug = 'story-1'`, 2},
		{"version of an unchanged article", `SELECT version FROM articles WHERE slug = 'story-0'`, 1},
		{"tags", `SELECT count(*) FROM article_tags`, 9},
		{"search index rows", `SELECT count(*) FROM articles_fts`, 5},
		{"search finds the new headline", `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'`, 1},
		{"one change per update", `SELECT count(*) FROM changes`, changesAfterCreate + 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(t, s, tc.q); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
	if changesAfterCreate != 5 {
		t.Errorf("changes after creating 5 articles: got %d, want 5", changesAfterCreate)
	}
	back, err := s.ArticleBySlug(ctx, "story-3", at.Add(24*time.Hour))
	if err != nil || !slices.Equal(back.Tags, []string{"three"}) {
		t.Errorf("story-3: got tags %q, %v; want [three]", back.Tags, err)
	}
}

func TestAddArticlesWithComments(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)
	list := []article.Article{testArticle("quiet", at), testArticle("busy", at.Add(time.Hour)), testArticle("no-list", at.Add(2*time.Hour))}
	list[1].Body, list[1].HTML = "Orchestra", "<p>Orchestra</p>"
	c := func(name string, st comment.Status) comment.Comment {
		return comment.Comment{Name: name, Body: "Opinion of " + name, Status: st, CreatedAt: at.Add(3 * time.Hour), IP: "192.0.2.1"}
	}
	comments := [][]comment.Comment{nil, {c("Dana", comment.Approved), c("Omar", comment.Approved), c("Spam", comment.Spam)}}
	if err := s.AddArticles(ctx, list, comments); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    string
		want int
	}{
		{"articles", `SELECT count(*) FROM articles`, 3},
		{"no revisions", `SELECT count(*) FROM article_revisions`, 0},
		{"tags", `SELECT count(*) FROM article_tags`, 6},
		{"comments", `SELECT count(*) FROM comments`, 3},
		{"comments on the busy story", `SELECT count(*) FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'busy'`, 3},
		{"searchable", `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'orchestra'`, 1},
		{"one change for the batch", `SELECT count(*) FROM changes WHERE kind = 'site'`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(t, s, tc.q); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
	busy, err := s.ArticleBySlug(ctx, "busy", at.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	approved, err := s.ApprovedComments(ctx, busy.ID)
	if err != nil || len(approved) != 2 || approved[0].Name != "Dana" || !approved[0].CreatedAt.Equal(at.Add(3*time.Hour)) {
		t.Errorf("approved comments: got %+v, %v; want Dana and Omar", approved, err)
	}
	if busy.Comments != 2 || busy.Version != 1 {
		t.Errorf("busy: got %d comments, version %d; want 2, 1", busy.Comments, busy.Version)
	}
	if err := s.AddArticles(ctx, []article.Article{testArticle("fresh", at), testArticle("busy", at)}, nil); err == nil {
		t.Error("adding a taken slug: got no error")
	}
	if got := count(t, s, `SELECT count(*) FROM articles`); got != 3 {
		t.Errorf("after a failed batch: got %d articles, want 3 (none of the batch)", got)
	}
}

// rowsOf returns the rows a query selects, each as the text of its
// columns but those named in skip, for comparing what two ways of saving
// wrote, whatever columns the tables have.
func rowsOf(t *testing.T, s *Store, skip []string, q string, args ...any) []string {
	t.Helper()
	rows, err := s.w.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, c := range cols {
			if !slices.Contains(skip, c) {
				fmt.Fprintf(&b, "%s=%v ", c, vals[i])
			}
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBulkWritesWhatSingleSavesWrite checks that the bulk saves write an
// article's row, its tags, its comments and its search-index terms as the
// newsroom's saves do, on creation and on update.
func TestBulkWritesWhatSingleSavesWrite(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 21, 53, 0, 0, time.UTC) // the next day in Jerusalem
	story := func(slug, body string) article.Article {
		a := testArticle(slug, at)
		a.Headline, a.Summary, a.Language = "Café «الأزهارُ» über the Harbour", "Zürich naïve résumé שָׁלוֹם", "ar"
		a.Tags = []string{"harbour", "night life", "Harbour"}
		html, err := article.Render(body)
		if err != nil {
			t.Fatal(err)
		}
		a.Body, a.HTML = body, html
		return a
	}
	const first = "## Heading\n\nThe *night* market, [opened](https://example.org/x) at 7&nbsp;pm.\n\n- one\n- two\n\n> أَزْهَارُ الرَّبِيعِ\n"
	const second = "A shorter text now; **bold** élan.\n"
	rev := article.Revision{SavedAt: at, Username: "test"}
	readerComment := comment.Comment{Name: "Dana", Email: "dana@example.com", Body: "Well said.\n\nTruly.", Status: comment.Approved,
		CreatedAt: at.Add(90 * time.Minute), IP: "192.0.2.7", UserAgent: "Test/1.0"}

	byEditor, err := s.CreateArticle(ctx, ArticleSave{Article: story("by-editor", first), Revision: rev})
	if err != nil {
		t.Fatal(err)
	}
	c := readerComment
	c.ArticleID = byEditor
	if _, err := s.AddComment(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.AddArticles(ctx, []article.Article{story("by-bulk", first)}, [][]comment.Comment{{readerComment}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportArticles(ctx, []article.Article{story("by-import", first)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, articles_fts, instance)`); err != nil {
		t.Fatal(err)
	}
	written := func(slug string) map[string][]string {
		t.Helper()
		const id = `(SELECT id FROM articles WHERE slug = ?)`
		return map[string][]string{
			"article":  rowsOf(t, s, []string{"id", "slug", "approved_comments"}, `SELECT * FROM articles WHERE slug = ?`, slug),
			"tags":     rowsOf(t, s, []string{"article_id"}, `SELECT * FROM article_tags WHERE article_id = `+id+` ORDER BY position`, slug),
			"comments": rowsOf(t, s, []string{"id", "article_id", "client_seq"}, `SELECT * FROM comments WHERE article_id = `+id, slug),
			"terms":    rowsOf(t, s, []string{"doc"}, `SELECT * FROM temp.terms WHERE doc = `+id+` ORDER BY col, offset, term`, slug),
		}
	}
	compare := func(when, slug string, want map[string][]string, kinds ...string) {
		t.Helper()
		got := written(slug)
		for _, kind := range kinds {
			if len(want[kind]) == 0 {
				t.Errorf("%s: the editor's article has no %s", when, kind)
			}
			if !slices.Equal(got[kind], want[kind]) {
				t.Errorf("%s, %s: got %s\n%q\nwant\n%q", when, slug, kind, got[kind], want[kind])
			}
		}
	}
	want := written("by-editor")
	if len(want["terms"]) < 20 {
		t.Fatalf("the editor's article has too few terms: %q", want["terms"])
	}
	compare("created", "by-bulk", want, "article", "tags", "comments", "terms")
	compare("created", "by-import", want, "article", "tags", "terms")

	edited := story("by-editor", second)
	edited.ID, edited.Tags, edited.PublishedAt = byEditor, []string{"night life"}, at.Add(-24*time.Hour)
	if err := s.UpdateArticle(ctx, ArticleSave{Article: edited, BasedOn: 1, Revision: rev}); err != nil {
		t.Fatal(err)
	}
	imported := story("by-import", second)
	imported.Tags, imported.PublishedAt = edited.Tags, edited.PublishedAt
	if res, err := s.ImportArticles(ctx, []article.Article{imported}); err != nil || res[0] != Updated {
		t.Fatalf("update by import: got %v, %v", res, err)
	}
	compare("updated", "by-import", written("by-editor"), "article", "tags", "terms")
	if n := count(t, s, `SELECT count(*) FROM articles_fts`); n != 3 {
		t.Errorf("index rows: got %d, want 3 (an update replaces its row)", n)
	}
}
