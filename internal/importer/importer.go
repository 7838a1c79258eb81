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
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

// Report says what an import did.
type Report struct {
	Created, Updated, Unchanged int
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
	var r Report
	names, err := articleFiles(fsys)
	if err != nil {
		return r, fmt.Errorf("importer: %w", err)
	}
	taken := map[string]string{} // slug -> file
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			r.Skipped = append(r.Skipped, fmt.Errorf("%s: %w", name, err))
			continue
		}
		a, err := article.Parse(name, src, loc)
		if perr := (*article.ParseError)(nil); errors.As(err, &perr) {
			r.Skipped = append(r.Skipped, err)
			continue
		} else if err != nil {
			return r, fmt.Errorf("importer: %w", err)
		}
		if other, dup := taken[a.Slug]; dup {
			r.Skipped = append(r.Skipped, fmt.Errorf("%s: slug %q is taken by %s", name, a.Slug, other))
			continue
		}
		taken[a.Slug] = name
		res, err := st.SaveArticle(ctx, a)
		if err != nil {
			return r, fmt.Errorf("importer: %w", err)
		}
		switch res {
		case store.Created:
			r.Created++
		case store.Updated:
			r.Updated++
		default:
			r.Unchanged++
		}
	}
	return r, nil
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
