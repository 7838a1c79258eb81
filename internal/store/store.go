// Package store keeps Dateline's data in one SQLite file and holds all of
// its SQL, behind methods named for what the site needs. It owns the
// connection pools, the pragmas and the migrations. It must not import HTTP
// or template code.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned when the row asked for does not exist (or is not
// visible to readers).
var ErrNotFound = errors.New("store: not found")

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas apply to every pooled connection: a PRAGMA run with Exec would
// reach one connection only. busy_timeout comes first so that it is in force
// before journal_mode(WAL), which writes. _time_format=sqlite writes times in
// a fixed layout that compares correctly as text and scans back as time.Time.
const pragmas = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)" +
	"&_pragma=temp_store(MEMORY)" +
	"&_pragma=cache_size(-8000)" +
	"&_pragma=journal_size_limit(67108864)" +
	"&_time_format=sqlite"

// Store is the SQLite store. Writes go through a pool of one connection so
// that writers queue in Go instead of failing with "database is locked";
// reads use their own bounded pool.
type Store struct {
	w   *sql.DB // the one writer; also every transaction that reads then writes
	r   *sql.DB // page reads
	uri string  // for one-off connections such as backups
	// commits counts this process's committed write transactions, so that
	// a page cache in the same process can tell at once that it must read
	// the change log.
	commits atomic.Uint64
	zones   sync.Map // zone name -> *time.Location, for archiveZone
	stmts   sync.Map // SQL text -> *sql.Stmt on the reader pool
	wstmts  sync.Map // SQL text -> *sql.Stmt on the writer

	// files are the database's files as opened (the database, its WAL
	// and its shared-memory index), to notice when one is removed or
	// replaced under the process (CheckFile); gone says one was.
	files []openedFile
	gone  atomic.Bool
}

// openedFile is a file of the database and what it was when opened.
type openedFile struct {
	path string
	info os.FileInfo
}

// ErrDatabaseGone is the answer to every write, and to CheckFile, once the
// database file this store opened has been removed or replaced: SQLite
// would go on writing into the open, unlinked file, and every write would
// be lost at the next start.
var ErrDatabaseGone = errors.New("store: the database file was removed or replaced while the site ran; writes are refused until a restart")

// CheckFile reports ErrDatabaseGone when a file of the database (the
// database, its -wal or its -shm) is missing from its path or is not the
// file that was opened: with the WAL gone, every commit since goes into an
// unlinked file too, and a new -shm would let connections disagree about
// the WAL. (SQLite removes the WAL and the index only when the last
// connection closes, and the store keeps its writer open.) Once gone,
// always gone: a file put back in its place is another database.
func (s *Store) CheckFile() error {
	if s.gone.Load() {
		return ErrDatabaseGone
	}
	for _, f := range s.files {
		fi, err := os.Stat(f.path)
		switch {
		case err == nil && os.SameFile(fi, f.info):
			continue
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%w: %w", errCheckFile, err)
		}
		s.gone.Store(true)
		return fmt.Errorf("%w (%s)", ErrDatabaseGone, f.path)
	}
	return nil
}

// errCheckFile is CheckFile failing to look at a file: the write is not
// known to be safe, so it is refused like one into a removed database, but
// only for as long as the look fails.
var errCheckFile = errors.New("store: cannot check the database's files")

// Commits is the number of write transactions this process has committed
// through the store. It only grows.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// ErrNoDatabase is OpenExisting's answer when no database file is there.
var ErrNoDatabase = errors.New("store: no database")

// OpenExisting opens the database file at path as Open does, if there is
// one: the commands that look after a site (comments, users, backups)
// must not make an empty database of a mistyped path.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s", ErrNoDatabase, path)
		}
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	return Open(ctx, path)
}

// Open opens (creating if needed) the database file at path, creating its
// folder, and applies any migrations it has not seen yet.
func Open(ctx context.Context, path string) (*Store, error) {
	// The path becomes part of a URI: "?" or "#" in it would end the file
	// name and silently drop the pragmas.
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store: database path %q: must not contain ? or #", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: create folder for %q: %w", path, err)
		}
	}
	// The "file:" prefix makes SQLite read its own URI parameters too.
	uri := "file:" + path + "?" + pragmas

	w, err := sql.Open("sqlite", uri+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The writer connects and migrates first: its first connection turns the
	// file into WAL mode before any reader looks at it.
	if err := migrateRetryingBusy(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	if err := fillSearchIndex(ctx, w); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", uri+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %q for reading: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	r.SetConnMaxLifetime(0)
	s := &Store{w: w, r: r, uri: uri}
	// The writer's connection holds the database in WAL mode: its WAL and
	// index exist from now until the store closes.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("store: open %q: %w", path, err)
		}
		s.files = append(s.files, openedFile{path: p, info: fi})
	}
	if err := s.prepareWriter(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	for _, m := range []*sync.Map{&s.stmts, &s.wstmts} {
		m.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ping checks that the database answers a query from the file it opened.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.CheckFile(); err != nil {
		return err
	}
	var one int
	if err := s.r.QueryRowContext(ctx, `SELECT 1 FROM articles LIMIT 1`).Scan(&one); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// withTx runs fn in a write transaction (BEGIN IMMEDIATE, through the single
// writer) and commits it if fn returns nil. A commit into a database file
// that is no longer at its path is not stored for good: the files are
// looked at after the commit, and such a write answers ErrDatabaseGone, so
// that nobody is told it was stored. Once they are known to be gone, no
// transaction begins.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.gone.Load() {
		return ErrDatabaseGone
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.commits.Add(1)
	return s.CheckFile()
}

// exec runs one write statement on the writer, as its own transaction,
// with withTx's check of the file.
func (s *Store) exec(ctx context.Context, q string, args ...any) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
}

// migrate applies the migrations in fsys whose number is above the
// database's user_version, in name order, each in its own transaction.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		version, err := migrationVersion(name)
		if err != nil {
			return err
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("store: read migration %q: %w", name, err)
		}
		if err := applyMigration(ctx, db, version, string(src)); err != nil {
			return fmt.Errorf("store: migration %q: %w", name, err)
		}
	}
	return nil
}

// migrateRetryingBusy migrates, trying again for a while when the file
// is busy: processes that open a new file at the same moment race to turn
// it into WAL mode, and SQLite answers the losers SQLITE_BUSY at once,
// without waiting out the busy timeout (seen with four at once).
func migrateRetryingBusy(ctx context.Context, db *sql.DB) error {
	for attempt := 1; ; attempt++ {
		err := migrate(ctx, db, migrations)
		if err == nil || !IsBusy(err) || attempt == 50 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// applyMigration runs one migration unless the database has it already.
// The version is read inside the write transaction, so that two processes
// opening a new file at once do not both apply it.
func applyMigration(ctx context.Context, db *sql.DB, version int, src string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if version <= current {
		return nil
	}
	if _, err := tx.ExecContext(ctx, src); err != nil {
		return err
	}
	// user_version lives in the file header and is written inside the same
	// transaction, so a failed migration leaves the version unchanged.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(version)); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationVersion reads N from "migrations/NNNN_verb_noun.sql".
func migrationVersion(name string) (int, error) {
	base := filepath.Base(name)
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("store: migration %q is not named NNNN_verb_noun.sql", name)
	}
	return v, nil
}

// SchemaVersion is the number of the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// CannotStore reports whether err says that a write could not be kept for
// a while, whatever the request: the disk (or the database's size limit)
// is full, the disk failed a write, or the database file is gone. The
// writer answers 503 and keeps what the user sent, so that nothing is lost.
func CannotStore(err error) bool {
	return errors.Is(err, ErrDatabaseGone) || errors.Is(err, errCheckFile) ||
		sqliteCode(err, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
}

// IsBusy reports whether err is SQLite saying that the database stayed
// locked past the busy timeout: a moment of overload, not a broken request.
func IsBusy(err error) bool { return sqliteCode(err, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) }

// sqliteCode reports whether err is a SQLite error whose primary result
// code is one of codes.
func sqliteCode(err error, codes ...int) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && slices.Contains(codes, se.Code()&0xff)
}

// Backup writes a consistent copy of the live database to path, which must
// not exist yet, while readers and writers go on (VACUUM INTO reads one
// snapshot). Restore by stopping the server and putting the copy in the
// database's place.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup %q: %w", path, os.ErrExist)
	}
	// Its own connection: the reader pool is query-only, which VACUUM INTO
	// counts as writing, and the writer must stay free for the site.
	db, err := sql.Open("sqlite", s.uri)
	if err != nil {
		return fmt.Errorf("store: backup %q: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup %q: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict,
// "ok" for a sound file.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var verdict string
	if err := s.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return "", fmt.Errorf("store: integrity check: %w", err)
	}
	return verdict, nil
}

// PoolStats is how a connection pool is doing.
type PoolStats struct {
	Open, InUse, Idle int
	WaitCount         int64
	WaitSeconds       float64
}

// PoolStats reports the writer's and the readers' pools, for metrics.
func (s *Store) PoolStats() (writer, readers PoolStats) {
	conv := func(st sql.DBStats) PoolStats {
		return PoolStats{Open: st.OpenConnections, InUse: st.InUse, Idle: st.Idle, WaitCount: st.WaitCount, WaitSeconds: st.WaitDuration.Seconds()}
	}
	return conv(s.w.Stats()), conv(s.r.Stats())
}
