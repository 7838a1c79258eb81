package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/dateline/dateline/internal/demo"
	"github.com/dateline/dateline/internal/progress"
)

// demoBatch is how many generated articles, with their comments, are
// written in one transaction.
const demoBatch = 500

// runDemo fills an empty database with a generated site for measuring,
// with a progress bar on standard error when that is a terminal.
func runDemo(ctx context.Context, e env, args []string) error {
	var cfg demoConfig
	fs := demoFlags(&cfg, e.getenv)
	fs.SetOutput(e.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg.from = newSource(fs, args, e.getenv)
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: demo-data takes no arguments, got %q", errUsage, fs.Args())
	case cfg.Articles < 1 || cfg.Articles > 10_000_000:
		return fmt.Errorf("%w: --articles must be from 1 to 10000000, got %d", errUsage, cfg.Articles)
	case cfg.Comments < 0 || cfg.Comments > 100_000_000:
		return fmt.Errorf("%w: --comments must be from 0 to 100000000, got %d", errUsage, cfg.Comments)
	case cfg.Years < 1 || cfg.Years > 100:
		return fmt.Errorf("%w: --years must be from 1 to 100, got %d", errUsage, cfg.Years)
	case cfg.Newest < 0 || cfg.Newest > cfg.Articles:
		return fmt.Errorf("%w: --newest must be from 0 to --articles (%d), got %d", errUsage, cfg.Articles, cfg.Newest)
	}
	start := time.Now()
	st, zone, _, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.ArticleCount(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("%w: %s already has %d articles; demo-data fills an empty database only", errUsage, cfg.DB, n)
	}
	// The date index counts by day in the site's zone: set it first, so the
	// server does not rewrite every article's day when it starts.
	if err := st.EnsureArchiveZone(ctx, zone.Location); err != nil {
		return err
	}

	// A batch command that allocates fast: collecting garbage less often
	// saves a tenth of the CPU (measured), for a heap a few times larger.
	debug.SetGCPercent(400)
	g := demo.New(demo.Config{Articles: cfg.Articles, Comments: cfg.Comments, Seed: cfg.Seed, Now: start, Zone: zone.Location, Years: cfg.Years, Newest: cfg.Newest})
	bar := progress.New(e.stderr, "demo-data", g.Len())
	err = g.Run(ctx, runtime.GOMAXPROCS(0), demoBatch, func(b demo.Batch) error {
		if err := st.AddArticles(ctx, b.Articles, b.Comments); err != nil {
			return err
		}
		bar.Add(len(b.Articles))
		return nil
	})
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d articles and %d comments written to %s in %.1fs (seed %d)\n",
		g.Len(), g.Comments(), cfg.DB, time.Since(start).Seconds(), cfg.Seed)
	return nil
}
