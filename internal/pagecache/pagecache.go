// Package pagecache keeps rendered public pages in memory: the bytes of
// each page, its compressed forms (made once, on first demand) and its
// validators, bounded in size, dropped by tag when a write changes what a
// page shows. It knows nothing of routes, SQL or templates; the server
// decides what a page is tagged with and when tags are purged.
package pagecache

import (
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Compressor makes the encoded form of a body ("br", "gzip").
type Compressor func(encoding string, body []byte) ([]byte, error)

// Entry is one rendered page. Its fields do not change once it is in the
// cache; the encoded forms are added under the cache's lock.
type Entry struct {
	Header       http.Header // the response headers to replay, validators not included
	Body         []byte
	ETag         string    // strong, quoted, from the bytes of Body
	LastModified time.Time // when these bytes first appeared (whole seconds)
	Expires      time.Time // the entry is not served after this instant
	Route        string    // the server's name for what rendered it, for its hits' metrics

	key   string
	tags  []string
	forms map[string]*Form // by encoding, "" for none
	stale bool             // purged or expired: kept only for its validators
}

// Form is an entry's body in one encoding with the header values that go
// with it, made once and shared by every answer (an append must copy).
type Form struct {
	Body     []byte
	ETag     []string // the entry's ETag, marked with the encoding
	Length   []string // Content-Length
	Encoding []string // Content-Encoding; nil for none
}

// FormOf makes e's form in encoding ("" for none), compressing the body
// with compress.
func FormOf(e *Entry, encoding string, compress Compressor) (*Form, error) {
	if encoding == "" {
		return &Form{Body: e.Body, ETag: []string{e.ETag}, Length: []string{strconv.Itoa(len(e.Body))}}, nil
	}
	body, err := compress(encoding, e.Body)
	if err != nil {
		return nil, err
	}
	return &Form{Body: body, ETag: []string{e.ETag[:len(e.ETag)-1] + "-" + encoding + `"`},
		Length: []string{strconv.Itoa(len(body))}, Encoding: []string{encoding}}, nil
}

// ETagFor is the strong validator of a body: the same bytes give the same
// tag, so a client's copy stays valid across renders that change nothing.
func ETagFor(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}

// size is what an entry costs the cache, roughly: its bytes and a fixed
// allowance for the headers and bookkeeping.
func (e *Entry) size() int {
	n := 512 + len(e.key)
	if !e.stale {
		n += len(e.Body)
	}
	for encoding, f := range e.forms {
		if encoding != "" {
			n += len(f.Body)
		}
	}
	return n
}

// Cache is a bounded LRU of pages with a tag index.
type Cache struct {
	compress Compressor
	maxBytes int

	mu      sync.Mutex
	bytes   int
	lru     *list.List // of *Entry, most recently used first
	entries map[string]*list.Element
	byTag   map[string]map[string]struct{} // tag -> keys

	// generation grows with every purge. A render that started before a
	// purge must not be stored, since it may hold what the purge removed.
	generation atomic.Uint64

	hits, misses atomic.Uint64
}

// New makes a cache that holds at most maxBytes of pages.
func New(maxBytes int, compress Compressor) *Cache {
	return &Cache{compress: compress, maxBytes: maxBytes, lru: list.New(),
		entries: map[string]*list.Element{}, byTag: map[string]map[string]struct{}{}}
}

// Generation is the purge count, to hand back to Put.
func (c *Cache) Generation() uint64 { return c.generation.Load() }

// Get returns the live entry for key at now, or nil.
func (c *Cache) Get(key string, now time.Time) *Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		c.misses.Add(1)
		return nil
	}
	e := el.Value.(*Entry)
	if e.stale || !now.Before(e.Expires) {
		c.misses.Add(1)
		return nil
	}
	c.lru.MoveToFront(el)
	c.hits.Add(1)
	return e
}

// Validators returns the ETag and Last-Modified of the newest version of
// key the cache remembers, live or not, so that a render with the same
// bytes keeps its Last-Modified.
func (c *Cache) Validators(key string) (etag string, lastModified time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*Entry)
		return e.ETag, e.LastModified
	}
	return "", time.Time{}
}

// Put stores e under key with its tags, unless a purge happened since
// generation was read (the page may be older than that write). It reports
// whether the entry was stored.
func (c *Cache) Put(key string, e *Entry, tags []string, generation uint64) bool {
	e.key, e.tags = key, tags
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation.Load() != generation || e.size() > c.maxBytes/4 {
		return false
	}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	c.entries[key] = c.lru.PushFront(e)
	c.bytes += e.size()
	for _, t := range tags {
		keys := c.byTag[t]
		if keys == nil {
			keys = map[string]struct{}{}
			c.byTag[t] = keys
		}
		keys[key] = struct{}{}
	}
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
	}
	return true
}

// Form returns e's form in encoding ("" for none), compressing the body
// the first time it is asked for.
func (c *Cache) Form(e *Entry, encoding string) (*Form, error) {
	c.mu.Lock()
	f, ok := e.forms[encoding]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	f, err := FormOf(e, encoding, c.compress)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := e.forms[encoding]; ok {
		return prev, nil // another request made it meanwhile
	}
	if e.forms == nil {
		e.forms = map[string]*Form{}
	}
	e.forms[encoding] = f
	if el, ok := c.entries[e.key]; ok && el.Value == e && encoding != "" {
		c.bytes += len(f.Body)
	}
	return f, nil
}

// Purge drops the pages carrying any of the tags. They are kept as stale
// entries for their validators until the space is needed.
func (c *Cache) Purge(tags ...string) {
	c.generation.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range tags {
		for key := range c.byTag[t] {
			if el, ok := c.entries[key]; ok {
				c.makeStale(el.Value.(*Entry))
			}
		}
		delete(c.byTag, t)
	}
}

// PurgeAll drops every page.
func (c *Cache) PurgeAll() {
	c.generation.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.lru.Front(); el != nil; el = el.Next() {
		c.makeStale(el.Value.(*Entry))
	}
	clear(c.byTag)
}

func (c *Cache) makeStale(e *Entry) {
	if e.stale {
		return
	}
	before := e.size()
	e.stale, e.forms = true, nil
	c.bytes -= before - e.size()
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*Entry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.bytes -= e.size()
	for _, t := range e.tags {
		if keys := c.byTag[t]; keys != nil {
			delete(keys, e.key)
			if len(keys) == 0 {
				delete(c.byTag, t)
			}
		}
	}
}

// Stats are the cache's counters.
type Stats struct {
	Entries, Bytes int
	Hits, Misses   uint64
}

// Stats reports the cache's size and counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: len(c.entries), Bytes: c.bytes, Hits: c.hits.Load(), Misses: c.misses.Load()}
}
