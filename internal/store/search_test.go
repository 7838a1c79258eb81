package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/search"
)

func searchArticle(t *testing.T, s *Store, slug, headline, body string, at time.Time, edit func(*article.Article)) {
	t.Helper()
	a := testArticle(slug, at)
	a.Headline, a.Body, a.Summary = headline, body, ""
	html, err := article.Render(body)
	if err != nil {
		t.Fatal(err)
	}
	a.HTML = html
	if edit != nil {
		edit(&a)
	}
	if _, err := s.SaveArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func slugsOf(results []SearchResult) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.Article.Slug)
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	searchArticle(t, s, "in-body", "Weather report", "The harbour was quiet, said the harbourmaster.", day, nil)
	searchArticle(t, s, "in-headline", "Harbour lights return", "Lamps along the quay.", day.Add(-time.Hour), nil)
	searchArticle(t, s, "cafe", "Café culture", "A new café opens in Zürich street.", day, func(a *article.Article) { a.Section = "Culture" })
	searchArticle(t, s, "arabic", "أزهارُ الربيع", "تَفَتَّحَتْ الأزهار في السهل الساحلي.", day, func(a *article.Article) { a.Language = "ar" })
	searchArticle(t, s, "draft", "Harbour draft", "Secret harbour plans.", day, func(a *article.Article) { a.Status = article.Draft })
	searchArticle(t, s, "future", "Harbour future", "Harbour tomorrow.", now.Add(time.Hour), nil)
	searchArticle(t, s, "markup", "Markup story", "Text with <b>bold</b> & **strong** harbour words.", day.Add(-48*time.Hour), nil)

	find := func(q SearchQuery) []string {
		t.Helper()
		q.Now = now
		res, err := s.Search(ctx, q, 10, 0)
		if err != nil {
			t.Fatalf("Search(%q): %v", q.Text, err)
		}
		return slugsOf(res)
	}
	// A headline match ranks above body matches; unpublished articles are never found.
	if got := find(SearchQuery{Text: "harbour"}); len(got) != 3 || got[0] != "in-headline" {
		t.Errorf("harbour: got %v, want in-headline first of 3", got)
	}
	for _, tc := range []struct {
		name, text string
		want       string
	}{
		{"prefix of the last word", "harbourm", "in-body"},
		{"diacritics dropped", "cafe zurich", "cafe"},
		{"diacritics typed", "Café", "cafe"},
		{"arabic without vowels", "الازهار", "arabic"},
		{"arabic with vowels", "أَزْهَار", "arabic"},
		{"arabic prefix", "السا", "arabic"},
	} {
		if got := find(SearchQuery{Text: tc.text}); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s (%q): got %v, want [%s]", tc.name, tc.text, got, tc.want)
		}
	}
	if got := find(SearchQuery{Text: "harbour", Section: "Culture"}); len(got) != 0 {
		t.Errorf("section filter: got %v", got)
	}
	if got := find(SearchQuery{Text: "harbour", From: day.Add(-time.Minute), To: day.Add(time.Minute)}); len(got) != 1 || got[0] != "in-body" {
		t.Errorf("date filter: got %v, want [in-body]", got)
	}
	for _, hostile := range []string{`foo"bar`, "AND", "title:", "hello OR", "NEAR(", "*", "' OR 1=1 --", `"unterminated`, "a-b", ")))", "^harbour", "harbour NOT", "{headline}: x",
		strings.Repeat("harbour ", 500), "\x00", "%_", `\`} {
		if _, err := s.Search(ctx, SearchQuery{Text: hostile, Now: now}, 10, 0); err != nil {
			t.Errorf("Search(%.40q): %v", hostile, err)
		}
	}
	res, _ := s.Search(ctx, SearchQuery{Text: "bold", Now: now}, 10, 0)
	if len(res) != 1 || !strings.Contains(res[0].Snippet, search.MatchStart+"bold"+search.MatchEnd) || strings.Contains(res[0].Snippet, "<b>") {
		t.Errorf("snippet: %+v", res)
	}
	if got, err := s.Search(ctx, SearchQuery{Text: "  ", Now: now}, 10, 0); err != nil || got != nil {
		t.Errorf("empty query: %v %v", got, err)
	}
}

func TestSearchIndexFollowsEditsAndFillsOnOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/s.db"
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	searchArticle(t, s, "story", "Original words", "Lighthouse.", day, nil)
	searchArticle(t, s, "story", "Changed words", "Windmill.", day, nil)
	for text, want := range map[string]int{"lighthouse": 0, "windmill": 1, "original": 0, "changed": 1} {
		if res, _ := s.Search(ctx, SearchQuery{Text: text, Now: now}, 10, 0); len(res) != want {
			t.Errorf("after an edit, %q finds %d, want %d", text, len(res), want)
		}
	}
	// An index emptied (as before the index existed) is filled at the next Open.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM articles_fts`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res, _ := s.Search(ctx, SearchQuery{Text: "windmill", Now: now}, 10, 0); len(res) != 1 {
		t.Errorf("after reopening, windmill finds %d, want 1", len(res))
	}
}
