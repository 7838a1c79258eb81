package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	opts := s.opts
	opts.MetricsToken = "scrape-token"
	e, err := New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	s.e = e
	s.get("/")
	s.get("/nonsense")
	// Answers from the page cache are counted under their route too.
	first := s.get("/archive")
	s.get("/archive")
	req := httptest.NewRequest(http.MethodGet, "/archive", nil)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	assertStatus(t, s.do(req), http.StatusNotModified)
	assertStatus(t, s.postForm(harbourPath+"/comments", goodComment(), nil), http.StatusSeeOther)
	assertStatus(t, s.postForm(harbourPath+"/comments", goodComment(), nil), http.StatusUnprocessableEntity)

	scrape := func(remote, auth string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = remote
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return s.do(req)
	}
	rec := scrape("127.0.0.1:5000", "")
	assertStatus(t, rec, http.StatusOK)
	out := rec.Body.String()
	for _, want := range []string{
		`dateline_http_requests_total{method="GET",route="/",status="200"} 1`,
		`dateline_http_requests_total{method="GET",route="/:year",status="404"} 1`,
		`dateline_http_request_duration_seconds_bucket{method="GET",route="/",le="+Inf"} 1`,
		`dateline_http_requests_total{method="GET",route="/archive",status="200"} 2`,
		`dateline_http_requests_total{method="GET",route="/archive",status="304"} 1`,
		`dateline_page_cache_hits_total 2`,
		`dateline_comment_submissions_total{outcome="pending"} 1`,
		`dateline_comment_submissions_total{outcome="duplicate"} 1`,
		`dateline_db_connections_open{pool="writer"}`, `dateline_db_connections_in_use{pool="readers"}`,
		"go_goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// From elsewhere only with the token.
	assertStatus(t, scrape("192.0.2.50:5000", ""), http.StatusNotFound)
	assertStatus(t, scrape("192.0.2.50:5000", "Bearer wrong"), http.StatusNotFound)
	assertStatus(t, scrape("192.0.2.50:5000", "Bearer scrape-token"), http.StatusOK)
	// A forwarded header does not make a request local.
	req = httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "192.0.2.51:5000"
	req.Header.Set("X-Forwarded-For", "127.0.0.1")
	assertStatus(t, s.do(req), http.StatusNotFound)
	// Nor is a request a proxy on this machine passes on from elsewhere:
	// it comes over loopback, with the client named in a forwarding header.
	for k, v := range map[string]string{"X-Forwarded-For": "203.0.113.9", "Forwarded": "for=203.0.113.9", "X-Real-Ip": "203.0.113.9"} {
		req = httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = "127.0.0.1:5000"
		req.Header.Set(k, v)
		assertStatus(t, s.do(req), http.StatusNotFound)
		req.Header.Set("Authorization", "Bearer scrape-token")
		assertStatus(t, s.do(req), http.StatusOK)
	}
}
