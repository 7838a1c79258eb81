package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "test.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testArticle(slug string, published time.Time) article.Article {
	return article.Article{
		Slug: slug, Headline: "Headline " + slug, Summary: "Summary", Body: "Body *text*",
		HTML: "<p>Body <em>text</em></p>", Author: "A. Writer", Section: "City",
		Tags: []string{"one", "two"}, Language: "en", Status: article.Published,
		PublishedAt: published, UpdatedAt: published,
	}
}

func mustSave(t *testing.T, s *Store, a article.Article) int64 {
	t.Helper()
	if _, err := s.SaveArticle(context.Background(), a); err != nil {
		t.Fatalf("SaveArticle(%q): %v", a.Slug, err)
	}
	got, err := s.ArticleBySlug(context.Background(), a.Slug, a.PublishedAt.Add(time.Hour))
	if err != nil {
		t.Fatalf("ArticleBySlug(%q) after save: %v", a.Slug, err)
	}
	return got.ID
}

func TestMigrationsApplyOnceAndReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	ctx := context.Background()
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for i := range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != len(names) {
			t.Errorf("open #%d: schema version %d, want %d", i+1, v, len(names))
		}
		var mode string
		if err := s.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q (%v), want wal", mode, err)
		}
		var fk int
		if err := s.r.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
		}
		if i == 0 {
			mustSave(t, s, testArticle("kept", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
		}
		s.Close()
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.ArticleCount(ctx); n != 1 {
		t.Errorf("after reopening, %d articles, want 1", n)
	}
}

func TestMigrationUpgradesOlderDatabase(t *testing.T) {
	t.Parallel()
	// Build a database as the first release left it: only migration 0001,
	// with an article in it. Opening it must apply the rest and keep the data.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		t.Fatal(err)
	}
	first, err := migrations.ReadFile("migrations/0001_create_articles_comments.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := applyMigration(ctx, old, 1, string(first)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO articles (slug, headline, status, published_at, updated_at)
		VALUES ('old-story', 'Old', 'published', '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00')`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open old database: %v", err)
	}
	defer s.Close()
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	if v, _ := s.SchemaVersion(ctx); v != len(names) || len(names) < 2 {
		t.Errorf("after upgrade, schema version %d, want %d", v, len(names))
	}
	if _, err := s.ArticleBySlug(ctx, "old-story", time.Now()); err != nil {
		t.Errorf("article lost in upgrade: %v", err)
	}
	if _, err := s.UserCount(ctx); err != nil {
		t.Errorf("users table missing after upgrade: %v", err)
	}
}

func TestSaveArticleIsIdempotentBySlug(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	a := testArticle("same", time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC))
	for i, want := range []SaveResult{Created, Unchanged, Unchanged} {
		got, err := s.SaveArticle(ctx, a)
		if err != nil || got != want {
			t.Fatalf("save #%d: got %v (%v), want %v", i+1, got, err, want)
		}
	}
	a.Headline = "Changed"
	a.Tags = []string{"two", "three", "Two", " "}
	if got, err := s.SaveArticle(ctx, a); err != nil || got != Updated {
		t.Fatalf("changed save: got %v (%v), want Updated", got, err)
	}
	back, err := s.ArticleBySlug(ctx, "same", a.PublishedAt)
	if err != nil {
		t.Fatal(err)
	}
	if back.Headline != "Changed" || len(back.Tags) != 2 || back.Tags[0] != "two" || back.Tags[1] != "three" {
		t.Errorf("got headline %q tags %q, want Changed [two three]", back.Headline, back.Tags)
	}
	if !back.PublishedAt.Equal(a.PublishedAt) || back.PublishedAt.Location() != time.UTC {
		t.Errorf("published_at got %v, want %v in UTC", back.PublishedAt, a.PublishedAt)
	}
	if n, _ := s.ArticleCount(ctx); n != 1 {
		t.Errorf("got %d articles, want 1", n)
	}
}

func TestVisibility(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2025, 5, 5, 12, 0, 0, 0, time.UTC)
	past := testArticle("past", now.Add(-time.Hour))
	future := testArticle("future", now.Add(time.Hour))
	draft := testArticle("draft", now.Add(-2*time.Hour))
	draft.Status = article.Draft
	for _, a := range []article.Article{past, future, draft} {
		if _, err := s.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		slug string
		at   time.Time
		want error
	}{
		{"past", now, nil},
		{"future", now, ErrNotFound},
		{"future", now.Add(time.Hour), nil}, // visible from its instant on, no job needed
		{"draft", now, ErrNotFound},
		{"missing", now, ErrNotFound},
	}
	for _, tc := range tests {
		_, err := s.ArticleBySlug(ctx, tc.slug, tc.at)
		if !errors.Is(err, tc.want) {
			t.Errorf("ArticleBySlug(%q, %v): got %v, want %v", tc.slug, tc.at, err, tc.want)
		}
	}
	list, err := s.LatestArticles(ctx, now, 10, 0)
	if err != nil || len(list) != 1 || list[0].Slug != "past" {
		t.Errorf("LatestArticles: got %v (%v), want [past]", list, err)
	}
	if n, _ := s.PublishedCount(ctx, now); n != 1 {
		t.Errorf("PublishedCount: got %d, want 1", n)
	}
}

func TestLatestArticlesOrderAndPaging(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	base := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		mustSave(t, s, testArticle(string(rune('a'+i)), base.Add(time.Duration(i)*time.Hour)))
	}
	now := base.Add(24 * time.Hour)
	page1, _ := s.LatestArticles(ctx, now, 2, 0)
	page3, _ := s.LatestArticles(ctx, now, 2, 4)
	if len(page1) != 2 || page1[0].Slug != "e" || page1[1].Slug != "d" {
		t.Errorf("page 1: got %v, want [e d]", slugs(page1))
	}
	if len(page3) != 1 || page3[0].Slug != "a" {
		t.Errorf("page 3: got %v, want [a]", slugs(page3))
	}
	if page1[0].Body != "" || page1[0].HTML != "" {
		t.Errorf("listing carries the body: %q", page1[0].Body)
	}
}

func slugs(list []article.Article) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Slug)
	}
	return out
}

func TestCommentsLifecycle(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 10, 0, 0, 0, time.UTC)
	id := mustSave(t, s, testArticle("story", at))
	var ids []int64
	for i, st := range []comment.Status{comment.Pending, comment.Approved, comment.Spam, comment.Approved} {
		cid, err := s.AddComment(ctx, comment.Comment{ArticleID: id, Name: "N", Email: "n@example.com",
			Body: "text", Status: st, CreatedAt: at.Add(time.Duration(i) * time.Minute), IP: "127.0.0.1", UserAgent: "ua"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cid)
	}
	approved, err := s.ApprovedComments(ctx, id)
	if err != nil || len(approved) != 2 || approved[0].ID != ids[1] || approved[1].ID != ids[3] {
		t.Fatalf("ApprovedComments: got %v (%v), want ids %d, %d oldest first", approved, err, ids[1], ids[3])
	}
	if approved[0].ArticleSlug != "story" || approved[0].IP != "127.0.0.1" || approved[0].Email != "n@example.com" {
		t.Errorf("comment fields not kept: %+v", approved[0])
	}
	a, _ := s.ArticleBySlug(ctx, "story", at)
	if a.Comments != 2 {
		t.Errorf("article comment count: got %d, want 2", a.Comments)
	}
	if err := s.SetCommentStatus(ctx, ids[0], comment.Approved); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCommentStatus(ctx, 9999, comment.Approved); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetCommentStatus on missing id: got %v, want ErrNotFound", err)
	}
	pending, _ := s.Comments(ctx, comment.Pending, 10, 0)
	all, _ := s.Comments(ctx, "", 10, 0)
	if len(pending) != 0 || len(all) != 4 || all[0].ID != ids[3] {
		t.Errorf("Comments: got %d pending, %d in all (first %d), want 0, 4 (first %d)", len(pending), len(all), all[0].ID, ids[3])
	}
}

// TestConcurrentWritersQueue checks that the single writer pool makes
// concurrent writers wait for each other instead of failing with
// "database is locked" while readers keep reading.
func TestConcurrentWritersQueue(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 10, 0, 0, 0, time.UTC)
	id := mustSave(t, s, testArticle("busy", at))
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := s.AddComment(ctx, comment.Comment{ArticleID: id, Name: "w", Body: "b",
					Status: comment.Approved, CreatedAt: at.Add(time.Duration(w*each+i) * time.Second)})
				if err != nil {
					errs <- err
				}
				if _, err := s.ApprovedComments(ctx, id); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent access: %v", err)
	}
	list, _ := s.ApprovedComments(ctx, id)
	if len(list) != writers*each {
		t.Errorf("got %d comments, want %d", len(list), writers*each)
	}
}
