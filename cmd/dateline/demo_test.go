package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/store"
)

func TestDemoDataFillsAnEmptyDatabaseOnly(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo", "site.db")
	code, out, errOut := runCmd(t, "", "demo-data", "--articles", "120", "--comments", "900", "--seed", "3", "--db", db)
	if code != 0 {
		t.Fatalf("demo-data: exit %d, stderr %s", code, errOut)
	}
	summary := regexp.MustCompile(`^120 articles and 900 comments written to .*site\.db in \d+\.\ds \(seed 3\)\n$`)
	if !summary.MatchString(out) || errOut != "" {
		t.Errorf("got stdout %q and stderr %q, want one summary line and nothing else (stderr is not a terminal)", out, errOut)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts := func() (articles, comments int) {
		t.Helper()
		n, err := st.ArticleCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byStatus, err := st.CommentCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range byStatus {
			comments += k
		}
		return n, comments
	}
	if a, c := counts(); a != 120 || c != 900 {
		t.Errorf("stored: got %d articles and %d comments, want 120 and 900", a, c)
	}
	if revs, err := st.Revisions(ctx, 1); err != nil || len(revs) != 0 {
		t.Errorf("revisions of article 1: got %d, %v; want none", len(revs), err)
	}

	code, out, errOut = runCmd(t, "", "demo-data", "--articles", "10", "--db", db)
	if code != 2 || out != "" || !strings.Contains(errOut, "already has 120 articles") {
		t.Errorf("second run: got exit %d, stdout %q, stderr %q; want 2 and a refusal", code, out, errOut)
	}
	if a, c := counts(); a != 120 || c != 900 {
		t.Errorf("after the refusal: got %d articles and %d comments, want 120 and 900", a, c)
	}
}

func TestDemoDataFlags(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "site.db")
	for _, args := range [][]string{
		{"--articles", "0"},
		{"--comments", "-1"},
		{"--articles", "many"},
		{"stray"},
	} {
		code, _, errOut := runCmd(t, "", append([]string{"demo-data", "--db", db}, args...)...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: got exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	if code, out, _ := runCmd(t, "", "help"); code != 0 || !strings.Contains(out, "demo-data") || !strings.Contains(out, "-seed") {
		t.Errorf("help: exit %d, want demo-data and its flags in:\n%s", code, out)
	}
}
