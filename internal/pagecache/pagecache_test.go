package pagecache

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var now = time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)

func entry(body string) *Entry {
	b := []byte(body)
	return &Entry{Header: http.Header{"Content-Type": {"text/html"}}, Body: b, ETag: ETagFor(b), Expires: now.Add(time.Minute)}
}

// upper stands in for a compressor, counting its calls.
func upper(calls *atomic.Int32) Compressor {
	return func(encoding string, body []byte) ([]byte, error) {
		calls.Add(1)
		return append([]byte(encoding+":"), bytes.ToUpper(body)...), nil
	}
}

func TestPurgeDropsTaggedPagesAndKeepsTheirValidators(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := New(1<<20, upper(&calls))
	c.Put("/a", entry("page a"), []string{"a:1", "list"}, c.Generation())
	c.Put("/b", entry("page b"), []string{"a:2"}, c.Generation())
	if c.Get("/a", now) == nil || c.Get("/b", now) == nil {
		t.Fatal("stored pages are not served")
	}
	c.Purge("list")
	if c.Get("/a", now) != nil {
		t.Error("/a is served after its tag was purged")
	}
	if c.Get("/b", now) == nil {
		t.Error("/b, not tagged list, was dropped")
	}
	if etag, _ := c.Validators("/a"); etag != ETagFor([]byte("page a")) {
		t.Errorf("validators of a purged page: %q, want its ETag kept", etag)
	}
	if c.Get("/b", now.Add(time.Minute)) != nil {
		t.Error("/b is served at its expiry")
	}
}

func TestARenderThatOverlappedAPurgeIsNotStored(t *testing.T) {
	t.Parallel()
	c := New(1<<20, upper(new(atomic.Int32)))
	generation := c.Generation() // the render starts
	c.Purge("a:1")               // a write lands meanwhile
	if c.Put("/a", entry("old page"), []string{"a:1"}, generation) {
		t.Error("a page rendered before a purge was stored")
	}
	if !c.Put("/a", entry("new page"), []string{"a:1"}, c.Generation()) {
		t.Error("a page rendered after the purge was not stored")
	}
}

func TestFormsAreMadeOnceAndCountedInTheBound(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := New(1<<20, upper(&calls))
	e := entry("page")
	c.Put("/p", e, nil, c.Generation())
	before := c.Stats().Bytes
	for range 3 {
		f, err := c.Form(e, "br")
		if err != nil {
			t.Fatal(err)
		}
		if string(f.Body) != "br:PAGE" || f.Encoding[0] != "br" || f.Length[0] != "7" || f.ETag[0] != strings.TrimSuffix(e.ETag, `"`)+`-br"` {
			t.Errorf("br form: %+v", f)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("compressed %d times, want once", n)
	}
	if got := c.Stats().Bytes - before; got != len("br:PAGE") {
		t.Errorf("the br form added %d bytes to the cache's count, want %d", got, len("br:PAGE"))
	}
	plain, err := c.Form(e, "")
	if err != nil || string(plain.Body) != "page" || plain.Encoding != nil || plain.ETag[0] != e.ETag {
		t.Errorf("plain form: %+v, %v", plain, err)
	}
}

func TestTheLeastRecentlyUsedPagesGoFirst(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("x", 1000)
	c := New(8*(512+1000+3), upper(new(atomic.Int32))) // room for about eight pages
	for i := range 8 {
		c.Put(fmt.Sprintf("/%d", i), entry(body), nil, c.Generation())
	}
	c.Get("/0", now) // used: it stays
	for i := 8; i < 12; i++ {
		c.Put(fmt.Sprintf("/%d", i), entry(body), nil, c.Generation())
	}
	if s := c.Stats(); s.Bytes > 8*(512+1000+3) {
		t.Errorf("the cache holds %d bytes, over its bound", s.Bytes)
	}
	if c.Get("/0", now) == nil {
		t.Error("the page just used was evicted")
	}
	if c.Get("/1", now) != nil {
		t.Error("the least recently used page was kept")
	}
	if c.Get("/11", now) == nil {
		t.Error("the newest page was evicted")
	}
}
