package server

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestCostlyPagesAreGated fills the gate of costly pages, as a flood of
// searches would, and checks that they are refused with 503 and
// Retry-After while every cheap page (and a costly one the cache already
// holds) is answered; that a request finding the gate full waits for a
// turn when it may; and that the gate opens again.
func TestCostlyPagesAreGated(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	g := &gate{slots: make(chan struct{}, 1), maxWaiting: 0, maxWait: time.Minute}
	s.opts.costly = g
	s.rebuild()
	cheap := []string{"/", harbourPath, "/archive", "/2024/06", "/section/city", "/tag/markets", "/corrections", "/sitemap.xml", "/robots.txt", "/healthz"}
	costly := []string{"/search?q=quay", "/feed.atom", "/feed.rss", "/section/city/feed.atom", "/tag/markets/feed.rss", "/sitemap-1.xml", "/news-sitemap.xml"}
	assertStatus(t, s.get("/search?q=market"), http.StatusOK) // now in the page cache

	g.slots <- struct{}{} // a costly request in flight, the only one allowed
	for _, target := range costly {
		rec := s.get(target)
		assertStatus(t, rec, http.StatusServiceUnavailable)
		if rec.Header().Get("Retry-After") != strconv.Itoa(costlyRetryAfter) || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Retry-After %q, Cache-Control %q", target, rec.Header().Get("Retry-After"), rec.Header().Get("Cache-Control"))
		}
	}
	for _, target := range append(cheap, "/search?q=market") {
		assertStatus(t, s.get(target), http.StatusOK)
	}

	// With room to wait, a request waits for the slot and is answered once
	// the request in flight is done.
	g.maxWaiting = 1
	answered := make(chan *httptest.ResponseRecorder)
	go func() { answered <- s.do(httptest.NewRequest(http.MethodGet, "/search?q=night", nil)) }()
	for deadline := time.Now().Add(10 * time.Second); g.waiting.Load() != 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request did not wait at the gate")
		}
	}
	assertStatus(t, s.get("/feed.atom"), http.StatusServiceUnavailable) // the one place to wait is taken
	<-g.slots
	assertStatus(t, <-answered, http.StatusOK)
	for _, target := range costly {
		assertStatus(t, s.get(target), http.StatusOK)
	}
	if len(g.slots) != 0 || g.waiting.Load() != 0 {
		t.Errorf("after the requests, %d slots held and %d waiting", len(g.slots), g.waiting.Load())
	}
}
