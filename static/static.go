// Package static embeds the site's CSS, images and scripts so the binary
// serves them from any working directory. Each file also gets a name that
// carries a hash of its content (css/site.3f9a2c1e.css), so that pages can
// link it and browsers and CDNs can keep it for a year: a changed file gets
// a new name. Text files come compressed with gzip and brotli as well, made
// once. It holds files only and imports nothing of the project.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/bits"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// FS holds css/, img/ and js/.
//
//go:embed css img js
var FS embed.FS

// File is one embedded file with its content-hashed name and, for text,
// its compressed forms. Files are shared: callers must not change them.
type File struct {
	Name        string // as embedded: "css/site.css"
	HashedName  string // "css/site.3f9a2c1e.css"
	ContentType string
	ETag        string // strong validator of Body, quoted
	Body        []byte
	// Gzip and Brotli are Body compressed; both nil when the type is not
	// text or compressing does not make it smaller.
	Gzip, Brotli []byte
}

// URL is the address of an embedded file ("css/site.css") under its
// content-hashed name: "/static/css/site.3f9a2c1e.css". A name that is not
// embedded gets its plain address, which answers 404.
func URL(name string) string {
	if f, ok := files().byName[name]; ok {
		return "/static/" + f.HashedName
	}
	return "/static/" + name
}

// ByName finds a file by the name it is embedded under ("css/site.css").
func ByName(name string) (*File, bool) {
	f, ok := files().byName[name]
	return f, ok
}

// ByHashedName finds a file by its content-hashed name
// ("css/site.3f9a2c1e.css"); an old or made-up hash finds nothing.
func ByHashedName(name string) (*File, bool) {
	f, ok := files().byHashed[name]
	return f, ok
}

// table is every embedded file by both of its names.
type table struct {
	byName, byHashed map[string]*File
}

// files builds the table on first use (the first page links a file), not
// at package init, so that commands that serve nothing do not pay for
// compressing (about 50 ms); it never changes afterwards. The embedded files cannot fail to read, so a failure is a
// broken build and panics.
var files = sync.OnceValue(func() table {
	t := table{byName: map[string]*File{}, byHashed: map[string]*File{}}
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := FS.ReadFile(name)
		if err != nil {
			return err
		}
		f, err := newFile(name, body)
		if err != nil {
			return err
		}
		t.byName[f.Name] = f
		t.byHashed[f.HashedName] = f
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("static: reading the embedded files: %v", err))
	}
	return t
})

func newFile(name string, body []byte) (*File, error) {
	sum := sha256.Sum256(body)
	f := &File{
		Name:        name,
		HashedName:  hashedName(name, hex.EncodeToString(sum[:4])),
		ContentType: mime.TypeByExtension(path.Ext(name)),
		ETag:        `"` + hex.EncodeToString(sum[:8]) + `"`,
		Body:        body,
	}
	if f.ContentType == "" {
		f.ContentType = http.DetectContentType(body)
	}
	if !isText(f.ContentType) {
		return f, nil
	}
	gz, err := gzipBytes(body)
	if err != nil {
		return nil, err
	}
	br, err := brotliBytes(body)
	if err != nil {
		return nil, err
	}
	if len(gz) < len(body) && len(br) < len(body) {
		f.Gzip, f.Brotli = gz, br
	}
	return f, nil
}

// hashedName puts a hash before a name's extension: css/site.css and
// 3f9a2c1e give css/site.3f9a2c1e.css. The hash is the first 8 hex digits
// of the file's SHA-256: enough to tell one version of a file from the
// next, short enough to read.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// isText reports whether a type is text worth compressing: CSS,
// JavaScript, SVG, HTML, plain text, JSON, XML. Images are compressed
// already.
func isText(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "+json") ||
		mt == "application/javascript" || mt == "application/json" || mt == "application/xml"
}

// The files are compressed once per process, so harder than pages are.
// Measured on site.css (27.5 KB): brotli 10 gives 6.4 KB in about 30 ms;
// 11 gives 6.3 KB in 70 ms, 9 gives 6.9 KB in 5 ms. Gzip 9 gives 7.3 KB.
const brotliQuality = 10

func gzipBytes(body []byte) ([]byte, error) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // the level is valid
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func brotliBytes(body []byte) ([]byte, error) {
	var b bytes.Buffer
	// The window fits the file: a larger one only costs memory.
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotliQuality, LGWin: min(max(bits.Len(uint(len(body))), 10), 24)})
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
