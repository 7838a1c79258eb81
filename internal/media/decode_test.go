package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// decodeSamples are images of every kind the decoders treat differently:
// the files in testdata/decode (kinds Go cannot encode) and, encoded here,
// baseline JPEGs (colour, grey, RGB), PNGs of every depth and a GIF.
func decodeSamples(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, err := filepath.Glob("testdata/decode/*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if filepath.Ext(f) == ".md" {
			continue
		}
		if out[filepath.Base(f)], err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	const w, h = 1200, 900
	rect := image.Rect(0, 0, w, h)
	rgba, gray, deep := image.NewRGBA(rect), image.NewGray(rect), image.NewNRGBA64(rect)
	for y := range h {
		for x := range w {
			rgba.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
			gray.Set(x, y, color.Gray{uint8(x + y)})
			deep.Set(x, y, color.NRGBA64{uint16(x * 50), uint16(y * 70), 9000, 30000})
		}
	}
	encode := func(name string, enc func(*bytes.Buffer) error) {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			t.Fatal(err)
		}
		out[name] = b.Bytes()
	}
	encode("go-baseline.jpg", func(b *bytes.Buffer) error { return jpeg.Encode(b, rgba, nil) })
	encode("go-gray.jpg", func(b *bytes.Buffer) error { return jpeg.Encode(b, gray, nil) })
	encode("go-rgba8.png", func(b *bytes.Buffer) error { return png.Encode(b, rgba) })
	encode("go-gray8.png", func(b *bytes.Buffer) error { return png.Encode(b, gray) })
	encode("go-nrgba16.png", func(b *bytes.Buffer) error { return png.Encode(b, deep) })
	encode("go.gif", func(b *bytes.Buffer) error { return gif.Encode(b, rgba, nil) })
	// A JPEG whose components are named R, G and B is decoded as RGB and
	// converted to RGBA: rename them in the frame and scan headers.
	named := bytes.Clone(out["go-baseline.jpg"])
	sof, sos := bytes.Index(named, []byte{0xFF, 0xC0}), bytes.Index(named, []byte{0xFF, 0xDA})
	for c, id := range []byte("RGB") {
		named[sof+10+3*c], named[sos+5+2*c] = id, id
	}
	out["go-rgb.jpg"] = named
	return out
}

// TestDecodeBytesMatchTheAllocator decodes every kind of image and checks
// what the allocator handed out against decodeBytes's figure, worked out
// from the header: never more, and not far less (so the limit does not
// refuse images that would fit). It does not run in parallel: the
// allocator's figures are the process's.
func TestDecodeBytesMatchTheAllocator(t *testing.T) {
	samples := decodeSamples(t)
	if len(samples) < 17 {
		t.Fatalf("%d samples, want every kind", len(samples))
	}
	for name, data := range samples {
		t.Run(name, func(t *testing.T) {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			want, ok := decodeBytes(data, cfg, format)
			if !ok {
				t.Fatal("no figure from the header")
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := int64(after.TotalAlloc - before.TotalAlloc)
			t.Logf("%s %dx%d: allocated %5.1f MB, worked out %5.1f MB", format, cfg.Width, cfg.Height, float64(got)/1e6, float64(want)/1e6)
			if got > want || want > 2*got+2<<20 {
				t.Errorf("allocated %d bytes, decodeBytes says %d", got, want)
			}
		})
	}
}

// TestLargeDecodesAreRefused: small files whose headers describe decodes
// of hundreds of megabytes are refused before a pixel is decoded, each
// kind by its own cost: the CMYK progressive JPEG that took 810 MB at
// 7000×7000 is refused at 4000×4000 (264 MB), while a baseline colour JPEG
// of the same size (24 MB) is taken.
func TestLargeDecodesAreRefused(t *testing.T) {
	t.Parallel()
	samples := decodeSamples(t)
	resized := func(name string, w, h int) []byte {
		data := bytes.Clone(samples[name])
		i := bytes.Index(data, []byte{0xFF, 0xC0})
		if j := bytes.Index(data, []byte{0xFF, 0xC2}); i < 0 || j >= 0 && j < i {
			i = j
		}
		binary.BigEndian.PutUint16(data[i+5:], uint16(h))
		binary.BigEndian.PutUint16(data[i+7:], uint16(w))
		return data
	}
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"CMYK progressive 7000×7000", resized("cmyk-progressive.jpg", 7000, 7000), ErrTooLarge},
		{"CMYK progressive 4000×4000", resized("cmyk-progressive.jpg", 4000, 4000), ErrTooLarge},
		{"YCbCr 4:4:4 progressive 4000×4000", resized("ycc444-progressive.jpg", 4000, 4000), ErrTooLarge},
		{"CMYK baseline 4000×4000", resized("cmyk-baseline.jpg", 4000, 4000), ErrNotImage}, // fits; its pixels then run short
		{"baseline 4000×4000", resized("go-baseline.jpg", 4000, 4000), ErrNotImage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Inspect(tc.data); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	for name, data := range samples {
		t.Run(name+" taken", func(t *testing.T) {
			if _, err := Inspect(data); err != nil {
				t.Error(err)
			}
		})
	}
}
