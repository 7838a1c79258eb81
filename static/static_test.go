package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"regexp"
	"testing"

	"github.com/andybalholm/brotli"
)

var hashed = regexp.MustCompile(`^/static/css/site\.[0-9a-f]{8}\.css$`)

func TestURL(t *testing.T) {
	t.Parallel()
	if got := URL("css/site.css"); !hashed.MatchString(got) {
		t.Errorf("URL(css/site.css): got %q, want /static/css/site.<8 hex>.css", got)
	}
	if got := URL("css/missing.css"); got != "/static/css/missing.css" {
		t.Errorf("URL of a missing file: got %q, want its plain address", got)
	}
}

func TestHashedNameFollowsContent(t *testing.T) {
	t.Parallel()
	a, err := newFile("css/site.css", []byte("body { color: red; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newFile("css/site.css", []byte("body { color: rod; }\n"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := newFile("css/site.css", []byte("body { color: red; }\n"))
	if a.HashedName == b.HashedName || a.ETag == b.ETag {
		t.Errorf("one changed byte kept the name %q and tag %s", a.HashedName, a.ETag)
	}
	if again.HashedName != a.HashedName || again.ETag != a.ETag {
		t.Errorf("the same bytes got %q %s, then %q %s", a.HashedName, a.ETag, again.HashedName, again.ETag)
	}
	for _, f := range []*File{a, b} {
		if !regexp.MustCompile(`^css/site\.[0-9a-f]{8}\.css$`).MatchString(f.HashedName) {
			t.Errorf("hashed name: got %q", f.HashedName)
		}
	}
	if got := hashedName("js/jquery.min.js", "0123abcd"); got != "js/jquery.min.0123abcd.js" {
		t.Errorf("hashedName: got %q", got)
	}
}

// Every embedded file is in the table under both names, and its
// compressed forms, when it has them, decode to it.
func TestEveryFile(t *testing.T) {
	t.Parallel()
	n := 0
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		f, ok := ByName(name)
		if !ok {
			t.Fatalf("ByName(%s): not found", name)
		}
		if h, ok := ByHashedName(f.HashedName); !ok || h != f {
			t.Errorf("ByHashedName(%s): got %v %v", f.HashedName, h, ok)
		}
		body, _ := FS.ReadFile(name)
		if !bytes.Equal(f.Body, body) {
			t.Errorf("%s: body differs from the embedded file", name)
		}
		text := map[string]bool{".css": true, ".js": true, ".svg": true}[path.Ext(name)]
		if text != (f.Gzip != nil) {
			t.Errorf("%s (%s): compressed forms: got %v, want %v", name, f.ContentType, f.Gzip != nil, text)
		}
		if f.Gzip == nil {
			return nil
		}
		zr, err := gzip.NewReader(bytes.NewReader(f.Gzip))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, body) {
			t.Errorf("%s: gzip form decodes to %d bytes (%v), want the file's %d", name, len(got), err, len(body))
		}
		if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(f.Brotli))); err != nil || !bytes.Equal(got, body) {
			t.Errorf("%s: brotli form decodes to %d bytes (%v), want the file's %d", name, len(got), err, len(body))
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walking the files: %d, %v", n, err)
	}
	if _, ok := ByHashedName("css/site.00000000.css"); ok {
		t.Error("a made-up hash found a file")
	}
	if _, ok := ByName("static.go"); ok {
		t.Error("the package source is in the table")
	}
}

func BenchmarkTable(b *testing.B) {
	for b.Loop() {
		fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
			if !d.IsDir() {
				body, _ := FS.ReadFile(name)
				newFile(name, body)
			}
			return nil
		})
	}
}
