package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentWritersAndReaders runs 8 comment writers and 64 readers
// against the real application over loopback HTTP for 10 seconds (or
// 200,000 requests, whichever comes first) and counts server errors and
// SQLite lock errors: both must be 0.
func TestConcurrentWritersAndReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("a 10-second load run; skipped with -short")
	}
	t.Parallel()
	s := newTestSite(t, siteFiles)
	opts := s.opts
	opts.CommentsPerMinute = 1_000_000 // every writer comes from 127.0.0.1
	e, err := New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e) // listens on 127.0.0.1
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	client.Transport = &http.Transport{MaxIdleConnsPerHost: 100}

	deadline := time.Now().Add(10 * time.Second)
	var budget atomic.Int64
	budget.Store(200_000)
	var writes, reads, serverErrors, failures atomic.Int64
	stamp := s.stamp(harbourPath, -10*time.Second)
	pages := []string{"/", harbourPath, "/archive", "/2024/06", "/search?q=quay", "/section/city", "/feed.atom"}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline) && budget.Add(-1) > 0; i++ {
				form := url.Values{"name": {"Writer"}, "body": {fmt.Sprintf("Writer %d, opinion %d.", w, i)}, "ts": {stamp}}
				resp, err := client.Post(srv.URL+harbourPath+"/comments", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
				if err != nil {
					failures.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					serverErrors.Add(1)
				} else if resp.StatusCode == http.StatusSeeOther {
					writes.Add(1)
				}
			}
		})
	}
	for r := range 64 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline) && budget.Add(-1) > 0; i++ {
				resp, err := client.Get(srv.URL + pages[(r+i)%len(pages)])
				if err != nil {
					failures.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					serverErrors.Add(1)
				} else {
					reads.Add(1)
				}
			}
		})
	}
	wg.Wait()
	logs := s.logs.String()
	locked := strings.Count(logs, "database is locked") + strings.Count(logs, "SQLITE_BUSY")
	report := fmt.Sprintf("concurrency: %d comments written, %d pages read, %d server errors, %d lock errors, %d client failures",
		writes.Load(), reads.Load(), serverErrors.Load(), locked, failures.Load())
	t.Log(report)
	fmt.Println(report)
	if serverErrors.Load() != 0 || locked != 0 || failures.Load() != 0 || writes.Load() == 0 || reads.Load() == 0 {
		t.Error(report)
	}
	counts, err := s.store.CommentCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stored := counts["pending"]; int64(stored) != writes.Load() {
		t.Errorf("%d comments acknowledged, %d stored", writes.Load(), stored)
	}
}
