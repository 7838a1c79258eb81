package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// benchSite is a site of 500 articles over two years, each with a body of
// realistic length.
func benchSite(b *testing.B) *testSite {
	b.Helper()
	files := fstest.MapFS{}
	body := strings.Repeat("A paragraph of a news story, with *some* emphasis and a [link](https://example.org).\n\n", 40)
	for i := range 500 {
		files[fmt.Sprintf("a%03d.md", i)] = articleFile(fmt.Sprintf("Story %d", i), fmt.Sprintf("story-%d", i),
			fmt.Sprintf("20%02d-%02d-%02dT%02d:15:00Z", 24+i%2, 1+i%12, 1+i%28, i%24), "summary: A summary.\ntags: [a, b]\n", body)
	}
	t := &testing.T{}
	s := newTestSite(t, files)
	s.t = t
	return s
}

func BenchmarkPages(b *testing.B) {
	s := benchSite(b)
	for _, target := range []string{"/", "/2024/01/01/story-0", "/archive", "/2024", "/2024/01"} {
		b.Run(strings.ReplaceAll(target, "/", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", target, rec.Code)
				}
			}
		})
	}
}
