package content

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// TestSampleContent checks the sample site against what it is meant to
// show: enough original articles over several years, one filed under the
// next local day, one in Arabic, one scheduled, one draft.
func TestSampleContent(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(FS, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 15 {
		t.Fatalf("got %d sample articles, want at least 15", len(names))
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	years := map[int]bool{}
	months := map[string]bool{}
	var lateUTC, arabic, scheduled, draft int
	slugs := map[string]string{}
	for _, name := range names {
		src, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := article.Parse(name, src, loc)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if other, dup := slugs[a.Slug]; dup {
			t.Errorf("%s and %s share slug %q", name, other, a.Slug)
		}
		slugs[a.Slug] = name
		if words := len(strings.Fields(a.Body)); words < 300 || words > 900 {
			t.Errorf("%s has %d words, want 300-900", name, words)
		}
		if a.Status == article.Draft {
			draft++
			continue
		}
		if a.PublishedAt.After(now) {
			scheduled++
			continue
		}
		years[a.PublishedAt.In(loc).Year()] = true
		months[a.PublishedAt.In(loc).Format("2006-01")] = true
		if h := a.PublishedAt.UTC().Hour(); h >= 21 {
			lateUTC++
		}
		if a.Language == "ar" {
			arabic++
		}
	}
	if len(years) < 3 || len(months) < 6 {
		t.Errorf("published articles span %d years and %d months, want at least 3 and 6", len(years), len(months))
	}
	if lateUTC == 0 || arabic == 0 || scheduled == 0 || draft == 0 {
		t.Errorf("got %d late-UTC, %d Arabic, %d scheduled, %d draft articles; want at least one of each", lateUTC, arabic, scheduled, draft)
	}
	if _, err := fs.Stat(FS, "sample-comments.yaml"); err != nil {
		t.Errorf("sample comments: %v", err)
	}
}
