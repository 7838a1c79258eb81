package importer

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestArticlesAndSampleComments(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := context.Background()
	files := fstest.MapFS{
		"out.md":     {Data: []byte("---\ntitle: Out\nslug: out-now\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")},
		"later.md":   {Data: []byte("---\ntitle: Later\nslug: later\ndate: 2030-01-01T09:00:00+02:00\n---\nText.\n")},
		"broken.md":  {Data: []byte("---\nslug: broken\ndate: 2024-06-20\n---\n")},
		"readme.txt": {Data: []byte("not an article")},
		// Hugo and Jekyll trees: sections, _posts, page bundles, list pages.
		"news/_index.md":                   {Data: []byte("---\ntitle: News section\n---\n")},
		"news/harbour/index.md":            {Data: []byte("---\ntitle: Bundle\ndate: 2024-06-21\n---\nText.\n")},
		"_posts/2024-06-22-jekyll-post.md": {Data: []byte("---\ntitle: Jekyll\ndate: 2024-06-22 10:00:00 +0300\n---\nText.\n")},
		"zz/same-slug.md":                  {Data: []byte("---\ntitle: Dup\nslug: out-now\ndate: 2024-06-23\n---\nText.\n")},
		".git/ignored.md":                  {Data: []byte("not content")},
		SampleCommentsFile: {Data: []byte(`
- article: out-now
  name: "Dana"
  body: |
    First paragraph.

    Second.
  posted: 2024-06-20T21:10:00+03:00
- article: later
  name: "Too early"
  body: "Not out yet"
  posted: 2030-01-02T09:00:00+02:00
`)},
	}
	r, err := Articles(ctx, st, files, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var perr *article.ParseError
	if r.Created != 4 || len(r.Skipped) != 2 || !errors.As(r.Skipped[0], &perr) || perr.File != "broken.md" ||
		r.Skipped[1].Error() != `zz/same-slug.md: slug "out-now" is taken by out.md` {
		t.Fatalf("report: got %+v, want 4 created, a duplicate slug and broken.md skipped", r)
	}
	for _, slug := range []string{"harbour", "jekyll-post", "later", "out-now"} {
		if _, err := st.ArticleBySlug(ctx, slug, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Errorf("article %q: %v", slug, err)
		}
	}
	again, err := Articles(ctx, st, files, time.UTC)
	if err != nil || again.Unchanged != 4 || again.Created+again.Updated != 0 {
		t.Errorf("second import: got %+v, %v; want 4 unchanged", again, err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n, err := SampleComments(ctx, st, files, now)
	if err != nil || n != 1 {
		t.Fatalf("SampleComments: got %d, %v; want 1 (the other article is not out yet)", n, err)
	}
	a, _ := st.ArticleBySlug(ctx, "out-now", now)
	list, _ := st.ApprovedComments(ctx, a.ID)
	if len(list) != 1 || list[0].Body != "First paragraph.\n\nSecond." || list[0].Status != comment.Approved ||
		!list[0].CreatedAt.Equal(time.Date(2024, 6, 20, 18, 10, 0, 0, time.UTC)) {
		t.Errorf("sample comment: got %+v", list)
	}
	if n, err := SampleComments(ctx, st, fstest.MapFS{}, now); n != 0 || err != nil {
		t.Errorf("without a samples file: got %d, %v; want 0, nil", n, err)
	}
	bad := fstest.MapFS{SampleCommentsFile: {Data: []byte("- article: out-now\n  name: \"\"\n  body: x\n")}}
	if _, err := SampleComments(ctx, st, bad, now); err == nil {
		t.Error("a sample comment without a name was accepted")
	}
}
