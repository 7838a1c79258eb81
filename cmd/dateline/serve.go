package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/dateline/dateline/content"
	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/importer"
	"github.com/dateline/dateline/internal/server"
	"github.com/dateline/dateline/internal/settings"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 10 * time.Second

// runServe serves the site until ctx is cancelled (SIGINT or SIGTERM).
func runServe(ctx context.Context, e env, args []string) error {
	cfg, err := parseServeConfig(args, e.getenv, e.stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, e.stderr)
	st, zone, existed, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedFirstStart(ctx, st, cfg.DB, existed, cfg.Content, zone, log); err != nil {
		return err
	}
	handler, err := newHandler(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	srv := newHTTPServer(cfg.Addr, handler, log)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	base := "http://" + ln.Addr().String()
	log.Info("serving", "url", base, "db", cfg.DB, "zone", zone.Location.String())
	if err := offerSetup(ctx, st, base, log); err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, ln, log)
}

// newHandler builds the site's handler over st from the configuration.
func newHandler(ctx context.Context, cfg serveConfig, st *store.Store, log *slog.Logger) (http.Handler, error) {
	return server.New(ctx, server.Options{
		Store:  st,
		Logger: log,
		Defaults: settings.Settings{Name: cfg.SiteName, Tagline: cfg.Tagline, ZoneName: cfg.Zone, ZoneLabel: cfg.ZoneLabel,
			Comments: settings.HoldComments, PageSize: defaultPageSize},
		BaseURL:           cfg.BaseURL,
		TrustedProxies:    cfg.TrustedProxies,
		CommentsPerMinute: cfg.CommentRate,
		MetricsToken:      cfg.MetricsToken,
		// Uploads live beside the database, never in the source tree.
		MediaDir:      filepath.Join(filepath.Dir(cfg.DB), "media"),
		Hasher:        account.NewHasher(2),
		SecureCookies: cfg.SecureCookies,
		NoCache:       cfg.NoCache,
		CacheBytes:    cfg.CacheMB << 20,
		Caching:       server.HTTPCaching{MaxAge: cfg.MaxAge, StaleWhileRevalidate: cfg.StaleWhile},
	})
}

// newHTTPServer is the server in front of handler, with the timeouts and
// the header limit that keep slow and oversized requests out.
func newHTTPServer(addr string, handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serveUntilDone serves on ln until ctx is cancelled, then gives the
// requests in flight shutdownGrace to finish.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// offerSetup prints a one-time link that creates the first admin, while
// the database has no user. Each start makes a new link; the old one stops
// working.
func offerSetup(ctx context.Context, st *store.Store, base string, log *slog.Logger) error {
	n, err := st.UserCount(ctx)
	if err != nil || n > 0 {
		return err
	}
	token, hash := account.NewToken()
	if err := st.ReplaceSetupToken(ctx, hash, time.Now()); err != nil {
		return err
	}
	log.Warn("no newsroom user yet: open this link once to create the first admin", "setup_url", base+web.AdminSetupPath+"?token="+token)
	return nil
}

// A database is given the content folder (or the built-in samples) only
// on its first start: while no marker beside it (startedMarker) says that
// Dateline served it before, and it has no article. The marker is written
// once the first start has its content (so a failed import is tried again
// at the next start) and at the first start of a database from before the
// marker. A database file that was deleted, or lost while the folder's
// other files stayed, is then not quietly replaced by the samples and a new
// setup link: the site starts empty and the log says why. A new --db path
// is a first start like any other; `dateline import` adds content to an
// existing database.

// startedMarker is the file beside a database that records its first
// start. Its name is hidden and does not begin with the database's, so that
// neither "rm dateline.db*" nor "rm data/*" takes it with the database.
func startedMarker(db string) string {
	return filepath.Join(filepath.Dir(db), ".started-"+filepath.Base(db))
}

// seedFirstStart seeds db on its first start (existed: the file was there
// before it was opened) and marks it started.
func seedFirstStart(ctx context.Context, st *store.Store, db string, existed bool, dir string, zone calendar.Zone, log *slog.Logger) error {
	if _, err := os.Stat(startedMarker(db)); err == nil {
		if !existed {
			log.Error("the database file was missing, but Dateline served it before: starting with an empty database and no sample content; stop the site and restore a backup there, or import articles",
				"db", db, "marker", startedMarker(db))
		}
		return nil
	}
	n, err := st.ArticleCount(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		if err := seed(ctx, st, dir, zone, log); err != nil {
			return err
		}
	}
	note := "Dateline first started on " + filepath.Base(db) + " at " + time.Now().UTC().Format(time.RFC3339) +
		".\nWhile this file is here, a missing database is not replaced by the sample content.\n"
	if err := os.WriteFile(startedMarker(db), []byte(note), 0o644); err != nil {
		return fmt.Errorf("mark the database's first start: %w", err)
	}
	return nil
}

// seed fills a new database with the content folder and its sample
// comments. When the folder is the default one and does not exist (the
// binary runs elsewhere), the built-in samples are used.
func seed(ctx context.Context, st *store.Store, dir string, zone calendar.Zone, log *slog.Logger) error {
	if err := st.EnsureArchiveZone(ctx, zone.Location); err != nil {
		return err
	}
	var fsys fs.FS = os.DirFS(dir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if dir != defaultContent {
			return fmt.Errorf("content folder %q: %w", dir, err)
		}
		fsys = content.FS
		dir = "built-in samples"
	}
	report, err := importer.Articles(ctx, st, fsys, zone.Location)
	if err != nil {
		return err
	}
	for _, p := range report.Skipped {
		log.Warn("article skipped", "problem", p.Error())
	}
	added, err := importer.SampleComments(ctx, st, fsys, time.Now())
	if err != nil {
		return err
	}
	log.Info("imported content into empty database", "from", dir,
		"created", report.Created, "skipped", len(report.Skipped), "sample_comments", added)
	return nil
}
