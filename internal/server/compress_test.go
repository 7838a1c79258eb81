package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestNegotiateEncoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, header, want string }{
		{"no header", "", ""},
		{"only a space", " ", ""},
		{"gzip", "gzip", "gzip"},
		{"br", "br", "br"},
		{"what browsers send", "gzip, deflate, br, zstd", "br"},
		{"upper case", "GZIP", "gzip"},
		{"x-gzip alias", "x-gzip", "gzip"},
		{"only deflate", "deflate", ""},
		{"gzip refused", "gzip;q=0", ""},
		{"gzip refused, three decimals", "gzip; q=0.000", ""},
		{"br refused, gzip taken", "br;q=0, gzip", "gzip"},
		{"gzip preferred by weight", "br;q=0.5, gzip;q=0.8", "gzip"},
		{"equal weights, br preferred", "br;q=0.8, gzip;q=0.8", "br"},
		{"br refused after gzip", "gzip, br;q=0", "gzip"},
		{"named twice", "gzip, gzip;q=0", ""}, // named twice: the refusal stands
		{"bad weight", "gzip;q=abc", ""},
		{"weight above 1", "gzip;q=2", ""},
		{"any", "*", "br"},
		{"any refused", "*;q=0", ""},
		{"any refused, gzip named", "*;q=0, gzip", "gzip"},
		{"any, br refused", "*, br;q=0", "gzip"},
		{"identity", "identity", ""},
		{"identity refused", "identity;q=0", ""},
		{"identity refused, any", "identity;q=0, *", "br"},
		{"identity preferred", "gzip;q=0.5, identity", ""}, // the client would rather have plain bytes
		{"gzip preferred to identity", "gzip, identity;q=0.5", "gzip"},
		{"any preferred to gzip", "gzip;q=0.5, *;q=0.9", "br"},
		{"identity preferred to all", "*;q=0.5, gzip;q=0.2, br;q=0.1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := negotiateEncoding(tc.header); got != tc.want {
				t.Errorf("negotiateEncoding(%q): got %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestEncodable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		header []string
		want   bool
	}{
		{"a page", 200, nil, true},
		{"an error page", 404, nil, true},
		{"encoded already", 200, []string{"Content-Encoding", "br"}, false},
		{"identity encoding named", 200, []string{"Content-Encoding", "identity"}, false},
		{"partial content", 206, []string{"Content-Range", "bytes 0-99/2000"}, false},
		{"a range on a 200", 200, []string{"Content-Range", "bytes 0-99/2000"}, false},
		{"no content", 204, nil, false},
		{"not modified", 304, nil, false},
		{"no-transform", 200, []string{"Cache-Control", "public, No-Transform"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i+1 < len(tc.header); i += 2 {
				h.Set(tc.header[i], tc.header[i+1])
			}
			if got := encodable(tc.status, h); got != tc.want {
				t.Errorf("encodable(%d, %v): got %v, want %v", tc.status, h, got, tc.want)
			}
		})
	}
}

func TestCompressBytes(t *testing.T) {
	t.Parallel()
	plain := bytes.Repeat([]byte("<p>A paragraph of a story.</p>\n"), 200)
	for _, enc := range []string{"br", "gzip", ""} {
		out, err := compressBytes(enc, plain)
		if err != nil {
			t.Fatalf("%q: %v", enc, err)
		}
		if got := decode(t, enc, out); !bytes.Equal(got, plain) {
			t.Errorf("%q: decodes to %d bytes, want the %d plain ones", enc, len(got), len(plain))
		}
		if enc != "" && len(out) >= len(plain)/4 {
			t.Errorf("%q: %d bytes of %d", enc, len(out), len(plain))
		}
	}
	if _, err := compressBytes("zstd", plain); err == nil {
		t.Error("zstd: got no error")
	}
}

// decode undoes a content coding.
func decode(t *testing.T, encoding string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch encoding {
	case "":
		return b
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", encoding, err)
	}
	return out
}

// decodedBody is a response's body with its Content-Encoding undone.
func decodedBody(t *testing.T, rec *httptest.ResponseRecorder) []byte {
	t.Helper()
	return decode(t, rec.Header().Get("Content-Encoding"), rec.Body.Bytes())
}

// request sends method target with header fields given as name, value pairs.
func (s *testSite) request(method, target string, header ...string) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return s.do(req)
}

// varies reports whether a response says it depends on Accept-Encoding.
func varies(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for name := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(name), "Accept-Encoding") {
				return true
			}
		}
	}
	return false
}

// noiseImage is an image of random pixels, which no compressor shrinks.
func noiseImage(w, h int) image.Image {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), 255})
		}
	}
	return img
}

func TestCompressedResponses(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)

	// Two real uploads, each well over the minimum length.
	s.addUser("maya", "editor", goodPassword)
	b := s.browser("198.51.100.91")
	b.login("maya", goodPassword)
	var jpg, pngFile bytes.Buffer
	if err := jpeg.Encode(&jpg, noiseImage(64, 64), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&pngFile, noiseImage(48, 48)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name, ctype string
		data        []byte
	}{{"noise.jpg", "image/jpeg", jpg.Bytes()}, {"noise.png", "image/png", pngFile.Bytes()}} {
		rec := b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"Noise"}}, f.name, f.ctype, f.data)
		assertStatus(t, rec, http.StatusSeeOther)
	}
	list, err := s.store.MediaList(context.Background(), 10, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("library: %v %+v", err, list)
	}
	media := map[string]string{}
	for _, m := range list {
		media[m.Format] = m.Path()
	}

	const all = "gzip, deflate, br, zstd" // what browsers send
	for _, tc := range []struct {
		name, method, target, accept string
		wantEncoding                 string
		text                         bool // so Vary: Accept-Encoding
	}{
		// The page cache encodes its pages itself (once per version).
		{"cached page, br", "GET", "/", all, "br", true},
		{"cached page, gzip", "GET", "/", "gzip", "gzip", true},
		{"cached page, gzip refused", "GET", "/", "gzip;q=0", "", true},
		{"cached page, br refused", "GET", "/", "br;q=0, gzip", "gzip", true},
		// An unknown query parameter keeps the page out of the cache: the
		// middleware compresses it for this request.
		{"page, br", "GET", "/?utm_source=x", all, "br", true},
		{"page, gzip", "GET", "/?utm_source=x", "gzip", "gzip", true},
		{"page, gzip refused", "GET", "/?utm_source=x", "gzip;q=0", "", true},
		{"page, br refused", "GET", "/?utm_source=x", "br;q=0, gzip", "gzip", true},
		{"page, identity only", "GET", "/?utm_source=x", "identity", "", true},
		{"page, nothing acceptable", "GET", "/?utm_source=x", "*;q=0", "", true},
		{"page, no header", "GET", "/?utm_source=x", "", "", true},
		{"page, HEAD", "HEAD", "/?utm_source=x", all, "br", true},
		{"newsroom page", "GET", "/admin/login", "gzip", "gzip", true},
		{"error page", "GET", "/no/such/page/here", all, "br", true},
		{"feed", "GET", "/feed.atom", "gzip", "gzip", true},
		{"small redirect", "GET", "/2024/06/20/", all, "", false},
		// Media and images are compressed already.
		{"uploaded JPEG", "GET", media["jpeg"], all, "", false},
		{"uploaded PNG", "GET", media["png"], all, "", false},
		{"logo", "GET", "/static/img/logo.png", all, "", false},
		// Static text comes pre-compressed.
		{"stylesheet", "GET", "/static/css/site.css", all, "br", true},
		{"stylesheet, gzip", "GET", "/static/css/site.css", "gzip", "gzip", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := s.request(http.MethodGet, tc.target)
			rec := s.request(tc.method, tc.target, "Accept-Encoding", tc.accept)
			if rec.Code != plain.Code {
				t.Fatalf("status: got %d, want %d as without Accept-Encoding", rec.Code, plain.Code)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tc.wantEncoding {
				t.Errorf("Content-Encoding: got %q, want %q", got, tc.wantEncoding)
			}
			if got := varies(rec.Header()); got != tc.text {
				t.Errorf("Vary: Accept-Encoding: got %v, want %v (Vary %q)", got, tc.text, rec.Header().Values("Vary"))
			}
			if tc.method == http.MethodHead {
				if rec.Body.Len() != 0 {
					t.Errorf("HEAD: got %d bytes of body", rec.Body.Len())
				}
				return
			}
			// A newsroom form carries a new token for every visitor.
			same := func(b []byte) []byte { return csrfField.ReplaceAll(b, []byte("token")) }
			if got := decodedBody(t, rec); !bytes.Equal(same(got), same(plain.Body.Bytes())) {
				t.Errorf("decoded body: %d bytes, want the %d plain ones", len(got), plain.Body.Len())
			}
			if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", cl, rec.Body.Len())
			}
			if tc.wantEncoding != "" && rec.Body.Len() >= plain.Body.Len() {
				t.Errorf("compressed body: %d bytes, plain %d", rec.Body.Len(), plain.Body.Len())
			}
		})
	}
}

// Prometheus always sends Accept-Encoding: gzip. The answer must be
// compressed exactly once: gunzipped, it parses as the text format.
func TestMetricsScrapeWithGzip(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.get("/")
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"+
		"application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"+
		"text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
	rec := s.do(req)
	assertStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding: got %q, want gzip", got)
	}
	if f := expfmt.ResponseFormat(rec.Header()); f.FormatType() != expfmt.TypeTextPlain {
		t.Fatalf("format: got %q, want the text format", f)
	}
	text := decodedBody(t, rec)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(text))
	if err != nil {
		t.Fatalf("parsing the decoded metrics: %v; they start %.80q", err, text)
	}
	reqs, ok := families["dateline_http_requests_total"]
	if !ok || len(reqs.GetMetric()) == 0 {
		t.Fatalf("no dateline_http_requests_total among %d families", len(families))
	}
	found := false
	for _, m := range reqs.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["route"] == "/" && labels["status"] == "200" && m.GetCounter().GetValue() == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no count of 1 for GET / 200 in %v", reqs)
	}
}
