//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/store"
)

// TestKillDuringCommentBurst builds the real binary, sends 1,200 comments
// from 8 clients, kills the process with SIGKILL after about half were
// answered, and checks that every comment answered 303 is in the database
// and the file passes integrity_check.
func TestKillDuringCommentBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary; skipped with -short")
	}
	t.Parallel()
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "site.db")
	args := []string{"--addr", "127.0.0.1:0", "--db", db, "--comment-rate", "1000"}
	site := serve(t, bin, 0, args...)
	cmd, base := site.cmd, site.base

	const article = "/2024/06/20/night-market-opens-on-the-harbour"
	resp, err := http.Get(base + article)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="ts" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no form timestamp on the article page")
	}
	ts := string(m[1])
	time.Sleep(2100 * time.Millisecond) // a person takes longer than 2 s to write

	const total, clients = 1200, 8
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var mu sync.Mutex
	var acked []string
	var killOnce sync.Once
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := c; i < total; i += clients {
				body := fmt.Sprintf("Burst opinion %d from client %d.", i, c)
				form := url.Values{"name": {"Burst"}, "body": {body}, "ts": {ts}}
				resp, err := client.Post(base+article+"/comments", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
				if err != nil {
					continue // after the kill
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked = append(acked, body)
					n := len(acked)
					mu.Unlock()
					if n >= total/2 {
						killOnce.Do(func() { cmd.Process.Signal(syscall.SIGKILL) })
					}
				}
			}
		})
	}
	wg.Wait()
	cmd.Wait()

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatalf("open after the kill: %v", err)
	}
	defer st.Close()
	verdict, err := st.IntegrityCheck(ctx)
	if err != nil || verdict != "ok" {
		t.Errorf("integrity_check: %q, %v", verdict, err)
	}
	stored, err := st.Comments(ctx, "", 10_000, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range stored {
		have[c.Body] = true
	}
	lost := 0
	for _, b := range acked {
		if !have[b] {
			lost++
		}
	}
	report := fmt.Sprintf("kill -9: %d posts sent, %d acknowledged, %d found, %d lost, integrity %s", total, len(acked), len(acked)-lost, lost, verdict)
	t.Log(report)
	fmt.Println(report)
	if lost != 0 || len(acked) < total/2 {
		t.Error(report)
	}
	st.Close()

	// And the site starts again on the same file.
	again := serve(t, bin, 0, args...)
	resp, err = http.Get(again.base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("healthz after restart: %v %v", resp, err)
	}
	again.stop(t)
}

// TestServerTimeoutsAndLimits checks the real server's defences against
// slow and oversized requests: a client that never finishes its headers is
// cut off after the read-header timeout, and headers over the cap get 431.
func TestServerTimeoutsAndLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the 5-second header timeout; skipped with -short")
	}
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "site.db")}, strings.NewReader(""), io.Discard, pw, envMap(nil))
		pw.Close()
	}()
	var base string
	var logs syncBuffer
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(` url=(http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go io.Copy(&logs, pr)
	if base == "" {
		t.Fatal("server did not start")
	}
	host := strings.TrimPrefix(base, "http://")

	// Oversized headers.
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Header.Set("X-Padding", strings.Repeat("x", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KiB of headers: got %d, want 431", resp.StatusCode)
	}

	// A slow client: half a request, then silence.
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nX-Slow: 1\r\n", host)
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, err = io.ReadAll(conn) // returns when the server closes the connection
	if waited := time.Since(start); err != nil || waited > 10*time.Second {
		t.Errorf("slow client held the connection %v (%v), want it closed after about 5 s", waited, err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit code %d", code)
	}
}

// TestGracefulShutdownFinishesRequests stops the server while a request's
// body is still arriving: the request is answered, then serve returns 0.
func TestGracefulShutdownFinishesRequests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "site.db")}, strings.NewReader(""), io.Discard, pw, envMap(nil))
		pw.Close()
	}()
	var base string
	var logs syncBuffer
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(` url=(http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go io.Copy(&logs, pr)
	if base == "" {
		t.Fatal("server did not start")
	}
	host := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	form := "name=Late&body=" + url.QueryEscape("Sent while the server stops.")
	fmt.Fprintf(conn, "POST /2024/06/20/night-market-opens-on-the-harbour/comments HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", host, len(form), form[:10])
	// The request is in flight when the server says so (the scrape counts
	// itself); the rest of its body is sent once the server is stopping.
	for deadline := time.Now().Add(10 * time.Second); inFlight(t, base) < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the server")
		}
	}
	cancel() // SIGTERM
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "shutting down"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server did not start stopping")
		}
	}
	fmt.Fprint(conn, form[10:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !(strings.HasPrefix(status, "HTTP/1.1 3") || strings.HasPrefix(status, "HTTP/1.1 4")) {
		t.Errorf("in-flight request: %q, %v; want it answered", status, err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit code %d, want 0", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestJSONLogs checks --log-format json: one JSON object a line, with the
// request's fields.
func TestJSONLogs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "site.db"), "--log-format", "json"}, strings.NewReader(""), io.Discard, pw, envMap(nil))
		pw.Close()
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	for base == "" {
		select {
		case l := <-lines:
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("log line is not JSON: %q", l)
			}
			if rec["msg"] == "serving" {
				base, _ = rec["url"].(string)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("server did not start")
		}
	}
	resp, err := http.Get(base + "/archive")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case l := <-lines:
			var rec map[string]any
			if json.Unmarshal([]byte(l), &rec) != nil || rec["msg"] != "request" {
				continue
			}
			for _, key := range []string{"method", "path", "status", "duration", "bytes", "client_ip", "request_id"} {
				if _, ok := rec[key]; !ok {
					t.Errorf("request log lacks %q: %s", key, l)
				}
			}
			if rec["path"] != "/archive" || rec["client_ip"] != "127.0.0.1" {
				t.Errorf("request log: %s", l)
			}
			cancel()
			<-done
			return
		case <-deadline:
			t.Fatal("no request log line")
		}
	}
}

// inFlight reads dateline_http_requests_in_flight from the server's
// /metrics (this machine may read it).
func inFlight(t *testing.T, base string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^dateline_http_requests_in_flight (\S+)$`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no in-flight gauge in /metrics")
	}
	n, _ := strconv.ParseFloat(string(m[1]), 64)
	return n
}

// syncBuffer is a buffer one goroutine writes while another reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
