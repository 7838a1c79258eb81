package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testImages encodes one small picture in each format the standard library
// writes; the WebP comes from testdata (made with cwebp -lossless).
func testImages(t *testing.T) map[string][]byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := range 8 {
		for y := range 6 {
			img.Set(x, y, color.RGBA{uint8(x * 30), uint8(y * 40), 120, 255})
		}
	}
	out := map[string][]byte{}
	var b bytes.Buffer
	png.Encode(&b, img)
	out["png"] = bytes.Clone(b.Bytes())
	b.Reset()
	jpeg.Encode(&b, img, nil)
	out["jpeg"] = bytes.Clone(b.Bytes())
	b.Reset()
	gif.Encode(&b, img, nil)
	out["gif"] = bytes.Clone(b.Bytes())
	webp, err := os.ReadFile("testdata/tiny.webp")
	if err != nil {
		t.Fatal(err)
	}
	out["webp"] = webp
	return out
}

func TestInspect(t *testing.T) {
	t.Parallel()
	for format, data := range testImages(t) {
		t.Run(format, func(t *testing.T) {
			img, err := Inspect(data)
			if err != nil || img.Format != format || img.Width != 8 || img.Height != 6 || len(img.Hash) != 64 {
				t.Errorf("got %+v, %v", img, err)
			}
		})
	}
	pngData := testImages(t)["png"]
	for name, data := range map[string][]byte{
		"text":            []byte("just some text pretending to be an image"),
		"html":            []byte("<html><script>alert(1)</script></html>"),
		"empty":           nil,
		"truncated png":   pngData[:len(pngData)/2],
		"png header only": pngData[:40],
		"svg":             []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Inspect(data); !errors.Is(err, ErrNotImage) {
				t.Errorf("got %v, want ErrNotImage", err)
			}
		})
	}
	if _, err := Inspect(make([]byte, MaxBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversize: got %v, want ErrTooLarge", err)
	}
	// A small file that would decode into hundreds of megabytes: a 16-bit
	// PNG whose header says 7000×7000 (its pixels are never reached).
	var d bytes.Buffer
	png.Encode(&d, image.NewRGBA64(image.Rect(0, 0, 1, 1)))
	deep := d.Bytes()
	binary.BigEndian.PutUint32(deep[16:], 7000) // IHDR width
	binary.BigEndian.PutUint32(deep[20:], 7000) // IHDR height
	binary.BigEndian.PutUint32(deep[29:], crc32.ChecksumIEEE(deep[12:29]))
	if _, err := Inspect(deep); !errors.Is(err, ErrTooLarge) {
		t.Errorf("7000×7000 16-bit PNG of %d bytes: got %v, want ErrTooLarge", len(deep), err)
	}
	huge := image.NewGray(image.Rect(0, 0, MaxSide+1, 1))
	var b bytes.Buffer
	png.Encode(&b, huge)
	if _, err := Inspect(b.Bytes()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too wide: got %v, want ErrTooLarge", err)
	}
}

func TestFolder(t *testing.T) {
	t.Parallel()
	f := Folder{Dir: filepath.Join(t.TempDir(), "media")}
	data := testImages(t)["png"]
	img, _ := Inspect(data)
	for range 2 { // saving the same file twice is harmless
		if err := f.Save(img, data); err != nil {
			t.Fatal(err)
		}
	}
	path, ct, ok := f.Open(img.FileName())
	if !ok || ct != "image/png" {
		t.Fatalf("Open: %q %q %v", path, ct, ok)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Error("stored file differs")
	}
	for _, name := range []string{"../media/" + img.FileName(), strings.ToUpper(img.FileName()), img.Hash + ".svg", img.Hash, ".upload-1", "x.png", img.Hash[:63] + ".png"} {
		if _, _, ok := f.Open(name); ok {
			t.Errorf("Open(%q) found a file", name)
		}
	}
	if img.Path() != "/media/"+img.Hash+".png" {
		t.Errorf("Path: %q", img.Path())
	}
	img.Alt, img.Caption = "A [red] square", `The "square"`
	if got := img.Markdown(); got != `![A (red) square](/media/`+img.Hash+`.png "The \"square\"")` {
		t.Errorf("Markdown: %q", got)
	}
}

func TestUploadCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		up     Upload
		fields []string
	}{
		{"described", Upload{Data: []byte("x"), Alt: "  A crane at dawn  ", Credit: "Maya"}, nil},
		{"no alt text", Upload{Data: []byte("x"), Alt: "   "}, []string{"image_alt"}},
		{"over 10 MB", Upload{Data: make([]byte, MaxBytes+1), Alt: "A crane"}, []string{"image"}},
		{"long caption", Upload{Data: []byte("x"), Alt: "A crane", Caption: strings.Repeat("é", MaxAlt+1)}, []string{"image_caption"}},
		{"not text", Upload{Data: []byte("x"), Alt: "A crane", Credit: "\xff"}, []string{"image_credit"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.up.Check()
			if len(errs) != len(tc.fields) {
				t.Fatalf("errors %v, want on %v", errs, tc.fields)
			}
			for _, f := range tc.fields {
				if errs[f] == "" {
					t.Errorf("no error beside %s: %v", f, errs)
				}
			}
		})
	}
	up := Upload{Alt: "  A crane  "}
	up.Check()
	if up.Alt != "A crane" {
		t.Errorf("alt text not trimmed: %q", up.Alt)
	}
}
