// Package media owns uploaded images: which files are images (decided by
// decoding them, never by name or declared type), the limits on them, and
// the folder where they are kept by content hash. It must not import HTTP,
// SQL or template code.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // registers GIF decoding
	_ "image/jpeg" // registers JPEG decoding
	_ "image/png"  // registers PNG decoding
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	_ "golang.org/x/image/webp" // registers WebP decoding
)

// Limits of an upload.
const (
	MaxBytes  = 10 << 20   // 10 MB
	MaxPixels = 50_000_000 // a 50-megapixel camera's photo
	MaxSide   = 20_000
	MaxAlt    = 300
	// MaxDecodeBytes bounds the memory one decode may take. A small file can
	// describe a large picture (a 400 KB PNG of 7000×7000 16-bit pixels
	// decodes into 374 MB), so the limit is on the decoded size.
	MaxDecodeBytes = 200 << 20
)

// ErrNotImage is returned for a file that does not decode as a JPEG, PNG,
// WebP or GIF image.
var ErrNotImage = errors.New("media: not a JPEG, PNG, WebP or GIF image")

// ErrTooLarge is returned for a file over MaxBytes or an image over the
// pixel limits.
var ErrTooLarge = errors.New("media: image too large")

// Image is a stored image and what readers need to show it.
type Image struct {
	ID         int64
	Hash       string // SHA-256 of the file, hex
	Format     string // jpeg, png, webp or gif
	Width      int
	Height     int
	Bytes      int64
	Alt        string
	Caption    string
	Credit     string
	UploadedAt time.Time
	Username   string
}

// extensions are the file name endings of the accepted formats.
var extensions = map[string]string{"jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif"}

// contentTypes are the media types the files are served with.
var contentTypes = map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}

// FileName is the image's name in the media folder and in its address.
func (i Image) FileName() string { return i.Hash + extensions[i.Format] }

// Path is the image's address on the site.
func (i Image) Path() string { return "/media/" + i.FileName() }

// Markdown is the image as Markdown, for pasting into an article.
func (i Image) Markdown() string {
	alt := strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(i.Alt)
	if i.Caption == "" {
		return fmt.Sprintf("![%s](%s)", alt, i.Path())
	}
	return fmt.Sprintf("![%s](%s %q)", alt, i.Path(), i.Caption)
}

// Inspect decides whether data is an image it accepts, by decoding it
// whole, and returns its format and size with the hash filled in.
func Inspect(data []byte) (Image, error) {
	if len(data) > MaxBytes {
		return Image{}, ErrTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Image{}, ErrNotImage
	}
	if _, ok := extensions[format]; !ok {
		return Image{}, ErrNotImage
	}
	pixels := cfg.Width * cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || pixels > MaxPixels ||
		pixels*bytesPerPixel(cfg.ColorModel) > MaxDecodeBytes {
		return Image{}, ErrTooLarge
	}
	// The header can lie; decoding the pixels shows the rest is an image too.
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return Image{}, ErrNotImage
	}
	sum := sha256.Sum256(data)
	return Image{Hash: hex.EncodeToString(sum[:]), Format: format, Width: cfg.Width, Height: cfg.Height, Bytes: int64(len(data))}, nil
}

// bytesPerPixel is what a decoded pixel of a colour model takes in memory.
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel, color.NYCbCrAModel:
		return 3 // at most; chroma subsampling makes it less
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// Folder is the directory images are kept in, outside any web root of the
// source tree.
type Folder struct{ Dir string }

// Save writes the image's file, unless a file with its hash is there
// already. It writes to a temporary file first, so a crash never leaves
// half an image under the final name.
func (f Folder) Save(img Image, data []byte) error {
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return fmt.Errorf("media: folder %q: %w", f.Dir, err)
	}
	final := filepath.Join(f.Dir, img.FileName())
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(f.Dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("media: save %s: %w", img.FileName(), err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("media: save %s: %w", img.FileName(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: save %s: %w", img.FileName(), err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("media: save %s: %w", img.FileName(), err)
	}
	return nil
}

// fileName matches the names Save gives: a SHA-256 in hex and a known ending.
var fileName = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png|webp|gif)$`)

// Open finds a stored file by its name and returns its path and content
// type. Any other name, however it is spelled, is not found.
func (f Folder) Open(name string) (path, contentType string, ok bool) {
	if !fileName.MatchString(name) {
		return "", "", false
	}
	path = filepath.Join(f.Dir, name)
	if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
		return "", "", false
	}
	return path, contentTypes[filepath.Ext(name)], true
}
