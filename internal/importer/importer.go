// Package importer brings content from files into the store: Markdown
// articles with front matter, and the sample comments of the sample site.
// The command line and the server's first start both use it. It must not
// import HTTP or template code.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

// Report says what an import did.
type Report struct {
	Created, Updated, Unchanged int
	// Edited names the files whose article an editor changed in the
	// newsroom since it was imported (or wrote there): they are left
	// alone, never overwritten.
	Edited []string
	// Skipped has one error per file that was not imported; article files
	// that do not parse give an *article.ParseError naming file and line.
	Skipped []error
}

// Articles parses every *.md file in fsys, in subfolders too (Hugo
// sections, Jekyll's _posts, page bundles), and saves each by slug. Hugo's
// _index.md list pages are not articles and are left out. A file that does
// not parse, or whose slug another file already took, is reported in
// Skipped; the rest still import. Dates without an offset are read in loc.
// Running it twice on the same files changes nothing the second time.
func Articles(ctx context.Context, st *store.Store, fsys fs.FS, loc *time.Location) (Report, error) {
	return ArticlesWith(ctx, st, fsys, loc, Options{})
}

// Options tune an import of articles.
type Options struct {
	// Workers is how many files are parsed and rendered at once; 0 is one
	// per CPU.
	Workers int
	// BatchSize is how many files are saved in one transaction; 0 is
	// DefaultBatchSize.
	BatchSize int
	// Progress, when set, is called after each batch of files is saved
	// with the number of files in the batch and the number in all.
	Progress func(done, total int)
}

// DefaultBatchSize is enough files in one transaction that a commit's
// cost is spread thin, and few enough that parsing the next batch overlaps
// the saving of this one.
const DefaultBatchSize = 256

// ArticlesWith is Articles with options. Files are read, parsed and
// rendered by parallel workers, a batch ahead of the saving; the batches
// are saved in file name order, one transaction each, so a slug goes to
// the first file that has it, as it would one file at a time.
func ArticlesWith(ctx context.Context, st *store.Store, fsys fs.FS, loc *time.Location, opts Options) (Report, error) {
	var r Report
	names, err := articleFiles(fsys)
	if err != nil {
		return r, fmt.Errorf("importer: %w", err)
	}
	workers, size := opts.Workers, opts.BatchSize
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if size <= 0 {
		size = DefaultBatchSize
	}
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan []parsed, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(batches)
		for from := 0; from < len(names); from += size {
			b := parseFiles(fsys, names[from:min(from+size, len(names))], loc, workers)
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
		}
	})
	defer func() {
		cancel() // stops the parsing if saving failed
		wg.Wait()
	}()

	taken := map[string]string{} // slug -> file
	for files := range batches {
		list, err := r.accept(files, taken)
		if err != nil {
			return r, err
		}
		var results []store.ImportResult
		if len(list) > 0 {
			if results, err = st.ImportArticles(ctx, list); err != nil {
				return r, fmt.Errorf("importer: %w", err)
			}
		}
		r.count(list, results)
		if opts.Progress != nil {
			opts.Progress(len(files), len(names))
		}
	}
	return r, ctx.Err()
}

// accept is the articles of files to import: each file that could not be
// parsed, or whose slug another file in taken (slug -> file) has, is
// reported as skipped. A file that could not be read fails the import.
func (r *Report) accept(files []parsed, taken map[string]string) ([]article.Article, error) {
	var list []article.Article
	for _, f := range files {
		var perr *article.ParseError
		switch {
		case f.err == nil:
		case f.read || errors.As(f.err, &perr):
			r.Skipped = append(r.Skipped, f.err)
			continue
		default:
			return nil, fmt.Errorf("importer: %w", f.err)
		}
		if other, dup := taken[f.a.Slug]; dup {
			r.Skipped = append(r.Skipped, fmt.Errorf("%s: slug %q is taken by %s", f.name, f.a.Slug, other))
			continue
		}
		taken[f.a.Slug] = f.name
		f.a.Source = f.name
		list = append(list, f.a)
	}
	return list, nil
}

// count adds what the store did to each article of list.
func (r *Report) count(list []article.Article, results []store.ImportResult) {
	for i, res := range results {
		switch res {
		case store.Created:
			r.Created++
		case store.Updated:
			r.Updated++
		case store.Edited:
			r.Edited = append(r.Edited, list[i].Source)
		case store.SlugTaken:
			r.Skipped = append(r.Skipped, fmt.Errorf("%s: slug %q is another article's, so its article keeps the slug it had", list[i].Source, list[i].Slug))
		default:
			r.Unchanged++
		}
	}
}

// parsed is one article file, read and parsed, or what went wrong.
type parsed struct {
	name string
	a    article.Article
	err  error
	read bool // err is from reading the file
}

// parseFiles reads and parses the named files on workers goroutines and
// returns them in the order of names.
func parseFiles(fsys fs.FS, names []string, loc *time.Location, workers int) []parsed {
	out := make([]parsed, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(names)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(names); i = int(next.Add(1) - 1) {
				f := &out[i]
				f.name = names[i]
				src, err := fs.ReadFile(fsys, f.name)
				if err != nil {
					f.err, f.read = fmt.Errorf("%s: %w", f.name, err), true
					continue
				}
				f.a, f.err = article.Parse(f.name, src, loc)
			}
		})
	}
	wg.Wait()
	return out
}

// articleFiles lists the Markdown files of a content tree in name order.
func articleFiles(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && name != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir // .git and the like
		}
		if !d.IsDir() && path.Ext(name) == ".md" && d.Name() != "_index.md" {
			names = append(names, name)
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}

// SampleCommentsFile is the file of approved sample opinions in a content
// folder.
const SampleCommentsFile = "sample-comments.yaml"

// sampleComment is one entry of SampleCommentsFile.
type sampleComment struct {
	Article string    `yaml:"article"`
	Name    string    `yaml:"name"`
	Body    string    `yaml:"body"`
	Posted  time.Time `yaml:"posted"`
}

// SampleComments adds the approved opinions of SampleCommentsFile, if fsys
// has one, to the articles they name that are out at now. It returns how
// many it added.
func SampleComments(ctx context.Context, st *store.Store, fsys fs.FS, now time.Time) (int, error) {
	src, err := fs.ReadFile(fsys, SampleCommentsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var samples []sampleComment
	if err := yaml.Unmarshal(src, &samples); err != nil {
		return 0, fmt.Errorf("importer: %s: %w", SampleCommentsFile, err)
	}
	added := 0
	for _, s := range samples {
		a, err := st.ArticleBySlug(ctx, s.Article, now)
		if errors.Is(err, store.ErrNotFound) {
			continue // an opinion on an article that is not out yet
		}
		if err != nil {
			return added, err
		}
		d := comment.Draft{Name: s.Name, Body: s.Body}.Normalize()
		if errs := d.Validate(); errs != nil {
			return added, fmt.Errorf("importer: %s: comment by %q: %v", SampleCommentsFile, s.Name, errs)
		}
		if _, err := st.AddComment(ctx, comment.Comment{
			ArticleID: a.ID, Name: d.Name, Body: d.Body, Status: comment.Approved, CreatedAt: s.Posted,
		}); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}
