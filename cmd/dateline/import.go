package main

import (
	"context"
	"fmt"
	"os"

	"github.com/dateline/dateline/internal/importer"
	"github.com/dateline/dateline/internal/store"
)

// runImport imports the Markdown articles of a folder.
func runImport(ctx context.Context, e env, args []string) error {
	var cfg siteConfig
	fs := importFlags(&cfg, e.getenv)
	fs.SetOutput(e.stderr)
	if err := parseFlags(fs, args); err != nil {
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
	report, err := importer.Articles(ctx, st, os.DirFS(dir), zone.Location)
	if err != nil {
		return err
	}
	for _, p := range report.Skipped {
		fmt.Fprintf(e.stderr, "skipped %s\n", p)
	}
	fmt.Fprintf(e.stdout, "%d created, %d updated, %d unchanged, %d skipped\n",
		report.Created, report.Updated, report.Unchanged, len(report.Skipped))
	return nil
}
