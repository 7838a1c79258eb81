package store

import (
	"context"
	"fmt"
	"slices"
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
	res, err := s.SaveArticles(ctx, list)
	if want := []SaveResult{Created, Created, Created, Created, Created}; err != nil || !slices.Equal(res, want) {
		t.Fatalf("first save: got %v, %v; want %v", res, err, want)
	}
	changesAfterCreate := count(t, s, `SELECT count(*) FROM changes`)

	list[1].Headline = "Harbour reopens"
	list[3].Tags = []string{"three"}
	res, err = s.SaveArticles(ctx, list)
	if want := []SaveResult{Unchanged, Updated, Unchanged, Updated, Unchanged}; err != nil || !slices.Equal(res, want) {
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
		if got := count(t, s, tc.q); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
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
		if got := count(t, s, tc.q); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, got, tc.want)
		}
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

// TestBulkIndexMatchesIndexArticle checks that the bulk saves index an
// article term for term as indexArticle does, on creation and on update.
func TestBulkIndexMatchesIndexArticle(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)
	story := func(slug, body string) article.Article {
		a := testArticle(slug, at)
		a.Headline, a.Summary, a.Language = "Café «الأزهارُ» über the Harbour", "Zürich naïve résumé שָׁלוֹם", "ar"
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

	byEditor, err := s.CreateArticle(ctx, story("by-editor", first), rev)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddArticles(ctx, []article.Article{story("by-bulk", first)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveArticles(ctx, []article.Article{story("by-import", first)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, articles_fts, instance)`); err != nil {
		t.Fatal(err)
	}
	terms := func(slug string) string {
		t.Helper()
		rows, err := s.w.QueryContext(ctx, `SELECT term, col, offset FROM temp.terms
			WHERE doc = (SELECT id FROM articles WHERE slug = ?) ORDER BY col, offset, term`, slug)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var term, col string
			var offset int
			if err := rows.Scan(&term, &col, &offset); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s:%d:%s", col, offset, term))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(out)
	}
	want := terms("by-editor")
	if len(want) < 100 {
		t.Fatalf("the editor's article has too few terms: %s", want)
	}
	for _, slug := range []string{"by-bulk", "by-import"} {
		if got := terms(slug); got != want {
			t.Errorf("%s: got terms\n%s\nwant\n%s", slug, got, want)
		}
	}

	edited := story("by-editor", second)
	edited.ID = byEditor
	if err := s.UpdateArticle(ctx, edited, 1, rev); err != nil {
		t.Fatal(err)
	}
	if res, err := s.SaveArticles(ctx, []article.Article{story("by-import", second)}); err != nil || res[0] != Updated {
		t.Fatalf("update by import: got %v, %v", res, err)
	}
	want = terms("by-editor")
	if got := terms("by-import"); got != want {
		t.Errorf("after an update: got terms\n%s\nwant\n%s", got, want)
	}
	if n := count(t, s, `SELECT count(*) FROM articles_fts`); n != 3 {
		t.Errorf("index rows: got %d, want 3 (an update replaces its row)", n)
	}
}
