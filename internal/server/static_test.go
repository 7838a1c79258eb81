package server

import (
	"bytes"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dateline/dateline/static"
)

const immutable = "public, max-age=31536000, immutable"

var staticRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// Pages link the embedded files under their hashed names, and those
// addresses serve the files for a year.
func TestPagesLinkHashedStaticFiles(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, tc := range []struct {
		page       string
		want, lack []string
	}{
		{"/", []string{"css/site.css", "img/favicon.svg"}, []string{"css/admin.css", "js/admin.js"}},
		{"/admin/login", []string{"css/site.css", "css/admin.css", "img/favicon.svg", "js/admin.js"}, nil},
	} {
		t.Run(tc.page, func(t *testing.T) {
			html := body(t, s.get(tc.page))
			for _, name := range tc.want {
				url := static.URL(name)
				if !regexp.MustCompile(`^/static/.+\.[0-9a-f]{8}\.[a-z]+$`).MatchString(url) {
					t.Errorf("static.URL(%s): got %q, want a hashed name", name, url)
				}
				assertContains(t, html, `"`+url+`"`)
			}
			for _, name := range tc.lack {
				assertLacks(t, html, "/static/"+strings.TrimSuffix(name, path.Ext(name))+".")
			}
			refs := staticRef.FindAllStringSubmatch(html, -1)
			if len(refs) < len(tc.want) {
				t.Fatalf("got %d static references, want %d", len(refs), len(tc.want))
			}
			// Every file the page links is served, whole, for a year.
			for _, ref := range refs {
				rec := s.get(ref[1])
				assertStatus(t, rec, http.StatusOK)
				if got := rec.Header().Get("Cache-Control"); got != immutable {
					t.Errorf("%s: Cache-Control: got %q, want %q", ref[1], got, immutable)
				}
				f, ok := static.ByHashedName(strings.TrimPrefix(ref[1], "/static/"))
				if !ok || !bytes.Equal(rec.Body.Bytes(), f.Body) || rec.Header().Get("ETag") != f.ETag {
					t.Errorf("%s: got %d bytes, ETag %s; want the file %s", ref[1], rec.Body.Len(), rec.Header().Get("ETag"), f.Name)
				}
			}
		})
	}
}

// The reader's stylesheet leaves the newsroom's rules to admin.css.
func TestStylesheetsSplit(t *testing.T) {
	t.Parallel()
	site, _ := static.ByName("css/site.css")
	admin, _ := static.ByName("css/admin.css")
	for _, rule := range []string{".admin-badge", ".queue-item", ".state-draft", ".diff-added", ".media-grid", "fieldset.publish", "--draft"} {
		if bytes.Contains(site.Body, []byte(rule)) {
			t.Errorf("site.css has the newsroom's %s", rule)
		}
		if !bytes.Contains(admin.Body, []byte(rule)) {
			t.Errorf("admin.css lacks %s", rule)
		}
	}
	// Marks of the reader's article page (the editor's preview is the
	// reader's page) stay with the reader.
	for _, rule := range []string{".notice.preview-banner", ".notice.comments-closed", "--preview-bg", ".field-row .field", ".search-form"} {
		if !bytes.Contains(site.Body, []byte(rule)) {
			t.Errorf("site.css lacks %s", rule)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	css, _ := static.ByName("css/site.css")
	hashed := "/static/" + css.HashedName
	size := strconv.Itoa(len(css.Body))
	brTag := strings.TrimSuffix(css.ETag, `"`) + `-br"`
	gzipTag := strings.TrimSuffix(css.ETag, `"`) + `-gzip"`
	const hour = "public, max-age=3600"

	for _, tc := range []struct {
		name, method, target string
		header               []string
		status               int
		encoding             string // Content-Encoding
		tag                  string // ETag
		cacheControl         string
		contentRange         string
		body                 []byte // after decoding; nil for none
	}{
		{"hashed", "GET", hashed, nil, 200, "", css.ETag, immutable, "", css.Body},
		{"hashed, br", "GET", hashed, []string{"Accept-Encoding", "gzip, deflate, br"}, 200, "br", brTag, immutable, "", css.Body},
		{"hashed, gzip", "GET", hashed, []string{"Accept-Encoding", "gzip"}, 200, "gzip", gzipTag, immutable, "", css.Body},
		{"hashed, gzip refused", "GET", hashed, []string{"Accept-Encoding", "gzip;q=0"}, 200, "", css.ETag, immutable, "", css.Body},
		{"hashed, HEAD, br", "HEAD", hashed, []string{"Accept-Encoding", "br"}, 200, "br", brTag, immutable, "", nil},
		{"plain name", "GET", "/static/css/site.css", nil, 200, "", css.ETag, hour, "", css.Body},
		{"plain name, br", "GET", "/static/css/site.css", []string{"Accept-Encoding", "br"}, 200, "br", brTag, hour, "", css.Body},
		// Ranges are of the plain bytes, whatever the client accepts.
		{"range", "GET", hashed, []string{"Range", "bytes=0-99", "Accept-Encoding", "gzip, br"}, 206, "", css.ETag, immutable, "bytes 0-99/" + size, css.Body[:100]},
		{"range, plain name", "GET", "/static/css/site.css", []string{"Range", "bytes=100-199", "Accept-Encoding", "br"}, 206, "", css.ETag, hour, "bytes 100-199/" + size, css.Body[100:200]},
		// Validators: each representation has its own tag.
		{"not modified", "GET", hashed, []string{"If-None-Match", css.ETag}, 304, "", css.ETag, immutable, "", nil},
		{"not modified, br", "GET", hashed, []string{"If-None-Match", "W/" + brTag, "Accept-Encoding", "br"}, 304, "", brTag, immutable, "", nil},
		{"not modified, plain name", "GET", "/static/css/site.css", []string{"If-None-Match", `"x", ` + css.ETag}, 304, "", css.ETag, hour, "", nil},
		{"other tag", "GET", hashed, []string{"If-None-Match", `"0000"`}, 200, "", css.ETag, immutable, "", css.Body},
		{"gzip tag, br asked", "GET", hashed, []string{"If-None-Match", gzipTag, "Accept-Encoding", "br"}, 200, "br", brTag, immutable, "", css.Body},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.request(tc.method, tc.target, tc.header...)
			assertStatus(t, rec, tc.status)
			h := rec.Header()
			if got := h.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding: got %q, want %q", got, tc.encoding)
			}
			if got := h.Get("Cache-Control"); got != tc.cacheControl {
				t.Errorf("Cache-Control: got %q, want %q", got, tc.cacheControl)
			}
			if !varies(h) {
				t.Errorf("Vary: got %q, want Accept-Encoding", h.Values("Vary"))
			}
			if got := h.Get("ETag"); got != tc.tag {
				t.Errorf("ETag: got %s, want %s", got, tc.tag)
			}
			if got := h.Get("Content-Range"); got != tc.contentRange {
				t.Errorf("Content-Range: got %q, want %q", got, tc.contentRange)
			}
			if tc.body == nil && rec.Body.Len() != 0 {
				t.Errorf("got %d bytes of body, want none", rec.Body.Len())
			}
			if tc.method == http.MethodHead {
				if got, want := h.Get("Content-Length"), strconv.Itoa(len(css.Brotli)); got != want {
					t.Errorf("HEAD Content-Length: got %s, want %s", got, want)
				}
			}
			if tc.body != nil {
				if got := decodedBody(t, rec); !bytes.Equal(got, tc.body) {
					t.Errorf("body: got %d bytes, want %d", len(got), len(tc.body))
				}
			}
		})
	}

	// Unknown hashes, paths out of the folder and encoded tricks are 404.
	for _, target := range []string{
		"/static/css/site.00000000.css",
		"/static/css/site." + strings.Repeat("f", 8) + ".css",
		hashed + "/", hashed + "%00", strings.Replace(hashed, "/css/", "/css//", 1),
		"/static/css/../static.go", "/static/%2e%2e/static.go", "/static/css/..%2f..%2fgo.mod",
		"/static/css%5csite.css", "/static/static.go", "/static/css",
	} {
		if rec := s.get(target); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "package static") {
			t.Errorf("GET %s: got %d, want 404", target, rec.Code)
		}
	}
}
