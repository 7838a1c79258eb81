package server

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
)

// Responses are compressed in one place: compressResponses for what
// handlers write per request, compressBytes for bodies compressed once and
// kept (the page cache). A handler that writes bytes it compressed itself
// (the page cache, static files) sets Content-Encoding, and the middleware
// leaves them alone.

// Compression settings, measured on a 28 KB article page with 32 comments
// (2 cores, shared): brotli 5 gives 7.7 KB in about 1.4 ms with a reused
// writer, 2 ms with a new one (quality 6: the same size, slower; 4: 8.1 KB;
// 11: 6.5 KB in 85–100 ms, too slow for pages that change); gzip 6 gives
// 8.3 KB in about 0.7 ms (level 1: 9.1 KB in 0.4 ms, and its writer takes
// 1.2 MB instead of 0.8 MB).
const (
	brotliQuality = 5
	gzipLevel     = gzip.DefaultCompression
	// minCompressLength is the smallest body worth compressing: below
	// about a kilobyte the saving does not pay for the work and the
	// encoding's own overhead.
	minCompressLength = 1024
	// streamWindow is the brotli window (log2 bytes) of per-request
	// compression, where the size is not known in advance: 64 KiB holds an
	// article page, and the writer stays under 1 MB.
	streamWindow = 16
)

// negotiateEncoding picks the content coding for a request's
// Accept-Encoding (RFC 9110 12.5.3): "br" or "gzip", whichever has the
// higher weight (brotli on a tie), or "" for none. A coding with q=0 is
// refused; "*" stands for any coding not named; "x-gzip" is gzip. A client
// that weights identity above every coding we have gets none. When the
// client refuses identity and accepts nothing we offer ("*;q=0"), the
// answer is still unencoded: RFC 9110 lets a server disregard the header
// rather than answer 415, and every client can read identity.
func negotiateEncoding(acceptEncoding string) string {
	if strings.TrimSpace(acceptEncoding) == "" {
		return "" // absent, or empty: "no coding, please"
	}
	// Weights in thousandths; -1 is "not named".
	br, gz, star, identity := -1, -1, -1, -1
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := qvalue(params)
		var w *int
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			w = &br
		case "gzip", "x-gzip":
			w = &gz
		case "*":
			w = &star
		case "identity":
			w = &identity
		default:
			continue
		}
		// Named twice: the lower weight wins, so a refusal is never lost.
		if *w < 0 || q < *w {
			*w = q
		}
	}
	if br < 0 {
		br = star
	}
	if gz < 0 {
		gz = star
	}
	if identity < 0 {
		identity = star
	}
	best, weight := "", 0
	if br > weight {
		best, weight = "br", br
	}
	if gz > weight {
		best, weight = "gzip", gz
	}
	if identity > weight {
		return "" // the client would rather have the plain bytes
	}
	return best
}

// qvalue reads the weight among a coding's parameters, in thousandths:
// 1000 without one, 0 for a malformed one (a weight we cannot read is not
// a yes).
func qvalue(params string) int {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(f >= 0 && f <= 1) {
			return 0
		}
		return int(f*1000 + 0.5)
	}
	return 1000
}

// compressBytes returns body in encoding ("br" or "gzip"; "" returns body
// itself). It is for bodies compressed once and served many times, so it
// takes a new writer each time and sizes the brotli window to the body.
func compressBytes(encoding string, body []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(body)/3 + 64)
	var w io.WriteCloser
	switch encoding {
	case "":
		return body, nil
	case "br":
		w = brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow(len(body))})
	case "gzip":
		w, _ = gzip.NewWriterLevel(&b, gzipLevel) // the level is valid
	default:
		return nil, fmt.Errorf("server: compress: unknown encoding %q", encoding)
	}
	if _, err := w.Write(body); err != nil {
		return nil, fmt.Errorf("server: compress %s: %w", encoding, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("server: compress %s: %w", encoding, err)
	}
	return b.Bytes(), nil
}

// brotliWindow is the smallest brotli window that holds a body of n bytes,
// from 64 KiB to the library's default of 4 MiB: a bigger window than the
// body costs memory and time and gains nothing.
func brotliWindow(n int) int {
	return min(max(bits.Len(uint(n)), 16), 22)
}

// compressible reports whether a Content-Type is text that compresses:
// text/*, HTML, XML, JSON, JavaScript, CSS, SVG, Atom and RSS. Images,
// fonts, archives and anything unknown are left as they are. An event
// stream is not compressed: its events must leave as they happen.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case mt == "text/event-stream":
		return false
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+xml"),  // image/svg+xml, application/atom+xml, rss+xml, xhtml+xml
		strings.HasSuffix(mt, "+json"): // ld+json, manifest+json
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/x-javascript",
		"application/ecmascript", "application/openmetrics-text":
		return true
	}
	return false
}

// encodable reports whether a response with this status and header may
// be given a content coding at all: it has none of its own, is not partial
// (206, Content-Range), has no body to encode (204, 304), and does not ask
// to be left untransformed. Its type and length are checked apart
// (compressible, minCompressLength), and so is the request's Range.
func encodable(status int, h http.Header) bool {
	return h.Get("Content-Encoding") == "" && h.Get("Content-Range") == "" &&
		status != http.StatusNoContent && status != http.StatusPartialContent && status != http.StatusNotModified &&
		!strings.Contains(strings.ToLower(h.Get("Cache-Control")), "no-transform")
}

// addVary adds a field name to a response's Vary header unless it is
// there already (or Vary is "*").
func addVary(h http.Header, field string) {
	for _, v := range h.Values("Vary") {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name == "*" || strings.EqualFold(name, field) {
				return
			}
		}
	}
	h.Add("Vary", field)
}

// encoders keeps brotli and gzip writers for reuse: a new writer costs
// about a megabyte of tables and as much time as compressing a page.
type encoders struct {
	br, gzip sync.Pool
}

func newEncoders() *encoders {
	return &encoders{
		br: sync.Pool{New: func() any {
			return brotli.NewWriterOptions(io.Discard, brotli.WriterOptions{Quality: brotliQuality, LGWin: streamWindow})
		}},
		gzip: sync.Pool{New: func() any {
			w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
			return w
		}},
	}
}

// resettableWriter is what brotli and gzip writers have in common.
type resettableWriter interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

func (p *encoders) get(encoding string, dst io.Writer) resettableWriter {
	pool := &p.gzip
	if encoding == "br" {
		pool = &p.br
	}
	w := pool.Get().(resettableWriter)
	w.Reset(dst)
	return w
}

func (p *encoders) put(encoding string, w resettableWriter) {
	w.Reset(io.Discard) // drop the response writer
	if encoding == "br" {
		p.br.Put(w)
	} else {
		p.gzip.Put(w)
	}
}

// compressResponses compresses what handlers write, per request, when the
// client accepts brotli or gzip, the type is text (see compressible), the
// response carries no Content-Encoding of its own, is not partial (206,
// Content-Range, or a request with Range), not 204 or 304, not marked
// no-transform, and its body reaches minCompressLength. Every text
// response gets Vary: Accept-Encoding, compressed or not.
//
// Errors are turned into their page here, by the error handler, so that
// error pages go through the same rules; the error is still returned for
// the request logger (whose own call to the error handler then finds the
// response written and does nothing).
func compressResponses() echo.MiddlewareFunc {
	pools := newEncoders()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			req := c.Request()
			res := c.Response()
			w := &compressWriter{ResponseWriter: res.Writer, pools: pools, head: req.Method == http.MethodHead}
			if req.Header.Get("Range") == "" {
				w.encoding = negotiateEncoding(req.Header.Get("Accept-Encoding"))
			}
			res.Writer = w
			finished := false
			defer func() {
				if !finished { // a panic: let through what was written, as is
					w.abort()
				}
				res.Writer = w.ResponseWriter
			}()
			if err = next(c); err != nil {
				c.Error(err)
			}
			finished = true
			return cmp.Or(err, w.finish()) // the handler's error first
		}
	}
}

// compressWriter decides, when the handler writes the header, whether the
// response can be compressed; if it can, it holds the body back until
// minCompressLength bytes have come (or the handler is done), then either
// compresses or writes the bytes as they are.
type compressWriter struct {
	http.ResponseWriter // the writer underneath

	pools    *encoders
	encoding string // what the client accepts; "" for nothing
	head     bool   // a HEAD request: the decision is made, no body is written

	status  int
	state   writerState
	pending []byte // the start of the body while undecided
	enc     resettableWriter
}

type writerState int

const (
	beforeHeader writerState = iota // nothing written yet
	undecided                       // header held back, body gathering
	passing                         // written as it is
	compressing                     // header out with Content-Encoding
)

func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *compressWriter) WriteHeader(status int) {
	if status < 200 { // 1xx informational answers go straight through
		w.ResponseWriter.WriteHeader(status)
		return
	}
	if w.state != beforeHeader {
		return
	}
	w.status = status
	h := w.Header()
	ct := h.Get("Content-Type")
	text := compressible(ct)
	if text {
		addVary(h, "Accept-Encoding")
	}
	if w.encoding == "" || (ct != "" && !text) || !encodable(status, h) {
		w.pass()
		return
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < minCompressLength {
		w.pass()
		return
	}
	w.state = undecided
}

func (w *compressWriter) Write(p []byte) (int, error) {
	if w.state == beforeHeader {
		w.WriteHeader(http.StatusOK)
	}
	switch w.state {
	case undecided:
		if len(w.pending) == 0 && len(p) >= minCompressLength {
			w.pending = p // a whole page in one write: decided and sent below, not kept
		} else {
			w.pending = append(w.pending, p...)
		}
		if len(w.pending) >= minCompressLength {
			if err := w.decide(true); err != nil {
				return 0, err
			}
		}
		return len(p), nil
	case compressing:
		if w.head {
			return len(p), nil
		}
		return w.enc.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// decide ends the undecided state: compress when big enough (or when
// told to, for a flush), else write what is held as it is.
func (w *compressWriter) decide(bigEnough bool) error {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		// What net/http would do on the first write, from the plain bytes.
		h.Set("Content-Type", http.DetectContentType(w.pending))
		if !compressible(h.Get("Content-Type")) {
			return w.passPending()
		}
		addVary(h, "Accept-Encoding")
	}
	if !bigEnough {
		return w.passPending()
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", w.encoding)
	if etag := h.Get("ETag"); strings.HasPrefix(etag, `"`) {
		// The bytes differ from those the tag names; the content does not.
		h.Set("ETag", "W/"+etag)
	}
	w.state = compressing
	w.ResponseWriter.WriteHeader(w.status)
	if w.head {
		w.pending = nil
		return nil
	}
	w.enc = w.pools.get(w.encoding, w.ResponseWriter)
	_, err := w.enc.Write(w.pending)
	w.pending = nil
	return err
}

func (w *compressWriter) pass() {
	w.state = passing
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *compressWriter) passPending() error {
	w.pass()
	_, err := w.ResponseWriter.Write(w.pending)
	w.pending = nil
	return err
}

// Flush sends what has been written so far, compressed if the response
// is being compressed.
func (w *compressWriter) Flush() {
	if w.state == beforeHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.state == undecided {
		w.decide(true) // a handler that flushes wants the bytes out now
	}
	if w.enc != nil {
		w.enc.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// finish completes the response once the handler is done.
func (w *compressWriter) finish() error {
	var err error
	switch w.state {
	case undecided:
		// A HEAD answer is compressed exactly when its GET would be; its
		// declared length says how big that body is.
		n, _ := strconv.Atoi(w.Header().Get("Content-Length"))
		err = w.decide(len(w.pending) >= minCompressLength || w.head && n >= minCompressLength)
	case compressing:
		if w.enc != nil {
			err = w.enc.Close()
		}
	}
	if w.enc != nil {
		w.pools.put(w.encoding, w.enc)
		w.enc = nil
	}
	return err
}

// abort ends a response whose handler panicked: bytes held back go out as
// they are, and a compressed stream is left unfinished, so that the client
// sees a broken response rather than a short one that looks whole.
func (w *compressWriter) abort() {
	if w.state == undecided {
		w.passPending()
	}
	if w.enc != nil {
		w.pools.put(w.encoding, w.enc)
		w.enc = nil
	}
}
