package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/internal/pagecache"
	"github.com/dateline/dateline/internal/store"
	"github.com/dateline/dateline/web"
)

// The page cache keeps the public pages that handlers mark with cachePage,
// keyed by path and the query parameters pages read, and answers
// conditional requests from their validators. Pages are tagged with what
// they show; the change log in the store says which tags a write touched:
//
//	list        every listing that may gain or lose a story: home, archive
//	            and dates, site feeds, sitemaps, search, corrections
//	a:ID        every page that shows article ID (its page; listings with
//	            its opinion count; related stories)
//	s:NAME      a section's listings and feeds, and the article pages of
//	            that section (their related stories)
//	t:NAME      the same for a tag
//	au:NAME     an author's page
//
// Settings, image descriptions, the navigation's sections and scheduled
// publications drop everything.

// HTTPCaching is how public pages tell browsers and shared caches (a CDN,
// Varnish) to keep them.
type HTTPCaching struct {
	MaxAge               time.Duration // max-age
	StaleWhileRevalidate time.Duration // stale-while-revalidate
}

func (hc HTTPCaching) header() string {
	return "public, max-age=" + strconv.Itoa(int(hc.MaxAge.Seconds())) +
		", stale-while-revalidate=" + strconv.Itoa(int(hc.StaleWhileRevalidate.Seconds()))
}

// pageLifetime bounds how long a cached page is served without a new
// render, for what changes with time alone (the form's minute stamp, the
// news sitemap's window, comments closing by age).
const pageLifetime = time.Minute

// cacheQueryParams are the query parameters that public pages read. A
// request with any other parameter is answered without the cache, so that
// made-up parameters cannot fill it.
var cacheQueryParams = []string{"page", "before", "q", "section", "from", "to"}

// pageCacheKey is the cache key of a request, and false when the request
// must not use the cache.
func pageCacheKey(u *url.URL) (string, bool) {
	path := u.EscapedPath()
	for _, p := range []string{web.AdminPath, web.StaticPrefix, media.PathPrefix, web.MetricsPath, web.HealthPath} {
		if strings.HasPrefix(path, p) {
			return "", false
		}
	}
	if u.RawQuery == "" {
		return path, true
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", false
	}
	for k := range q {
		if !slices.Contains(cacheQueryParams, k) {
			return "", false
		}
	}
	return path + "?" + q.Encode(), true // Encode sorts by key
}

// pageTags collects, while a page renders, what it shows.
type pageTags struct {
	cacheable bool
	tags      []string
	until     time.Time // zero, or an instant after which the page must be rendered anew
}

const pageTagsKey = "dateline.page-tags"

// cachePage marks the page being rendered as the same for every reader,
// so that it may be cached, with the tags of what it shows.
func cachePage(c echo.Context, tags ...string) {
	if pt, ok := c.Get(pageTagsKey).(*pageTags); ok {
		pt.cacheable = true
		pt.tags = append(pt.tags, tags...)
	}
}

// cachePageUntil bounds the cached page's life to t.
func cachePageUntil(c echo.Context, t time.Time) {
	if pt, ok := c.Get(pageTagsKey).(*pageTags); ok && (pt.until.IsZero() || t.Before(pt.until)) {
		pt.until = t
	}
}

// articleTags are the tags of pages that show these articles.
func articleTags(list []article.Article) []string {
	tags := make([]string, 0, len(list))
	for _, a := range list {
		tags = append(tags, "a:"+strconv.FormatInt(a.ID, 10))
	}
	return tags
}

// pages is the page cache with what keeps it true: the change log's
// position and the next scheduled publication.
type pages struct {
	cache   *pagecache.Cache // nil with --no-cache: pages are rendered for every request
	caching HTTPCaching
	renders singleflight.Group

	syncMu      sync.Mutex
	lastChange  int64         // the change log's id read up to
	seenCommits atomic.Uint64 // the store's commit count at the last sync
	// horizon is the next scheduled publication (Unix nanoseconds): the
	// cache is dropped when it comes, so no story appears late.
	horizon     atomic.Int64
	renderCount atomic.Uint64 // pages rendered through the cache, for metrics
}

// servePageCache answers GET and HEAD requests for public pages from the
// cache, and renders and stores them on a miss. A burst of requests for
// one page renders it once.
func (h *handler) servePageCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !allowedHost(r, h.host) {
			return errWrongHost
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// A write is answered only once the cache has dropped what it
			// changed, so the page the writer is sent to next is new.
			err := next(c)
			if serr := h.syncChanges(r.Context()); serr != nil {
				h.log.Error("reading the change log", "error", serr)
			}
			return err
		}
		key, ok := pageCacheKey(r.URL)
		if !ok {
			return next(c)
		}
		if err := h.keepCacheTrue(r.Context()); err != nil {
			// Without the change log the cache cannot be trusted: this page is
			// rendered afresh, and the next request tries the log again.
			h.log.Error("reading the change log", "error", err)
			return next(c)
		}
		if h.pages.cache == nil {
			e, err := h.renderPage(c, next, key, false)
			if e == nil {
				return err
			}
			return h.writePage(c, e)
		}
		if e := h.pages.cache.Get(key, h.now()); e != nil {
			start := time.Now()
			err := h.writePage(c, e)
			h.metrics.observe(e.Route, r.Method, c.Response().Status, time.Since(start))
			return err
		}
		leader := false
		v, err, _ := h.pages.renders.Do(key, func() (any, error) {
			leader = true
			return h.renderPage(c, next, key, true)
		})
		e, _ := v.(*pagecache.Entry)
		switch {
		case e != nil:
			return h.writePage(c, e)
		case leader:
			return err // renderPage has answered with what the handler produced
		default:
			return next(c) // the page could not be cached: render it for this request too
		}
	}
}

// renderPage runs the handler with its output captured. A cacheable page
// becomes an entry (stored when store is set); anything else is written
// to the client as it was produced, and the entry is nil.
func (h *handler) renderPage(c echo.Context, next echo.HandlerFunc, key string, store bool) (*pagecache.Entry, error) {
	generation := uint64(0)
	if h.pages.cache != nil {
		generation = h.pages.cache.Generation()
	}
	started := h.now()
	h.pages.renderCount.Add(1)
	res := c.Response()
	real := res.Writer
	capture := &capturingWriter{header: real.Header()}
	res.Writer = capture
	pt := &pageTags{}
	c.Set(pageTagsKey, pt)
	// The page is kept plain and compressed once per encoding, so the
	// compressor further in must not see that the client accepts one.
	req := c.Request()
	accept := req.Header.Get("Accept-Encoding")
	req.Header.Del("Accept-Encoding")
	defer func() { // also when the handler panics: the error page must reach the client
		res.Writer = real
		c.Set(pageTagsKey, nil)
		c.Request().Header.Set("Accept-Encoding", accept)
	}()
	err := next(c)
	res.Writer = real
	c.Request().Header.Set("Accept-Encoding", accept)

	cacheable := err == nil && pt.cacheable && capture.status == http.StatusOK &&
		!strings.Contains(real.Header().Get("Cache-Control"), "no-store") && real.Header().Get("Set-Cookie") == ""
	if !cacheable {
		encoding := negotiateEncoding(accept)
		if req.Header.Get("Range") != "" {
			encoding = "" // a partial answer counts plain bytes
		}
		capture.flush(real, encoding)
		return nil, err
	}
	// Nothing reached the client yet: writePage answers as for a hit.
	res.Committed, res.Status, res.Size = false, http.StatusOK, 0
	e := h.newEntry(key, real.Header(), capture.body.Bytes(), started, pt.until)
	e.Route = c.Path()
	if store && h.pages.cache != nil {
		h.pages.cache.Put(key, e, pt.tags, generation)
	}
	return e, nil
}

// newEntry is the cache entry of a page rendered at started, with the
// headers every answer from it carries, made once; until (when not zero)
// shortens its life.
func (h *handler) newEntry(key string, header http.Header, body []byte, started, until time.Time) *pagecache.Entry {
	e := &pagecache.Entry{Header: replayHeader(header), Body: body, Expires: started.Add(pageLifetime)}
	if !until.IsZero() && until.Before(e.Expires) {
		e.Expires = until
	}
	e.ETag = pagecache.ETagFor(e.Body)
	e.LastModified = started.Truncate(time.Second)
	if h.pages.cache != nil {
		// The same bytes as the version a client may hold keep its date, so
		// If-Modified-Since still matches; new bytes get a date after it.
		if etag, lm := h.pages.cache.Validators(key); etag == e.ETag {
			e.LastModified = lm
		} else if !lm.IsZero() && !e.LastModified.After(lm) {
			e.LastModified = lm.Add(time.Second)
		}
	}
	e.Header.Set("Cache-Control", h.pages.caching.header())
	e.Header.Set("Vary", "Accept-Encoding")
	e.Header.Set("Last-Modified", e.LastModified.UTC().Format(http.TimeFormat))
	return e
}

// replayHeader is what a cached page repeats of the headers set while it
// rendered: not the ones that belong to one response.
func replayHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"X-Request-Id", "Content-Length", "Content-Encoding", "Vary", "Etag", "Last-Modified", "Cache-Control", "Set-Cookie",
		"Strict-Transport-Security"} { // set per request, over TLS only
		out.Del(k)
	}
	return out
}

// writePage answers from an entry: 304 when the client's copy is current,
// else the body in the best encoding the client accepts. The header
// values are the entry's, made once: a hit costs map stores, not
// formatting.
func (h *handler) writePage(c echo.Context, e *pagecache.Entry) error {
	r := c.Request()
	encoding := negotiateEncoding(r.Header.Get("Accept-Encoding"))
	var f *pagecache.Form
	var err error
	if h.pages.cache != nil {
		f, err = h.pages.cache.Form(e, encoding)
	} else {
		f, err = pagecache.FormOf(e, encoding, compressBytes)
	}
	if err != nil {
		return err
	}
	w := c.Response()
	hdr := w.Header()
	for k, v := range e.Header {
		hdr[k] = v[:len(v):len(v)] // shared by every answer: an append must copy
	}
	if c.Scheme() == "https" { // as secureHeaders decides; replayHeader leaves it out
		hdr[echo.HeaderStrictTransportSecurity] = strictTransportSecurity
	}
	hdr["Etag"] = f.ETag
	if notModified(r, e) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if f.Encoding != nil {
		hdr["Content-Encoding"] = f.Encoding
	}
	hdr["Content-Length"] = f.Length
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(f.Body)
	return err
}

// notModified applies If-None-Match (any representation of the same
// bytes matches) and, only without it, If-Modified-Since (RFC 9110 13.2.2).
func notModified(r *http.Request, e *pagecache.Entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		base := strings.TrimSuffix(e.ETag, `"`)
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == e.ETag || (strings.HasPrefix(t, base+"-") && strings.HasSuffix(t, `"`)) {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !e.LastModified.After(t)
	}
	return false
}

// capturingWriter holds a response while a page renders.
type capturingWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *capturingWriter) Header() http.Header { return w.header }

func (w *capturingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *capturingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// flush writes the captured response to dst as it was produced,
// compressed in encoding when that is worth it (as the compressor would
// have: it did not see the client's Accept-Encoding).
func (w *capturingWriter) flush(dst http.ResponseWriter, encoding string) {
	if w.status == 0 {
		return // nothing was written: the error handler answers
	}
	body := w.body.Bytes()
	h := dst.Header()
	if compressible(h.Get("Content-Type")) {
		addVary(h, "Accept-Encoding")
		if encoding != "" && len(body) >= minCompressLength && encodable(w.status, h) {
			if zipped, err := compressBytes(encoding, body); err == nil {
				body = zipped
				h.Set("Content-Encoding", encoding)
				h.Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
	}
	dst.WriteHeader(w.status)
	dst.Write(body)
}

// keepCacheTrue drops what writes since the last look have changed: this
// process's writes are seen at once (the store counts its commits), other
// processes' within watchInterval, and a scheduled publication at its
// instant.
//
// Commits that log no change (a comment waiting for moderation, a session)
// are frequent, so a reader that finds another reading the log goes on
// without waiting: each write request syncs before it is answered, so no
// reader after a write's answer sees the page from before it. A scheduled
// publication is waited for.
func (h *handler) keepCacheTrue(ctx context.Context) error {
	due := h.now().UnixNano() >= h.pages.horizon.Load()
	if !due && h.store.Commits() == h.pages.seenCommits.Load() {
		return nil
	}
	if !due {
		if !h.pages.syncMu.TryLock() {
			return nil
		}
		h.pages.syncMu.Unlock()
	}
	return h.syncChanges(ctx)
}

// watchInterval is how often the change log is read for writes made by
// other processes on the same database.
const watchInterval = 250 * time.Millisecond

// watchChanges reads the change log until ctx ends.
func (h *handler) watchChanges(ctx context.Context) {
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	reported := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.store.CheckFile(); err != nil && !reported {
				reported = true // once: the answers to writes say it again
				h.log.Error("the database cannot be written: every write is refused with 503 until the site is restarted with its database in place", "error", err)
			}
			if err := h.syncChanges(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("reading the change log", "error", err)
			}
		}
	}
}

// maxChangesRead is how many log entries one sync reads; past it the whole
// cache is dropped.
const maxChangesRead = 1000

// syncChanges reads the change log since the last sync and purges what the
// changes touched, reloads settings and the navigation when they may have
// changed, and drops everything when a scheduled story comes out.
func (h *handler) syncChanges(ctx context.Context) error {
	p := h.pages
	p.syncMu.Lock()
	defer p.syncMu.Unlock()
	ctx = context.WithoutCancel(ctx) // a reader who leaves must not leave the cache half-synced
	commits := h.store.Commits()
	changes, err := h.store.ChangesAfter(ctx, p.lastChange, maxChangesRead)
	if err != nil {
		return err
	}
	now := h.now()
	w := workOf(changes, p.lastChange)
	if now.UnixNano() >= p.horizon.Load() { // a scheduled article is out
		w.purgeAll, w.reloadNav = true, true
	}
	if w.reloadSettings {
		if err := h.loadSettings(ctx); err != nil {
			return err
		}
	}
	if w.reloadNav {
		h.forgetNames()
		changed, err := h.refreshNav(ctx)
		if err != nil {
			return err
		}
		w.purgeAll = w.purgeAll || changed
	}
	if p.cache != nil {
		if w.purgeAll {
			p.cache.PurgeAll()
		} else if len(w.tags) > 0 {
			p.cache.Purge(w.tags...)
		}
	}
	if len(changes) > 0 {
		p.lastChange = changes[len(changes)-1].ID
	}
	p.seenCommits.Store(commits)
	if w.purgeAll || w.reloadNav {
		return h.setHorizon(ctx, now)
	}
	return nil
}

// cacheWork is what a run of changes asks of the cache and its copies of
// the settings and navigation.
type cacheWork struct {
	tags                                []string // the cached pages to purge
	purgeAll, reloadSettings, reloadNav bool
}

// workOf is the work that changes, read after change lastChange, ask for.
func workOf(changes []store.Change, lastChange int64) cacheWork {
	var w cacheWork
	if len(changes) == maxChangesRead || (len(changes) > 0 && changes[0].ID != lastChange+1 && lastChange != 0) {
		return cacheWork{purgeAll: true, reloadSettings: true, reloadNav: true} // fell behind the log: assume everything changed
	}
	for _, ch := range changes {
		switch ch.Kind {
		case store.ArticleChange:
			w.tags = append(w.tags, "list", "a:"+strconv.FormatInt(ch.ArticleID, 10))
			w.reloadNav = true
		case store.CommentsChange:
			w.tags = append(w.tags, "a:"+strconv.FormatInt(ch.ArticleID, 10))
		case store.SiteChange:
			w.purgeAll, w.reloadSettings = true, true
		}
		for _, s := range ch.Names.Sections {
			w.tags = append(w.tags, "s:"+s)
		}
		for _, t := range ch.Names.Tags {
			w.tags = append(w.tags, "t:"+t)
		}
		for _, a := range ch.Names.Authors {
			w.tags = append(w.tags, "au:"+a)
		}
	}
	return w
}

// setHorizon notes when the next scheduled article comes out, which
// purges the whole cache then.
func (h *handler) setHorizon(ctx context.Context, now time.Time) error {
	next, err := h.store.NextPublication(ctx, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.pages.horizon.Store(maxHorizon)
	case err != nil:
		return err
	default:
		h.pages.horizon.Store(next.UnixNano())
	}
	return nil
}

// maxHorizon stands for "nothing is scheduled".
const maxHorizon = int64(1<<63 - 1)

// startPageCache sets up the page cache from the options and starts
// reading the change log, from its end, until ctx ends.
func (h *handler) startPageCache(ctx context.Context, o Options) error {
	h.pages = &pages{caching: o.Caching}
	if h.pages.caching == (HTTPCaching{}) {
		h.pages.caching = HTTPCaching{MaxAge: time.Minute, StaleWhileRevalidate: 10 * time.Minute}
	}
	if !o.NoCache {
		size := o.CacheBytes
		if size <= 0 {
			size = 32 << 20
		}
		h.pages.cache = pagecache.New(size, compressBytes)
	}
	h.registerCacheMetrics()
	last, err := h.store.LastChange(ctx)
	if err != nil {
		return err
	}
	h.pages.lastChange = last
	if err := h.syncChanges(ctx); err != nil {
		return err
	}
	go h.watchChanges(ctx)
	return nil
}

// registerCacheMetrics adds the page cache's figures to /metrics.
func (h *handler) registerCacheMetrics() {
	stats := func() pagecache.Stats {
		if h.pages.cache == nil {
			return pagecache.Stats{}
		}
		return h.pages.cache.Stats()
	}
	h.metrics.registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "dateline_page_cache_hits_total", Help: "Public pages answered from the page cache."},
			func() float64 { return float64(stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "dateline_page_cache_misses_total", Help: "Public page requests the page cache could not answer."},
			func() float64 { return float64(stats().Misses) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "dateline_page_renders_total", Help: "Public pages rendered for the page cache (a burst of requests for one page renders it once)."},
			func() float64 { return float64(h.pages.renderCount.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dateline_page_cache_bytes", Help: "Bytes held by the page cache."},
			func() float64 { return float64(stats().Bytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dateline_page_cache_entries", Help: "Pages held by the page cache, stale ones included."},
			func() float64 { return float64(stats().Entries) }),
	)
}
