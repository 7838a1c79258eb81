//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/store"
)

const sampleArticle = "/2024/06/20/night-market-opens-on-the-harbour"

// buildBinary builds the dateline binary into a temp folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dateline")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// served is a running binary, its address and what it has logged.
type served struct {
	cmd  *exec.Cmd
	base string
	mu   sync.Mutex
	logs strings.Builder
}

func (s *served) log() string { s.mu.Lock(); defer s.mu.Unlock(); return s.logs.String() }

// logged waits (10 s at most) for the server to log a line holding want:
// its log is read as it comes, after the answers that follow it.
func (s *served) logged(want string) bool {
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.log(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// serve starts the binary; fileLimit, when not 0, is the largest file it
// may write (RLIMIT_FSIZE): past it a write fails as on a full disk.
// Setting the limit is process-wide, so the tests that use it do not run
// in parallel with others, and it is set only while the child is made.
func serve(t *testing.T, bin string, fileLimit uint64, args ...string) *served {
	t.Helper()
	s := &served{cmd: exec.Command(bin, args...)}
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if fileLimit != 0 {
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: fileLimit, Max: old.Max}); err != nil {
			t.Fatal(err)
		}
	}
	err = s.cmd.Start()
	if fileLimit != 0 {
		if rerr := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); rerr != nil {
			t.Fatal(rerr)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := regexp.MustCompile(` url=(http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case s.base = <-found:
		return s
	case <-time.After(60 * time.Second):
		t.Fatalf("the binary did not start:\n%s", s.log())
		return nil
	}
}

func (s *served) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

// postComments posts comments to the sample article until one is refused or
// limit are sent, and returns the texts answered 303 and the refusal.
func (s *served) postComments(t *testing.T, prefix string, limit int) (acked []string, refused *http.Response, page string) {
	t.Helper()
	resp, err := http.Get(s.base + sampleArticle)
	if err != nil {
		t.Fatalf("%v; the server's log:\n%s", err, s.log())
	}
	form, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="ts" value="([^"]+)"`).FindSubmatch(form)
	if m == nil {
		t.Fatal("no form timestamp on the article page")
	}
	time.Sleep(2100 * time.Millisecond) // a person takes longer than 2 s to write
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range limit {
		text := fmt.Sprintf("%s opinion number %d, with a few words more.", prefix, i)
		resp, err := client.Post(s.base+sampleArticle+"/comments", "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"name": {"Reader " + prefix}, "body": {text}, "ts": {string(m[1])}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return acked, resp, string(body)
		}
		acked = append(acked, text)
	}
	return acked, nil, ""
}

// storedComments are the texts of the comments in db.
func storedComments(t *testing.T, db string) map[string]bool {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.Comments(context.Background(), comment.Pending, 100_000, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range list {
		have[c.Body] = true
	}
	return have
}

// TestFullDiskKeepsTheComment runs the binary with a file size limit just
// above its database, so that writes soon fail as on a full disk: opinions
// are taken until then, the first that cannot be stored is answered 503
// with the reader's text and a message, and after a restart every opinion
// that was answered 303 is there.
func TestFullDiskKeepsTheComment(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "site.db")
	args := []string{"--addr", "127.0.0.1:0", "--db", db, "--comment-rate", "1000"}
	serve(t, bin, 0, args...).stop(t) // the first start writes the samples
	// The limit is on every file the server writes: the largest of the
	// database and its WAL (left behind if the last checkpoint did not
	// finish), and a little room.
	var largest int64
	for _, f := range []string{db, db + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			largest = max(largest, fi.Size())
		}
	}
	full := serve(t, bin, uint64(largest)+64<<10, args...)
	acked, refused, page := full.postComments(t, "Full", 400)
	if refused == nil {
		t.Fatalf("400 opinions stored past the file size limit")
	}
	if refused.StatusCode != http.StatusServiceUnavailable || refused.Header.Get("Retry-After") == "" ||
		!strings.Contains(page, "We could not store your opinion just now") ||
		!strings.Contains(page, fmt.Sprintf("Full opinion number %d, with a few words more.", len(acked))) {
		t.Errorf("the refused opinion: %d, Retry-After %q, page %.300s", refused.StatusCode, refused.Header.Get("Retry-After"), page)
	}
	if !full.logged("an opinion could not be stored") {
		t.Errorf("not logged:\n%s", full.log())
	}
	full.stop(t)
	t.Logf("%d opinions taken before the disk was full", len(acked))
	have := storedComments(t, db)
	for _, text := range acked {
		if !have[text] {
			t.Errorf("answered 303 but not stored: %q", text)
		}
	}
}

// TestRemovedDatabaseRefusesWrites deletes the database's files under the
// running binary, as the attack on the running site did: /healthz says so,
// an opinion is answered 503 with its text kept, the log says why, and a
// restart starts empty instead of re-importing the samples.
func TestRemovedDatabaseRefusesWrites(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "site.db")
	args := []string{"--addr", "127.0.0.1:0", "--db", db}
	site := serve(t, bin, 0, args...)
	if acked, refused, page := site.postComments(t, "Before", 1); len(acked) != 1 {
		t.Fatalf("an opinion before the removal: %v %.200s", refused, page)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.Get(site.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz with the database removed: %d, want 503", resp.StatusCode)
	}
	acked, refused, page := site.postComments(t, "After", 5)
	if len(acked) != 0 || refused == nil || refused.StatusCode != http.StatusServiceUnavailable ||
		!strings.Contains(page, "After opinion number 0, with a few words more.") {
		t.Errorf("opinions after the removal: %d answered 303, refusal %v", len(acked), refused)
	}
	if !site.logged("the database cannot be written") {
		t.Fatalf("the removal was not logged:\n%s", site.log())
	}
	site.stop(t)
	again := serve(t, bin, 0, args...)
	defer again.stop(t)
	resp, err = http.Get(again.base + sampleArticle)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !again.logged("Dateline served it before") {
		t.Errorf("after a restart: the sample article answers %d (want 404: no samples); log:\n%s", resp.StatusCode, again.log())
	}
}
