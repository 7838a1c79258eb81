// Package progress draws a one-line progress bar for long commands, such as
// imports and demo data, on a terminal, and nothing at all anywhere else
// (a pipe, a file, a test buffer), so that scripts see only a command's
// result. It must not import HTTP, SQL or template code.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// redrawEvery spaces out redraws: a terminal needs no more than ten a
// second, and a bar updated from a loop of 50,000 steps must stay cheap.
const redrawEvery = 100 * time.Millisecond

// width is the number of cells of the bar itself.
const width = 30

// Bar counts steps towards a total and shows how far it got. Its methods
// may be called from several goroutines. The zero value is not usable; a
// Bar from New that writes nowhere costs one lock per call.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer // nil when the writer is not a terminal
	label string
	total int
	done  int
	start time.Time
	drawn time.Time
	now   func() time.Time
}

// New returns a bar of total steps labelled label that draws on w if w is
// a terminal, and never writes otherwise.
func New(w io.Writer, label string, total int) *Bar {
	if !IsTerminal(w) {
		w = nil
	}
	return newBar(w, label, total, time.Now)
}

func newBar(w io.Writer, label string, total int, now func() time.Time) *Bar {
	return &Bar{w: w, label: label, total: total, start: now(), now: now}
}

// IsTerminal reports whether w is a file that is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// Add counts n more steps done, and redraws if the last drawing is old.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if b.w == nil {
		return
	}
	if now := b.now(); now.Sub(b.drawn) >= redrawEvery {
		b.drawn = now
		b.draw(now)
	}
}

// Finish draws the bar a last time and ends its line; the terminal's next
// output starts on a line of its own.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w == nil {
		return
	}
	b.draw(b.now())
	fmt.Fprintln(b.w)
	b.w = nil // a second Finish, or a late Add, draws nothing
}

// draw writes the line over the previous one: label, bar, percentage,
// count, and the rate since the start.
func (b *Bar) draw(now time.Time) {
	frac := 1.0
	if b.total > 0 {
		frac = min(float64(b.done)/float64(b.total), 1)
	}
	full := int(frac * width)
	bar := strings.Repeat("=", full) + strings.Repeat(" ", width-full)
	if full < width {
		bar = bar[:full] + ">" + bar[full+1:]
	}
	rate := 0.0
	if secs := now.Sub(b.start).Seconds(); secs > 0 {
		rate = float64(b.done) / secs
	}
	// \r returns to the start of the line and \x1b[K clears what a longer
	// earlier line left behind.
	fmt.Fprintf(b.w, "\r%s [%s] %3.0f%% %d/%d %.0f/s\x1b[K", b.label, bar, frac*100, b.done, b.total, rate)
}
