package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNothingWrittenToANonTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	for _, w := range []interface{ Write([]byte) (int, error) }{&buf, f} {
		b := New(w, "import", 10)
		for range 10 {
			b.Add(1)
		}
		b.Finish()
	}
	if buf.Len() != 0 {
		t.Errorf("buffer: got %q, want nothing", buf.String())
	}
	if info, err := f.Stat(); err != nil || info.Size() != 0 {
		t.Errorf("file: got %d bytes (%v), want 0", info.Size(), err)
	}
	if IsTerminal(f) || IsTerminal(&buf) {
		t.Error("a file or a buffer counted as a terminal")
	}
}

func TestDrawsOnATerminal(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var buf bytes.Buffer
	b := newBar(&buf, "articles", 200, now)
	clock = clock.Add(time.Second)
	b.Add(50)
	b.Add(10) // within the redraw interval: not drawn
	if got := strings.Count(buf.String(), "\r"); got != 1 {
		t.Errorf("got %d drawings, want 1: %q", got, buf.String())
	}
	if want := "\rarticles [=======>                      ]  25% 50/200 50/s\x1b[K"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	clock = clock.Add(time.Second)
	b.Add(140)
	b.Finish()
	b.Finish()
	b.Add(1)
	last := buf.String()[strings.LastIndex(buf.String(), "\r"):]
	if want := "\rarticles [==============================] 100% 200/200 100/s\x1b[K\n"; last != want {
		t.Errorf("last drawing: got %q, want %q", last, want)
	}
}
