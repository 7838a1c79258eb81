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
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	_ "golang.org/x/image/webp" // registers WebP decoding

	"github.com/dateline/dateline/internal/fields"
)

// Limits of an upload.
const (
	MaxBytes  = 10 << 20   // 10 MB
	MaxPixels = 40_000_000 // 8000×5000, more than most cameras make
	MaxSide   = 20_000
	MaxAlt    = 300
	// MaxDecodeBytes bounds the memory one decode may take. A small file can
	// describe a large picture (a 767 KB progressive CMYK JPEG of 7000×7000
	// took 810 MB to decode), so the limit is on what the decoder will
	// allocate, worked out from the header (decodeBytes) before decoding.
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

// PathPrefix is where images are on the site: PathPrefix + FileName.
const PathPrefix = "/media/"

// Path is the image's address on the site.
func (i Image) Path() string { return PathPrefix + i.FileName() }

// Markdown is the image as Markdown, for pasting into an article.
func (i Image) Markdown() string {
	alt := strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(i.Alt)
	if i.Caption == "" {
		return fmt.Sprintf("![%s](%s)", alt, i.Path())
	}
	return fmt.Sprintf("![%s](%s %q)", alt, i.Path(), i.Caption)
}

// Upload is an image sent with a form and the description an editor gave
// it. Its fields are named as the forms name them.
type Upload struct {
	Data                 []byte // at most MaxBytes+1 of the file: one more says it is too large
	Alt, Caption, Credit string
}

// Check trims the description and checks the upload's rules, by form
// field: the file's size ("image"), alt text given ("image_alt"), and each
// text within MaxAlt characters. Whether the file is an image is Inspect's.
func (u *Upload) Check() fields.Errors {
	u.Alt, u.Caption, u.Credit = strings.TrimSpace(u.Alt), strings.TrimSpace(u.Caption), strings.TrimSpace(u.Credit)
	errs := fields.Errors{}
	if len(u.Data) > MaxBytes {
		errs["image"] = "This file is larger than 10 MB; please choose a smaller image."
	}
	if u.Alt == "" {
		errs["image_alt"] = "Please describe the image for readers who cannot see it."
	}
	for field, v := range map[string]string{"image_alt": u.Alt, "image_caption": u.Caption, "image_credit": u.Credit} {
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > MaxAlt {
			errs[field] = "Please keep this to 300 characters or fewer."
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Problem is the words, beside the form's "image" field, for an error of
// Inspect that is about the file; ok is false for any other error.
func Problem(err error) (message string, ok bool) {
	switch {
	case errors.Is(err, ErrTooLarge):
		return "This image is too large: at most 10 MB and 40 megapixels (less for progressive or CMYK JPEGs).", true
	case errors.Is(err, ErrNotImage):
		return "This file is not a JPEG, PNG, WebP or GIF image.", true
	}
	return "", false
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
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return Image{}, ErrTooLarge
	}
	need, ok := decodeBytes(data, cfg, format)
	if !ok {
		return Image{}, ErrNotImage
	}
	if need > MaxDecodeBytes {
		return Image{}, ErrTooLarge
	}
	// The header can lie; decoding the pixels shows the rest is an image too.
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return Image{}, ErrNotImage
	}
	sum := sha256.Sum256(data)
	return Image{Hash: hex.EncodeToString(sum[:]), Format: format, Width: cfg.Width, Height: cfg.Height, Bytes: int64(len(data))}, nil
}

// decodeBytes is what decoding the image will allocate, worked out from
// its header the way Go's decoders allocate (TestDecodeBytesMatchTheAllocator
// measures both on every kind of file): ok is false for a header that
// does not say. Beyond the pixels, a JPEG with four components, or with
// three that are RGB, is converted into a second image of 4 bytes a pixel,
// and a progressive one keeps 256 bytes of coefficients for every 8×8
// block of every component until its last scan; an interlaced PNG is
// decoded pass by pass into images as large as the whole; a WebP with
// alpha decodes the alpha as a lossless image of its own.
func decodeBytes(data []byte, cfg image.Config, format string) (int64, bool) {
	const overhead = 1 << 20 // row buffers, Huffman and zlib state
	pixels := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		n, ok := jpegDecodeBytes(data, cfg.Width, cfg.Height)
		return n + overhead, ok
	case "png":
		// The IHDR chunk comes first; its last byte is the interlace method.
		if len(data) < 29 {
			return 0, false
		}
		n := pixels * int64(bytesPerPixel(cfg.ColorModel))
		if data[28] != 0 {
			n *= 2
		}
		return n + overhead, true
	case "gif":
		return pixels + overhead, true // the first frame, one byte a pixel
	case "webp":
		if cfg.ColorModel == color.YCbCrModel {
			return pixels*2 + overhead, true // lossy: 4:2:0, 1.5 bytes a pixel
		}
		return pixels*8 + overhead, true // lossless or with alpha: 4 to 7 measured
	}
	return 0, false
}

// jpegDecodeBytes reads a JPEG's frame header (and any Adobe marker) and
// works out what image/jpeg allocates to decode it.
func jpegDecodeBytes(data []byte, width, height int) (int64, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0, false
	}
	// The decoder converts three components to RGBA when the last Adobe
	// marker says "RGB" (transform 0), or with none when they are named
	// R, G and B. Entropy-coded data never holds 0xFF 0xEE, so any such
	// marker in the file is one: counting it wherever it is can only
	// overestimate.
	rgb := false
	for rest := data; ; {
		i := bytes.Index(rest, []byte{0xFF, 0xEE})
		if i < 0 {
			break
		}
		if seg := rest[i+2:]; len(seg) >= 14 && string(seg[2:7]) == "Adobe" && seg[13] == 0 {
			rgb = true
		}
		rest = rest[i+2:]
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 0, false
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD8: // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // a scan or the end before a frame header
			return 0, false
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return 0, false
		}
		if marker == 0xC0 || marker == 0xC1 || marker == 0xC2 {
			return frameDecodeBytes(data[i+4:i+2+n], marker == 0xC2, rgb, width, height)
		}
		i += 2 + n
	}
	return 0, false
}

// frameDecodeBytes works out a JPEG decode's allocations from its frame
// header: every component is padded to whole blocks of the largest
// sampling factors, as the decoder pads it.
func frameDecodeBytes(sof []byte, progressive, rgb bool, width, height int) (int64, bool) {
	if len(sof) < 6 {
		return 0, false
	}
	n := int(sof[5])
	if n != 1 && n != 3 && n != 4 || len(sof) < 6+3*n {
		return 0, false
	}
	hmax, vmax := 1, 1
	for c := range n {
		h, v := int(sof[7+3*c]>>4), int(sof[7+3*c]&15)
		if h < 1 || h > 4 || v < 1 || v > 4 {
			return 0, false
		}
		hmax, vmax = max(hmax, h), max(vmax, v)
	}
	mcuCols := int64((width + 8*hmax - 1) / (8 * hmax))
	mcuRows := int64((height + 8*vmax - 1) / (8 * vmax))
	var samples int64 // one byte each in the decoded image
	for c := range n {
		h, v := int64(sof[7+3*c]>>4), int64(sof[7+3*c]&15)
		samples += 64 * mcuCols * h * mcuRows * v
	}
	total := samples
	if n == 4 || n == 3 && (rgb || string([]byte{sof[6], sof[9], sof[12]}) == "RGB") {
		total += 4 * int64(width) * int64(height)
	}
	if progressive {
		total += 4 * samples // a [64]int32 block for every 64 samples
	}
	return total, true
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

// Remove deletes an image's file: one that a refused save had kept and no
// record names (see the caller's check), so that it is not served.
func (f Folder) Remove(img Image) error {
	err := os.Remove(filepath.Join(f.Dir, img.FileName()))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: remove %s: %w", img.FileName(), err)
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
