package importer

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/demo"
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

// demoFiles writes n generated articles as Markdown files, as
// "dateline import" reads them.
func demoFiles(n int, seed uint64) fstest.MapFS {
	g := demo.New(demo.Config{Articles: n, Seed: seed, Now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)})
	files := fstest.MapFS{}
	for i := range g.Len() {
		a, _ := g.Story(i)
		files[fmt.Sprintf("%s/%05d.md", strings.ToLower(a.Section), i)] = &fstest.MapFile{Data: demo.File(a)}
	}
	return files
}

func TestArticlesInBatches(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := context.Background()
	files := demoFiles(70, 5) // three batches of 25
	names := slices.Sorted(maps.Keys(files))
	broken, dup, original := names[30], names[65], names[10]
	files[broken].Data = []byte("---\ntitle: Broken\ndate: soon\n---\nText.\n")
	parsed, err := article.Parse(original, files[original].Data, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	files[dup].Data = []byte("---\ntitle: Same slug\nslug: " + parsed.Slug + "\ndate: 2024-06-20\n---\nText.\n")

	var calls, done int
	r, err := ArticlesWith(ctx, st, files, time.UTC, Options{Workers: 3, BatchSize: 25, Progress: func(n, total int) {
		calls++
		done += n
		if total != len(files) {
			t.Errorf("progress: got a total of %d, want %d", total, len(files))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Created != 68 || r.Updated+r.Unchanged != 0 || len(r.Skipped) != 2 {
		t.Fatalf("first import: got %d created, %d updated, %d unchanged, skipped %v; want 68 created and 2 skipped",
			r.Created, r.Updated, r.Unchanged, r.Skipped)
	}
	var perr *article.ParseError
	if !errors.As(r.Skipped[0], &perr) || perr.File != broken || perr.Line != 3 {
		t.Errorf("broken file: got %v, want %s at line 3", r.Skipped[0], broken)
	}
	if want := fmt.Sprintf("%s: slug %q is taken by %s", dup, parsed.Slug, original); r.Skipped[1].Error() != want {
		t.Errorf("duplicate slug: got %q, want %q", r.Skipped[1], want)
	}
	if calls != 3 || done != len(files) {
		t.Errorf("progress: got %d calls for %d files, want 3 calls for %d", calls, done, len(files))
	}
	if n, err := st.ArticleCount(ctx); err != nil || n != 68 {
		t.Errorf("articles stored: got %d, %v; want 68", n, err)
	}
	if got, err := st.ArticleBySlug(ctx, parsed.Slug, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || got.Headline != parsed.Headline {
		t.Errorf("the first file with a slug keeps it: got %q, %v; want %q", got.Headline, err, parsed.Headline)
	}

	again, err := Articles(ctx, st, files, time.UTC)
	if err != nil || again.Unchanged != 68 || again.Created+again.Updated != 0 || len(again.Skipped) != 2 {
		t.Errorf("second import: got %+v, %v; want 68 unchanged", again, err)
	}
	edited := names[50]
	files[edited].Data = []byte(strings.Replace(string(files[edited].Data), "title: ", "title: Revised ", 1))
	third, err := Articles(ctx, st, files, time.UTC)
	if err != nil || third.Updated != 1 || third.Unchanged != 67 || third.Created != 0 {
		t.Errorf("import after an edit: got %+v, %v; want 1 updated, 67 unchanged", third, err)
	}
	revs, err := st.Revisions(ctx, 1)
	if err != nil || len(revs) != 1 || revs[0].Username != "import" {
		t.Errorf("revisions of the first article: got %+v, %v; want one by import", revs, err)
	}
}

// benchFiles is how many files BenchmarkImport imports:
// go test ./internal/importer -run X -bench Import -benchtime 1x -args -files 50000
var benchFiles = flag.Int("files", 2000, "files for BenchmarkImport")

// BenchmarkImport imports generated Markdown files from a folder into a
// new database, then imports them again (all unchanged), and reports
// files per second for both.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	for name, f := range demoFiles(*benchFiles, demo.DefaultSeed) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	for b.Loop() {
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		r, err := Articles(ctx, st, os.DirFS(dir), time.UTC)
		if err != nil || r.Created != *benchFiles {
			b.Fatalf("import: %+v, %v", r, err)
		}
		first := time.Since(start)
		start = time.Now()
		if r, err := Articles(ctx, st, os.DirFS(dir), time.UTC); err != nil || r.Unchanged != *benchFiles {
			b.Fatalf("second import: %+v, %v", r, err)
		}
		b.ReportMetric(float64(*benchFiles)/first.Seconds(), "files/s")
		b.ReportMetric(float64(*benchFiles)/time.Since(start).Seconds(), "unchanged-files/s")
		st.Close()
	}
}

// TestSlugChangedInTheFileRenamesItsArticle imports a folder, then the same
// folder with one file's slug changed: that file's article is renamed and
// keeps its old address; a slug another file's article holds is refused
// with the file named.
func TestSlugChangedInTheFileRenamesItsArticle(t *testing.T) {
	t.Parallel()
	st := newTestStore(t)
	ctx := context.Background()
	post := func(title, slug string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nslug: " + slug + "\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")}
	}
	files := fstest.MapFS{"posts/market.md": post("Market", "night-market"), "posts/harbour.md": post("Harbour", "harbour")}
	if r, err := Articles(ctx, st, files, time.UTC); err != nil || r.Created != 2 {
		t.Fatalf("first import: %+v %v", r, err)
	}
	files["posts/market.md"] = post("Market", "night-market-moves")
	r, err := Articles(ctx, st, files, time.UTC)
	if err != nil || r.Updated != 1 || r.Created != 0 || r.Unchanged != 1 {
		t.Fatalf("import with a new slug: %+v %v, want 1 updated and 1 unchanged", r, err)
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	renamed, err := st.ArticleByOldSlug(ctx, "night-market", now)
	if err != nil || renamed.Slug != "night-market-moves" {
		t.Errorf("the old slug finds %q (%v), want the renamed article", renamed.Slug, err)
	}
	files["posts/market.md"] = post("Market", "harbour")
	delete(files, "posts/harbour.md")
	r, err = Articles(ctx, st, files, time.UTC)
	if err != nil || len(r.Skipped) != 1 || !strings.Contains(r.Skipped[0].Error(), "posts/market.md") {
		t.Fatalf("renaming to another article's slug: %+v %v, want the file skipped and named", r, err)
	}
	if a, _ := st.ArticleBySlug(ctx, "harbour", now); a.Headline != "Harbour" {
		t.Errorf("the other article became %q", a.Headline)
	}
}
