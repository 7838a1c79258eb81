package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

// runImport imports the Markdown articles of a folder.
func runImport(ctx context.Context, e env, args []string) error {
	var cfg siteConfig
	fs := importFlags(&cfg, e.getenv)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: import needs one folder, as in: dateline import content", errUsage)
	}
	dir := fs.Arg(0)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("%w: %q is not a folder", errUsage, dir)
	}
	zone, err := cfg.zone()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	report, err := importArticles(ctx, st, os.DirFS(dir), zone.Location, newLogger("text", e.stderr))
	if err != nil {
		return err
	}
	for _, p := range report.problems {
		fmt.Fprintf(e.stderr, "skipped %s\n", p)
	}
	fmt.Fprintf(e.stdout, "%d created, %d updated, %d unchanged, %d skipped\n",
		report.created, report.updated, report.unchanged, len(report.problems))
	return nil
}

type importReport struct {
	created, updated, unchanged int
	problems                    []error // one per skipped file, naming file and line
}

// importArticles parses every *.md file at the top of fsys and saves it by
// slug. A file that does not parse is reported and skipped; the rest still
// import. Dates without an offset are read in loc.
func importArticles(ctx context.Context, st *store.Store, fsys fs.FS, loc *time.Location, log *slog.Logger) (importReport, error) {
	var r importReport
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return r, err
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			r.problems = append(r.problems, fmt.Errorf("%s: %w", name, err))
			continue
		}
		a, err := article.Parse(name, src, loc)
		var perr *article.ParseError
		if errors.As(err, &perr) {
			log.Warn("article skipped", "file", perr.File, "line", perr.Line, "problem", perr.Msg)
			r.problems = append(r.problems, err)
			continue
		}
		if err != nil {
			return r, err
		}
		res, err := st.SaveArticle(ctx, a)
		if err != nil {
			return r, err
		}
		switch res {
		case store.Created:
			r.created++
		case store.Updated:
			r.updated++
		default:
			r.unchanged++
		}
	}
	return r, nil
}

// sampleComment is one entry of sample-comments.yaml.
type sampleComment struct {
	Article string    `yaml:"article"`
	Name    string    `yaml:"name"`
	Body    string    `yaml:"body"`
	Posted  time.Time `yaml:"posted"`
}

// seedComments adds the approved sample opinions of sample-comments.yaml,
// if the folder has one, to the articles they name.
func seedComments(ctx context.Context, st *store.Store, fsys fs.FS, now time.Time) (int, error) {
	const file = "sample-comments.yaml"
	src, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var samples []sampleComment
	if err := yaml.Unmarshal(src, &samples); err != nil {
		return 0, fmt.Errorf("%s: %w", path.Base(file), err)
	}
	added := 0
	for _, s := range samples {
		a, err := st.ArticleBySlug(ctx, s.Article, now)
		if errors.Is(err, store.ErrNotFound) {
			continue // a sample for an article that is not out yet
		}
		if err != nil {
			return added, err
		}
		d := comment.Draft{Name: s.Name, Body: s.Body}.Normalize()
		if errs := d.Validate(); errs != nil {
			return added, fmt.Errorf("%s: comment by %q: %v", file, s.Name, errs)
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

// oneLine flattens text for tab-separated output.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
