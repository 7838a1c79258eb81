package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
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
	if _, err := s.ImportArticle(context.Background(), a); err != nil {
		t.Fatalf("ImportArticle(%q): %v", a.Slug, err)
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

func TestImportArticleIsIdempotentBySlug(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	a := testArticle("same", time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC))
	for i, want := range []ImportResult{Created, Unchanged, Unchanged} {
		got, err := s.ImportArticle(ctx, a)
		if err != nil || got != want {
			t.Fatalf("save #%d: got %v (%v), want %v", i+1, got, err, want)
		}
	}
	a.Headline = "Changed"
	a.Tags = []string{"two", "three", "Two", " "}
	if got, err := s.ImportArticle(ctx, a); err != nil || got != Updated {
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
		if _, err := s.ImportArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		slug string
		at   time.Time
		want error
	}{
		{"published", "past", now, nil},
		{"scheduled", "future", now, ErrNotFound},
		{"scheduled, at its time", "future", now.Add(time.Hour), nil}, // visible from its instant on, no job needed
		{"draft", "draft", now, ErrNotFound},
		{"missing", "missing", now, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ArticleBySlug(ctx, tc.slug, tc.at)
			if !errors.Is(err, tc.want) {
				t.Errorf("ArticleBySlug(%q, %v): got %v, want %v", tc.slug, tc.at, err, tc.want)
			}
		})
	}
	list, err := s.LatestArticles(ctx, Listing{}, now, 10, 0)
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
	page1, _ := s.LatestArticles(ctx, Listing{}, now, 2, 0)
	page3, _ := s.LatestArticles(ctx, Listing{}, now, 2, 4)
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
	if approved[0].Name != "N" || approved[0].Body != "text" || approved[0].Email != "" || approved[0].IP != "" || approved[0].UserAgent != "" {
		t.Errorf("reader's comment: got %+v, want name and text without e-mail, address or user agent", approved[0])
	}
	moderated, err := s.Comments(ctx, comment.Approved, 10, 0)
	if err != nil || len(moderated) != 2 {
		t.Fatalf("Comments(approved): got %d (%v), want 2", len(moderated), err)
	}
	if m := moderated[0]; m.ArticleSlug != "story" || m.IP != "127.0.0.1" || m.Email != "n@example.com" || m.UserAgent != "ua" {
		t.Errorf("comment fields not kept for moderators: %+v", m)
	}
	// The four comments share one user agent, kept once.
	var agents int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM user_agents`).Scan(&agents); err != nil || agents != 1 {
		t.Errorf("user agents stored: %d (%v), want 1", agents, err)
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

func TestPoolsAndPragmas(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	if got := s.w.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer pool allows %d connections, want 1", got)
	}
	if got := s.r.Stats().MaxOpenConnections; got < 2 {
		t.Errorf("reader pool allows %d connections, want several", got)
	}
	for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
		t.Run(name, func(t *testing.T) {
			var timeout int
			if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout != 5000 {
				t.Errorf("busy_timeout = %d (%v), want 5000", timeout, err)
			}
		})
	}
	if _, err := s.r.ExecContext(ctx, `DELETE FROM articles`); err == nil {
		t.Error("the reader pool accepted a write")
	}
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "a?mode=memory")); err == nil {
		t.Error("Open accepted a path with ?")
	}
}

// TestConcurrentReadThenWriteTransactions runs transactions that read
// before they write, the pattern that fails with SQLITE_BUSY_SNAPSHOT under
// deferred transactions.
func TestConcurrentReadThenWriteTransactions(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 8 {
				a := testArticle(fmt.Sprintf("g%d-a%d", g, i), at.Add(time.Duration(g*8+i)*time.Minute))
				if _, err := s.ImportArticle(ctx, a); err != nil { // SELECT, then INSERT, in one transaction
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("read-then-write transaction: %v", err)
	}
	if n, _ := s.ArticleCount(ctx); n != 64 {
		t.Errorf("got %d articles, want 64", n)
	}
}

func TestConcurrentFirstOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for round := range 5 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("new%d.db", round))
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				s, err := Open(ctx, path)
				if err != nil {
					errs <- err
					return
				}
				s.Close()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("round %d: concurrent Open: %v", round, err)
		}
	}
}

func TestFailedMigrationLeavesVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.SchemaVersion(ctx)
	broken := fstest.MapFS{
		"migrations/0001_create_articles_comments.sql": {Data: []byte("SELECT 1;")},
		"migrations/9000_add_things.sql":               {Data: []byte("CREATE TABLE things (id INTEGER); INSERT INTO nowhere VALUES (1);")},
	}
	if err := migrate(ctx, s.w, broken); err == nil || !strings.Contains(err.Error(), "9000_add_things") {
		t.Errorf("broken migration: got %v, want an error naming it", err)
	}
	after, _ := s.SchemaVersion(ctx)
	var n int
	s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'things'`).Scan(&n)
	if after != before || n != 0 {
		t.Errorf("after a failed migration: version %d (was %d), things table %d; want unchanged and absent", after, before, n)
	}
	s.Close()
}

func TestIsBusy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another process holds the write lock; a writer with a short timeout
	// gives up with SQLITE_BUSY.
	holder, _ := sql.Open("sqlite", "file:"+path+"?_txlock=exclusive")
	defer holder.Close()
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	impatient, _ := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(20)")
	defer impatient.Close()
	_, err = impatient.ExecContext(ctx, `DELETE FROM comments`)
	if !IsBusy(fmt.Errorf("wrapped: %w", err)) {
		t.Errorf("IsBusy(%v) = false, want true", err)
	}
	if IsBusy(ErrNotFound) || IsBusy(nil) {
		t.Error("IsBusy is true for other errors")
	}
}
