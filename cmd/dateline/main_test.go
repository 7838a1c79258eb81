package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// runCmd runs the command in process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, envMap(nil))
	return code, out.String(), errOut.String()
}

// runCmdEnv runs the command in process with the environment env; a
// serve that should have failed stops after 30 seconds.
func runCmdEnv(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errOut, envMap(env))
	return code, out.String(), errOut.String()
}

func TestParseServeConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want serveConfig
		err  bool
	}{
		{"defaults", nil, nil, serveConfig{siteConfig: siteConfig{DB: "data/dateline.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
			Addr: "localhost:8080", Content: "content", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: defaultBaseURL, LogFormat: "text", CommentRate: 5}, false},
		{"environment", nil, map[string]string{"DATELINE_ADDR": "127.0.0.1:9000", "DATELINE_DB": "/tmp/x.db", "DATELINE_CONTENT": "articles",
			"DATELINE_ZONE": "Europe/Paris", "DATELINE_ZONE_LABEL": "Paris Time", "DATELINE_LOG_FORMAT": "json", "DATELINE_BASE_URL": "https://news.example/"},
			serveConfig{siteConfig: siteConfig{DB: "/tmp/x.db", Zone: "Europe/Paris", ZoneLabel: "Paris Time"},
				Addr: "127.0.0.1:9000", Content: "articles", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: "https://news.example", LogFormat: "json", CommentRate: 5}, false},
		{"flags beat environment", []string{"--addr", ":1", "--db=f.db", "--content", "c"}, map[string]string{"DATELINE_ADDR": "127.0.0.1:9000", "DATELINE_DB": "e.db"},
			serveConfig{siteConfig: siteConfig{DB: "f.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
				Addr: ":1", Content: "c", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: defaultBaseURL, LogFormat: "text", CommentRate: 5}, false},
		{"bad log format", []string{"--log-format", "xml"}, nil, serveConfig{}, true},
		{"relative base URL", []string{"--base-url", "news.example"}, nil, serveConfig{}, true},
		{"trusted proxies", []string{"--trusted-proxies", "10.0.0.0/8, 192.0.2.7"}, nil, serveConfig{
			siteConfig: siteConfig{DB: "data/dateline.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
			Addr:       "localhost:8080", Content: "content", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: defaultBaseURL, LogFormat: "text", CommentRate: 5,
			TrustedProxies: []*net.IPNet{{IP: net.IPv4(10, 0, 0, 0).To4(), Mask: net.CIDRMask(8, 32)}, {IP: net.IPv4(192, 0, 2, 7).To4(), Mask: net.CIDRMask(32, 32)}},
		}, false},
		{"bad trusted proxy", []string{"--trusted-proxies", "10.0.0.0/99"}, nil, serveConfig{}, true},
		{"comment rate zero", []string{"--comment-rate", "0"}, nil, serveConfig{}, true},
		{"base URL with a path", []string{"--base-url", "https://news.example/site"}, nil, serveConfig{}, true},
		{"javascript base URL", []string{"--base-url", "javascript:alert(1)"}, nil, serveConfig{}, true},
		{"stray argument", []string{"extra"}, nil, serveConfig{}, true},
		{"unknown flag", []string{"--nope"}, nil, serveConfig{}, true},
		{"cache flags", []string{"--no-cache", "--cache-size", "8", "--cache-max-age", "5m", "--cache-stale", "1h", "--comment-rate", "100000"}, nil,
			serveConfig{siteConfig: siteConfig{DB: "data/dateline.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
				Addr: "localhost:8080", Content: "content", SiteName: "Dateline", Tagline: "News from the city and the coast",
				BaseURL: "http://localhost:8080", LogFormat: "text", CommentRate: 100000,
				NoCache: true, CacheMB: 8, MaxAge: 5 * time.Minute, StaleWhile: time.Hour}, false},
		{"yes/no variables in their usual spellings", nil, map[string]string{"DATELINE_SECURE_COOKIES": "1", "DATELINE_NO_CACHE": "yes",
			"DATELINE_COMMENT_RATE": "20", "DATELINE_CACHE_STALE": "90s"},
			serveConfig{siteConfig: siteConfig{DB: "data/dateline.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
				Addr: "localhost:8080", Content: "content", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: defaultBaseURL, LogFormat: "text",
				CommentRate: 20, SecureCookies: true, NoCache: true, CacheMB: 32, MaxAge: time.Minute, StaleWhile: 90 * time.Second}, false},
		{"a flag beats a variable", []string{"--secure-cookies=false"}, map[string]string{"DATELINE_SECURE_COOKIES": "on"},
			serveConfig{siteConfig: siteConfig{DB: "data/dateline.db", Zone: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time"},
				Addr: "localhost:8080", Content: "content", SiteName: "Dateline", Tagline: defaultTagline, BaseURL: defaultBaseURL, LogFormat: "text", CommentRate: 5}, false},
		// Bad values stop the start instead of leaving the default quietly.
		{"bad number in a variable", nil, map[string]string{"DATELINE_COMMENT_RATE": "lots"}, serveConfig{}, true},
		{"bad duration in a variable", nil, map[string]string{"DATELINE_CACHE_MAX_AGE": "an hour"}, serveConfig{}, true},
		{"bad yes/no in a variable", nil, map[string]string{"DATELINE_NO_CACHE": "maybe"}, serveConfig{}, true},
		{"cache size zero", []string{"--cache-size", "0"}, nil, serveConfig{}, true},
		{"negative max age", []string{"--cache-max-age", "-1s"}, nil, serveConfig{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseServeConfig(tc.args, envMap(tc.env), io.Discard)
			if tc.err {
				if err == nil {
					t.Errorf("got %+v, want an error", got)
				}
				return
			}
			got.trustedList, got.from = "", source{}
			if tc.want.CacheMB == 0 { // the cache's defaults, unless the case sets its own
				tc.want.CacheMB, tc.want.MaxAge, tc.want.StaleWhile = 32, time.Minute, 10*time.Minute
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, %v\nwant %+v", got, err, tc.want)
			}
		})
	}
}

// TestBadValuesNameTheirSource starts commands with values that parse but
// are refused, or that fail when used at start: the message names the
// environment variable and its text when the value came from there, and
// the flag when the command line gave it. Every case fails before it
// writes anything, so they share one folder.
func TestBadValuesNameTheirSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, missing := filepath.Join(dir, "site.db"), filepath.Join(dir, "missing", "site.db")
	serve := []string{"serve", "--addr", "127.0.0.1:0", "--db", db}
	t.Cleanup(func() { // after the cases, which run in parallel
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after the failed starts (%v), want nothing made", db, err)
		}
	})
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want []string // in the message
		not  string   // not in it
	}{
		{"log format", serve, map[string]string{"DATELINE_LOG_FORMAT": "xml"}, 2, []string{"DATELINE_LOG_FORMAT", `"xml"`}, "--log-format"},
		{"relative base URL", serve, map[string]string{"DATELINE_BASE_URL": "news.example"}, 2, []string{"DATELINE_BASE_URL", `"news.example"`}, "--base-url"},
		{"base URL with a path", serve, map[string]string{"DATELINE_BASE_URL": "https://news.example/site"}, 2,
			[]string{"DATELINE_BASE_URL", `"https://news.example/site"`}, "--base-url"},
		{"comment rate zero", serve, map[string]string{"DATELINE_COMMENT_RATE": "0"}, 2, []string{"DATELINE_COMMENT_RATE", `"0"`}, "--comment-rate"},
		{"comment rate not a number", serve, map[string]string{"DATELINE_COMMENT_RATE": "lots"}, 2, []string{"DATELINE_COMMENT_RATE", `"lots"`}, ""},
		{"trusted proxy", serve, map[string]string{"DATELINE_TRUSTED_PROXIES": "10.0.0.0/99"}, 2,
			[]string{"DATELINE_TRUSTED_PROXIES", `"10.0.0.0/99"`}, "--trusted-proxies"},
		{"cache size", serve, map[string]string{"DATELINE_CACHE_SIZE": "0x20000"}, 2, []string{"DATELINE_CACHE_SIZE", `"0x20000"`}, "--cache-size"},
		{"negative max age", serve, map[string]string{"DATELINE_CACHE_MAX_AGE": "-90s"}, 2, []string{"DATELINE_CACHE_MAX_AGE", `"-90s"`}, "--cache-max-age"},
		{"negative stale time", serve, map[string]string{"DATELINE_CACHE_STALE": "-1h"}, 2, []string{"DATELINE_CACHE_STALE", `"-1h"`}, "--cache-stale"},
		{"yes/no", serve, map[string]string{"DATELINE_NO_CACHE": "maybe"}, 2, []string{"DATELINE_NO_CACHE", `"maybe"`}, ""},
		{"zone of serve", serve, map[string]string{"DATELINE_ZONE": "Mars/Olympus"}, 1, []string{"DATELINE_ZONE", `"Mars/Olympus"`}, "--zone"},
		{"zone of import", []string{"import", "--db", db, dir}, map[string]string{"DATELINE_ZONE": "Mars/Olympus"}, 1,
			[]string{"DATELINE_ZONE", `"Mars/Olympus"`}, "--zone"},
		{"zone of demo-data", []string{"demo-data", "--articles", "1", "--db", db}, map[string]string{"DATELINE_ZONE": "Mars/Olympus"}, 1,
			[]string{"DATELINE_ZONE", `"Mars/Olympus"`}, "--zone"},
		{"database of comments", []string{"comments", "list"}, map[string]string{"DATELINE_DB": missing}, 1, []string{"DATELINE_DB", missing}, "--db"},
		{"database of user", []string{"user", "list"}, map[string]string{"DATELINE_DB": missing}, 1, []string{"DATELINE_DB", missing}, "--db"},
		{"database of backup", []string{"backup", filepath.Join(dir, "copy.db")}, map[string]string{"DATELINE_DB": missing}, 1,
			[]string{"DATELINE_DB", missing}, "--db"},
		// The command line gives the value: the flag is named, even when
		// the variable is set too.
		{"log format flag", slices.Concat(serve, []string{"--log-format", "xml"}), map[string]string{"DATELINE_LOG_FORMAT": "json"}, 2,
			[]string{"--log-format", `"xml"`}, "DATELINE_LOG_FORMAT"},
		{"cache size flag", slices.Concat(serve, []string{"--cache-size", "0"}), map[string]string{"DATELINE_CACHE_SIZE": "8"}, 2,
			[]string{"--cache-size", `"0"`}, "DATELINE_CACHE_SIZE"},
		{"zone flag", slices.Concat(serve, []string{"--zone", "Mars/Olympus"}), map[string]string{"DATELINE_ZONE": "Europe/Paris"}, 1,
			[]string{"--zone", `"Mars/Olympus"`}, "DATELINE_ZONE"},
		{"database flag", []string{"comments", "list", "--db", missing}, map[string]string{"DATELINE_DB": db}, 1, []string{"--db", missing}, "DATELINE_DB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCmdEnv(t, tc.env, tc.args...)
			if code != tc.code {
				t.Errorf("got exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			for _, want := range tc.want {
				if !strings.Contains(errOut, want) {
					t.Errorf("got stderr %q, want it to name %s", errOut, want)
				}
			}
			if tc.not != "" && strings.Contains(errOut, tc.not) {
				t.Errorf("got stderr %q, want no %s in it", errOut, tc.not)
			}
		})
	}
}

func TestHelpListsEverything(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		code, out, _ := runCmd(t, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
		for _, want := range []string{"serve", "import", "comments list", "approve|reject|spam", "user add", "user passwd", "user list",
			"-addr", "DATELINE_ADDR", "-db", "DATELINE_DB", "-content", "DATELINE_CONTENT", "-status", "-username", "-secure-cookies"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
	if code, _, errOut := runCmd(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

func writeFile(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImportReportsBadFilesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "data", "site.db")
	writeFile(t, dir, "good.md", "---\ntitle: Good\nslug: good-story\ndate: 2024-06-20T16:53:00+03:00\nunknown_key: ignored\n---\nText.\n")
	writeFile(t, dir, "second.md", "---\ntitle: Second\ndate: 2024-06-21T10:00:00+03:00\n---\nText.\n")
	writeFile(t, dir, "untitled.md", "---\nslug: x\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")
	writeFile(t, dir, "baddate.md", "---\ntitle: Bad date\nslug: y\ndate: yesterday\n---\nText.\n")
	writeFile(t, dir, "notes.txt", "not an article")

	code, out, errOut := runCmd(t, "", "import", "--db", db, dir)
	if code != 0 {
		t.Fatalf("import: exit %d, stderr %s", code, errOut)
	}
	if want := "2 created, 0 updated, 0 unchanged, 0 kept as edited, 2 skipped\n"; out != want {
		t.Errorf("first import: got %q, want %q", out, want)
	}
	for _, want := range []string{"untitled.md:1: title is missing", `baddate.md:4: date "yesterday"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, out, _ = runCmd(t, "", "import", "--db", db, dir)
	if want := "0 created, 0 updated, 2 unchanged, 0 kept as edited, 2 skipped\n"; code != 0 || out != want {
		t.Errorf("second import: got %d %q, want 0 %q", code, out, want)
	}
	writeFile(t, dir, "good.md", "---\ntitle: Good, revised\nslug: good-story\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")
	_, out, _ = runCmd(t, "", "import", "--db", db, dir)
	if want := "0 created, 1 updated, 1 unchanged, 0 kept as edited, 2 skipped\n"; out != want {
		t.Errorf("import after an edit: got %q, want %q", out, want)
	}
	// An editor changes the story in the newsroom; the file changes too:
	// the import keeps the editor's version and says so.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	found, err := st.ArticleBySlug(context.Background(), "good-story", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.ArticleByID(context.Background(), found.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Body = "The editor's corrected text."
	if err := st.UpdateArticle(context.Background(), store.ArticleSave{Article: a, BasedOn: a.Version,
		Revision: article.Revision{SavedAt: time.Now(), Username: "maya"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	writeFile(t, dir, "good.md", "---\ntitle: Good, revised again\nslug: good-story\ndate: 2024-06-20T16:53:00+03:00\n---\nOther text.\n")
	_, out, errOut = runCmd(t, "", "import", "--db", db, dir)
	if want := "0 created, 0 updated, 1 unchanged, 1 kept as edited, 2 skipped\n"; out != want || !strings.Contains(errOut, "kept good.md: its article was edited in the newsroom") {
		t.Errorf("import over a newsroom edit: got %q, stderr %q", out, errOut)
	}
	st, err = store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if a, _ := st.ArticleByID(context.Background(), a.ID); a.Body != "The editor's corrected text." {
		t.Errorf("the import overwrote the editor's text: %q", a.Body)
	}
	if code, _, _ := runCmd(t, "", "import", "--db", db); code != 2 {
		t.Errorf("import without a folder: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "", "import", "--db", db, filepath.Join(dir, "missing")); code != 2 {
		t.Errorf("import of a missing folder: exit %d, want 2", code)
	}
}

// TestCommentsCommandWhileServing moderates from the command line while
// another store (as a running server would) holds the same file open.
func TestCommentsCommandWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "site.db")
	writeFile(t, dir, "a.md", "---\ntitle: A\nslug: story-a\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")
	if code, _, errOut := runCmd(t, "", "import", "--db", db, dir); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	ctx := context.Background()
	live, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	a, err := live.ArticleBySlug(ctx, "story-a", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, body := range []string{"First\tcomment\nwith lines", strings.Repeat("long ", 30), "third"} {
		id, err := live.AddComment(ctx, comment.Comment{ArticleID: a.ID, Name: fmt.Sprintf("Reader %d", i), Body: body,
			Status: comment.Pending, CreatedAt: time.Date(2024, 6, 21, 10, i, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}

	code, out, errOut := runCmd(t, "", "comments", "list", "--db", db, "--status", "pending")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("list: got %d lines, want 3:\n%s", len(lines), out)
	}
	// Newest first; tab-separated id, status, slug, name, first 60 characters.
	if want := fmt.Sprintf("%d\tpending\tstory-a\tReader 1\t%s", ids[1], strings.Repeat("long ", 12)); lines[1] != want {
		t.Errorf("list line: got %q, want %q", lines[1], want)
	}
	if want := fmt.Sprintf("%d\tpending\tstory-a\tReader 0\tFirst comment with lines", ids[0]); lines[2] != want {
		t.Errorf("list line: got %q, want %q", lines[2], want)
	}

	for _, tc := range []struct {
		action string
		want   comment.Status
	}{{"approve", comment.Approved}, {"reject", comment.Rejected}, {"spam", comment.Spam}} {
		code, _, errOut := runCmd(t, "", "comments", tc.action, "--db", db, fmt.Sprint(ids[0]), fmt.Sprint(ids[2]))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.action, code, errOut)
		}
		list, err := live.Comments(ctx, tc.want, 10, 0)
		if err != nil || len(list) != 2 {
			t.Errorf("after %s: %d comments are %s (%v), want 2", tc.action, len(list), tc.want, err)
		}
	}
	_, out, _ = runCmd(t, "", "comments", "list", "--db", db)
	if n := strings.Count(out, "\n"); n != 3 {
		t.Errorf("list of all: got %d lines, want 3", n)
	}
	// Each change is in the audit log, by the command line.
	entries, err := live.AuditLog(ctx, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	byCommandLine := 0
	for _, e := range entries {
		if e.Username == "command line" && e.Action == audit.CommentStatus {
			byCommandLine++
		}
	}
	if byCommandLine != 6 {
		t.Errorf("audit entries by the command line: %d, want 6 (three actions on two comments)", byCommandLine)
	}
	for _, args := range [][]string{
		{"comments"}, {"comments", "approve", "--db", db}, {"comments", "approve", "--db", db, "abc"},
		{"comments", "list", "--db", db, "--status", "deleted"}, {"comments", "bury", "--db", db, "1"},
	} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errOut := runCmd(t, "", "comments", "approve", "--db", db, "999999"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("approve of a missing id: exit %d, stderr %q", code, errOut)
	}
}

// TestServeSeedsEmptyDatabaseAndShutsDown runs the serve command in
// process: on an empty database it imports the built-in samples (the test
// runs where no ./content folder exists), serves them, and stops cleanly
// when its context ends.
func TestServeSeedsEmptyDatabaseAndShutsDown(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "new", "site.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", db}, strings.NewReader(""), io.Discard, pw, envMap(nil))
		pw.Close()
	}()
	var logs strings.Builder
	url, setup := "", ""
	sc := bufio.NewScanner(pr)
	for lines := 0; setup == "" && lines < 20 && sc.Scan(); lines++ {
		logs.WriteString(sc.Text() + "\n")
		if m := regexp.MustCompile(` url=(http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
		}
		if m := regexp.MustCompile(`setup_url="?(http://[^"\s]+)`).FindStringSubmatch(sc.Text()); m != nil {
			setup = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" {
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "from=\"built-in samples\"") || !strings.Contains(logs.String(), "sample_comments=") {
		t.Errorf("seeding not logged:\n%s", logs.String())
	}
	resp, err := http.Get(url + "/2024/06/20/night-market-opens-on-the-harbour")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("Thu 20 Jun 2024 1:30 am - Jerusalem Time")) ||
		!bytes.Contains(page, []byte(`class="opinion"`)) {
		t.Errorf("sample article: status %d, dateline or sample opinions missing", resp.StatusCode)
	}
	// With no user yet, the log carries a one-time link to create the
	// first admin.
	resp, err = http.Get(setup)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("setup link %q: %v %v", setup, resp.StatusCode, err)
	}
	resp.Body.Close()
	resp, err = http.Get(url + "/static/css/site.css")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("embedded CSS: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit code after shutdown: %d, want 0", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
	// Starting again on the same database seeds nothing more.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, _ := st.Comments(context.Background(), "", 1000, 0)
	zone, _ := siteConfig{Zone: defaultZone, ZoneLabel: defaultZoneLabel}.zone()
	if err := seedFirstStart(context.Background(), st, db, true, defaultContent, zone, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	after, _ := st.Comments(context.Background(), "", 1000, 0)
	n, _ := st.ArticleCount(context.Background())
	if n < 15 || len(before) == 0 || len(after) != len(before) {
		t.Errorf("got %d articles and %d then %d comments; want at least 15 articles, comments unchanged", n, len(before), len(after))
	}
}

// TestDeletedDatabaseIsNotReseeded deletes a served database's files, as
// the attack on the running site did, and starts again: the site comes up
// empty, without the samples, and the log says why.
func TestDeletedDatabaseIsNotReseeded(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "site.db")
	zone, _ := siteConfig{Zone: defaultZone, ZoneLabel: defaultZoneLabel}.zone()
	ctx := context.Background()
	start := func(existed bool) (articles int, logs string) {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var b strings.Builder
		if err := seedFirstStart(ctx, st, db, existed, defaultContent, zone, slog.New(slog.NewTextHandler(&b, nil))); err != nil {
			t.Fatal(err)
		}
		n, err := st.ArticleCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n, b.String()
	}
	first, _ := start(false)
	if first < 15 {
		t.Fatalf("first start: %d articles, want the samples", first)
	}
	// A database from before the marker keeps its articles and gets one.
	os.Remove(startedMarker(db))
	if n, _ := start(true); n != first {
		t.Errorf("a database without the marker: %d articles, want %d", n, first)
	}
	if _, err := os.Stat(startedMarker(db)); err != nil {
		t.Errorf("no marker after the start: %v", err)
	}
	// As "rm site.db*" would.
	matches, err := filepath.Glob(db + "*")
	if err != nil || len(matches) == 0 {
		t.Fatalf("glob: %v %v", matches, err)
	}
	for _, f := range matches {
		os.Remove(f)
	}
	n, logs := start(false)
	if n != 0 || !strings.Contains(logs, "Dateline served it before") {
		t.Errorf("after the database was deleted: %d articles, logs %q; want none and the reason", n, logs)
	}
}

func TestServeRefusesMissingContentFolder(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "site.db")
	code, _, errOut := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--db", db, "--content", filepath.Join(t.TempDir(), "nowhere"))
	if code != 1 || !strings.Contains(errOut, "content folder") {
		t.Errorf("exit %d, stderr %q; want 1 naming the content folder", code, errOut)
	}
}

func TestFlagHelpAndMistakes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"import", "--help"}, {"comments", "--help"}, {"comments", "list", "--help"}, {"user", "--help"}, {"serve", "-h"}} {
		code, _, errOut := runCmd(t, "", args...)
		if code != 0 || !strings.Contains(errOut, "-db") {
			t.Errorf("%v: exit %d, output %q; want 0 and the flags", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"serve", "--bogus"}, {"import", "--nope", "x"}, {"comments", "list", "--limit", "0"}, {"user", "add", "--role", "root", "--username", "x1"}} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestCommandsNeedAnExistingDatabase checks that the commands that look
// after a site fail on a database path with nothing there, and make no
// file of it (a mistyped --db once gave an empty "backed up" copy).
func TestCommandsNeedAnExistingDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "wrong", "path.db")
	copyPath := filepath.Join(dir, "copy.db")
	for _, args := range [][]string{
		{"backup", "--db", missing, copyPath},
		{"comments", "list", "--db", missing},
		{"comments", "approve", "--db", missing, "1"},
		{"user", "list", "--db", missing},
		{"user", "add", "--db", missing, "--username", "maya", "--role", "admin"},
		{"user", "passwd", "--db", missing, "maya"},
	} {
		code, out, errOut := runCmd(t, "a long enough phrase\n", args...)
		if code != 1 || !strings.Contains(errOut, "no database at "+missing) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and no database at %s", args, code, out, errOut, missing)
		}
	}
	for _, p := range []string{missing, filepath.Dir(missing), copyPath} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after the commands (%v), want nothing made", p, err)
		}
	}
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "site.db")
	st, err := store.Open(context.Background(), db) // as the first start of the site makes it
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut := runCmd(t, "a long enough phrase\n", "user", "add", "--db", db, "--username", "maya", "--role", "admin", "--name", "Maya Ben-Ami")
	if code != 0 || !strings.HasPrefix(out, "added maya (admin), id ") {
		t.Fatalf("user add: exit %d, %q %q", code, out, errOut)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"a long enough phrase\n", []string{"user", "add", "--db", db, "--username", "maya"}, "exists already"},
		{"short\n", []string{"user", "add", "--db", db, "--username", "noa"}, "at least 10 characters"},
		{"password123\n", []string{"user", "add", "--db", db, "--username", "noa"}, "most common passwords"},
		{"", []string{"user", "add", "--db", db, "--username", "noa"}, "standard input"},
		{"a long enough phrase\n", []string{"user", "add", "--db", db, "--username", "Bad Name"}, "--username"},
		{"another long phrase\n", []string{"user", "passwd", "--db", db, "nobody"}, "not found"},
	} {
		if code, _, errOut := runCmd(t, tc.stdin, tc.args...); code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a failure mentioning %q", tc.args, code, errOut, tc.want)
		}
	}
	if code, _, errOut := runCmd(t, "another long phrase\r\n", "user", "passwd", "--db", db, "maya"); code != 0 {
		t.Fatalf("user passwd: %d %s", code, errOut)
	}
	runCmd(t, "editor password here\n", "user", "add", "--db", db, "--username", "noa")
	_, out, _ = runCmd(t, "", "user", "list", "--db", db)
	if !strings.Contains(out, "\tmaya\tadmin\tactive\tMaya Ben-Ami\n") || !strings.Contains(out, "\tnoa\teditor\tactive\t\n") {
		t.Errorf("user list: got %q", out)
	}
	st, err = store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByUsername(context.Background(), "maya")
	if err != nil {
		t.Fatal(err)
	}
	h := account.NewHasher(1)
	if ok, _ := h.Verify(context.Background(), u.PasswordHash, "another long phrase"); !ok {
		t.Error("the changed password (read without its CR LF) does not verify")
	}
}

// TestBackupUnderWriteLoad backs up while another store keeps writing, as
// a running server would, opens the copy, and proves the overlap: writes
// went on while the backup ran, and the copy holds a moment between them
// (every comment written before the backup began, none written after it
// ended).
func TestBackupUnderWriteLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "site.db")
	writeFile(t, dir, "a.md", "---\ntitle: A\nslug: story-a\ndate: 2024-06-20T16:53:00+03:00\n---\nText.\n")
	if code, _, errOut := runCmd(t, "", "import", "--db", db, dir); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	ctx := context.Background()
	live, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	found, _ := live.ArticleBySlug(ctx, "story-a", time.Now())
	// Enough in the database that copying it takes a while.
	bulk := make([]comment.Comment, 20_000)
	for i := range bulk {
		bulk[i] = comment.Comment{Name: "Old", Body: strings.Repeat("An earlier opinion. ", 10) + fmt.Sprint(i), Status: comment.Approved, CreatedAt: time.Now()}
	}
	if err := live.AddArticles(ctx, []article.Article{{Slug: "bulk", Headline: "Bulk", Body: "B", HTML: "<p>B</p>", Language: "en",
		Status: article.Published, PublishedAt: time.Now(), UpdatedAt: time.Now()}}, [][]comment.Comment{bulk}); err != nil {
		t.Fatal(err)
	}
	var written atomic.Int64 // comments by the writer, committed
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100_000; i++ { // bounded: stops when told, or after 100,000
			select {
			case <-stop:
				return
			default:
			}
			if _, err := live.AddComment(ctx, comment.Comment{ArticleID: found.ID, Name: "W", Body: fmt.Sprint(i), Status: comment.Approved, CreatedAt: time.Now()}); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() == 0 { // the writer is under way
		select {
		case <-done:
			t.Fatal("the writer stopped before it began")
		default:
			runtime.Gosched()
		}
	}
	before := written.Load()
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	code, out, errOut := runCmd(t, "", "backup", "--db", db, copyPath)
	after := written.Load()
	close(stop)
	<-done
	if code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d, %q %q", code, out, errOut)
	}
	back, err := store.Open(ctx, copyPath)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer back.Close()
	copied, err := back.ApprovedComments(ctx, found.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("writes before the backup %d, in the copy %d, by its end %d", before, len(copied), after)
	if after <= before {
		t.Errorf("no write overlapped the backup (%d before, %d after)", before, after)
	}
	if int64(len(copied)) < before || int64(len(copied)) > after {
		t.Errorf("the copy holds %d of the writer's comments, not a moment between %d and %d", len(copied), before, after)
	}
	if err := back.Ping(ctx); err != nil {
		t.Errorf("backup does not answer: %v", err)
	}
	if code, _, _ := runCmd(t, "", "backup", "--db", db, copyPath); code != 1 {
		t.Errorf("backup over an existing file: exit %d, want 1", code)
	}
}
