package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
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
	if _, err := s.ImportArticle(context.Background(), a); err != nil {
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

	find := func(t *testing.T, q SearchQuery) []string {
		t.Helper()
		q.Now = now
		res, err := s.Search(ctx, q, 10, 0)
		if err != nil {
			t.Fatalf("Search(%q): %v", q.Text, err)
		}
		return slugsOf(res)
	}
	// A headline match ranks above body matches; unpublished articles are never found.
	if got := find(t, SearchQuery{Text: "harbour"}); len(got) != 3 || got[0] != "in-headline" {
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
		t.Run(tc.name, func(t *testing.T) {
			if got := find(t, SearchQuery{Text: tc.text}); len(got) != 1 || got[0] != tc.want {
				t.Errorf("%q: got %v, want [%s]", tc.text, got, tc.want)
			}
		})
	}
	if got := find(t, SearchQuery{Text: "harbour", Section: "Culture"}); len(got) != 0 {
		t.Errorf("section filter: got %v", got)
	}
	if got := find(t, SearchQuery{Text: "harbour", From: day.Add(-time.Minute), To: day.Add(time.Minute)}); len(got) != 1 || got[0] != "in-body" {
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
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT id FROM articles WHERE slug = 'story'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	reopen := func() {
		t.Helper()
		s.Close()
		if s, err = Open(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	// A normal start reads no articles: one missing from the index stays
	// missing...
	if _, err := s.w.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, id); err != nil {
		t.Fatal(err)
	}
	reopen()
	if res, _ := s.Search(ctx, SearchQuery{Text: "windmill", Now: now}, 10, 0); len(res) != 0 {
		t.Errorf("after a normal reopen, windmill finds %d, want 0 (no start reads every article)", len(res))
	}
	// ...unless it is listed as unindexed, as migration 0012 lists them all.
	if _, err := s.w.ExecContext(ctx, `INSERT INTO unindexed_articles (article_id) VALUES (?)`, id); err != nil {
		t.Fatal(err)
	}
	reopen()
	defer s.Close()
	if res, _ := s.Search(ctx, SearchQuery{Text: "windmill", Now: now}, 10, 0); len(res) != 1 {
		t.Errorf("after reopening with the article listed, windmill finds %d, want 1", len(res))
	}
	var listed int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM unindexed_articles`).Scan(&listed); err != nil || listed != 0 {
		t.Errorf("unindexed_articles after opening: %d rows (%v), want 0", listed, err)
	}
}

func TestSearchIndexIsContentless(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	searchArticle(t, s, "story", "Harbour lights", "The harbour was quiet.", time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC), nil)
	assertContentless(t, s)
}

// assertContentless checks that the search index holds no text: its
// columns read as NULL, it has no content table, and it was declared so.
func assertContentless(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var rows, texts int
	err := s.r.QueryRowContext(ctx, `SELECT count(*), count(headline) + count(summary) + count(body) FROM articles_fts`).Scan(&rows, &texts)
	if err != nil || rows == 0 || texts != 0 {
		t.Errorf("articles_fts: %d rows with %d texts (%v), want rows and no text", rows, texts, err)
	}
	var schema string
	if err := s.r.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(schema, "content = ''") || !strings.Contains(schema, "contentless_delete = 1") ||
		!strings.Contains(schema, "detail = column") {
		t.Errorf("articles_fts is declared as %s, want content = '', contentless_delete = 1 and detail = column", schema)
	}
	var content int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'articles_fts_content'`).Scan(&content); err != nil || content != 0 {
		t.Errorf("articles_fts_content exists (%d, %v): the index keeps a copy of the text", content, err)
	}
}

// oldArticle is an article of a database from before migration 0012.
type oldArticle struct{ slug, headline, summary, body string }

// createOldDatabase makes, at path, a database as it was before migration
// 0012 and with the other migrations in skip also left out: the articles,
// and a search index that keeps its own copy of their normalised text,
// filled as the store then filled it.
func createOldDatabase(t *testing.T, path string, skip func(name string) bool, list []oldArticle) {
	t.Helper()
	ctx := context.Background()
	old := fstest.MapFS{}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.Contains(name, "/0012_") || skip(name) {
			continue
		}
		src, err := fs.ReadFile(migrations, name)
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: src}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, old); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, a := range list {
		html, err := article.Render(a.body)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ExecContext(ctx, `INSERT INTO articles (slug, headline, summary, body, body_html, author, section,
			language, status, published_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Old Hand', 'City', 'en', 'published', ?, ?)`,
			a.slug, a.headline, a.summary, a.body, string(html), at, at)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		if _, err := db.ExecContext(ctx, `INSERT INTO articles_fts (rowid, headline, summary, body) VALUES (?, ?, ?, ?)`,
			id, search.Normalize(a.headline), search.Normalize(a.summary), search.Normalize(article.PlainText(html))); err != nil {
			t.Fatal(err)
		}
	}
	var copies int
	if err := db.QueryRowContext(ctx, `SELECT count(body) FROM articles_fts`).Scan(&copies); err != nil || copies != len(list) {
		t.Fatalf("old index holds %d copies of text (%v), want %d", copies, err, len(list))
	}
}

func TestSearchAfterUpgrade(t *testing.T) {
	t.Parallel()
	list := []oldArticle{
		{"harbour", "Harbour lights return", "Lamps along the quay.", "The harbourmaster lit every lamp."},
		{"cafe", "Café culture", "", "A new café opens in *Zürich* street."},
		{"arabic", "أزهارُ الربيع", "", "تَفَتَّحَتْ الأزهار في السهل الساحلي."},
	}
	for _, tc := range []struct {
		name string
		skip func(string) bool
	}{
		// A database of the release before: migrated up to 0011.
		{"from 0011", func(name string) bool { return name > "migrations/0012" }},
		// One made while 0013 was merged and 0012 was not yet: its version
		// is past 0012, which migrate alone would never run; 0017 rebuilds
		// the index the same way.
		{"0012 missed", func(name string) bool { return name >= "migrations/0017" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.db")
			createOldDatabase(t, path, tc.skip, list)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			assertContentless(t, s)
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, c := range []struct{ name, text, slug, snippet string }{
				{"prefix of a word", "harbourm", "harbour", search.MatchStart + "harbourmaster" + search.MatchEnd},
				{"diacritics dropped", "cafe zurich", "cafe", search.MatchStart + "Zürich" + search.MatchEnd},
				{"arabic without hamza", "الازهار", "arabic", search.MatchStart + "الأزهار" + search.MatchEnd},
				{"in the summary", "quay", "harbour", search.MatchStart + "quay" + search.MatchEnd},
			} {
				t.Run(c.name, func(t *testing.T) {
					res, err := s.Search(ctx, SearchQuery{Text: c.text, Now: now}, 10, 0)
					if err != nil || len(res) != 1 || res[0].Article.Slug != c.slug || !strings.Contains(res[0].Snippet, c.snippet) {
						t.Errorf("after the upgrade, Search(%q): got %+v (%v), want %s with %q in the snippet", c.text, res, err, c.slug, c.snippet)
					}
				})
			}
			var listed int
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM unindexed_articles`).Scan(&listed); err != nil || listed != 0 {
				t.Errorf("unindexed_articles after the upgrade: %d rows (%v), want 0", listed, err)
			}
		})
	}
}

func TestSearchIndexOnOlderDatabases(t *testing.T) {
	t.Parallel()
	// A database from before migration 0016 has no articles_search; it
	// gets it when it opens, and search works on.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	createOldDatabase(t, path, func(name string) bool { return name >= "migrations/0016" },
		[]oldArticle{{"story", "Harbour lights", "", "The harbour was quiet."}})
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var has int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'articles_search'`).Scan(&has); err != nil || has != 1 {
		t.Errorf("articles_search after reopening: %d (%v), want it back", has, err)
	}
	res, err := s.Search(ctx, SearchQuery{Text: "quiet", Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, 10, 0)
	if err != nil || len(res) != 1 {
		t.Errorf("Search(quiet) after reopening: %d results (%v), want 1", len(res), err)
	}
	assertContentless(t, s)
}

func TestSearchSnippetsKeepTheText(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	day := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	searchArticle(t, s, "cafe", "Culture", "A new café opens in Zürich street, *near* the `<b>` bakery.", day, nil)
	searchArticle(t, s, "arabic", "ربيع", "تَفَتَّحَتْ الأَزْهَارُ في السهل الساحلي.", day, func(a *article.Article) { a.Language = "ar" })
	searchArticle(t, s, "summary-only", "Notes", "Nothing here.", day, func(a *article.Article) { a.Summary = "The regatta is on." })
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ name, text, want string }{
		{"accents and markup", "cafe", "A new \x02café\x03 opens in Zürich street, near the <b> bakery."},
		{"two words, one a prefix", "zurich bak", "A new café opens in \x02Zürich\x03 street, near the <b> \x02bakery\x03."},
		{"arabic vowel marks", "الازهار", "تَفَتَّحَتْ \x02الأَزْهَارُ\x03 في السهل الساحلي."},
		{"only in the summary", "regatta", "The \x02regatta\x03 is on."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Search(ctx, SearchQuery{Text: tc.text, Now: now}, 10, 0)
			if err != nil || len(res) != 1 {
				t.Fatalf("Search(%q): %d results, %v", tc.text, len(res), err)
			}
			if res[0].Snippet != tc.want {
				t.Errorf("Search(%q) snippet: got %q, want %q", tc.text, res[0].Snippet, tc.want)
			}
			if res[0].Article.HTML != "" || res[0].Article.Body != "" {
				t.Errorf("Search(%q): the result carries its body", tc.text)
			}
		})
	}
}

func TestSearchRanksTheNewestMatchesOfACommonWord(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	// More articles with "common" than Search ranks; the oldest also with a
	// rare word, and it and a newer one with "common" in the headline too;
	// the newest with a longer word only.
	n := rankedMatches + 50
	headline := func(i int) string {
		if i == 0 || i == n-10 {
			return "Common ground"
		}
		return fmt.Sprintf("Story %d", i)
	}
	body := func(i int) string {
		switch i {
		case 0:
			return "A common story with a quokka in it."
		case n:
			return "A commonplace story."
		}
		return "Another common story."
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		for i := range n + 1 {
			at := start.Add(time.Duration(i) * time.Hour)
			a := article.Article{Headline: headline(i), Body: body(i), HTML: article.HTML("<p>" + body(i) + "</p>")}
			res, err := tx.ExecContext(ctx, `INSERT INTO articles (slug, headline, summary, body, body_html, author, section,
				language, status, published_at, updated_at) VALUES (?, ?, '', ?, ?, 'A', 'City', 'en', 'published', ?, ?)`,
				fmt.Sprintf("story-%d", i), a.Headline, a.Body, string(a.HTML), at, at)
			if err != nil {
				return err
			}
			if a.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			if err := indexArticle(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := start.Add(time.Duration(n+1) * time.Hour)
	find := func(text string, limit, offset int) []string {
		t.Helper()
		res, err := s.Search(ctx, SearchQuery{Text: text, Now: now}, limit, offset)
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		return slugsOf(res)
	}
	if got := find("common", 20, 0); len(got) != 20 || got[0] != fmt.Sprintf("story-%d", n-10) {
		t.Errorf("common: got %v, want 20 with the newer headline match story-%d first", got, n-10)
	}
	// The pages stop after the ranked matches, which leave the oldest
	// out; a word this common is matched whole, so not "commonplace".
	all := find("common", 2*rankedMatches, 0)
	if len(all) != rankedMatches || slices.Contains(all, "story-0") || slices.Contains(all, fmt.Sprintf("story-%d", n)) {
		t.Errorf("common: %d results (story-0 in them: %t, commonplace: %t), want %d without either",
			len(all), slices.Contains(all, "story-0"), slices.Contains(all, fmt.Sprintf("story-%d", n)), rankedMatches)
	}
	if got := find("common", 20, rankedMatches); len(got) != 0 {
		t.Errorf("common past the ranked matches: %d results, want 0", len(got))
	}
	// A prefix that is no common word matches the longer words too.
	if got := find("commo", rankedMatches, 0); !slices.Contains(got, fmt.Sprintf("story-%d", n)) {
		t.Errorf("commo: got %v, want story-%d (commonplace) among them", got, n)
	}
	// A rare word still finds the old article, alone or with the common one.
	for _, q := range []string{"quokka", "common quokka", "quok"} {
		if got := find(q, 20, 0); len(got) != 1 || got[0] != "story-0" {
			t.Errorf("Search(%q): got %v, want [story-0]", q, got)
		}
	}
	// Filters apply before the cut: the oldest matches are found by date.
	old, err := s.Search(ctx, SearchQuery{Text: "common", Now: now, From: start, To: start.Add(3 * time.Hour)}, 20, 0)
	if err != nil || len(old) != 3 || old[0].Article.Slug != "story-0" {
		t.Errorf("common in the first three hours: got %v (%v), want story-0 first of 3", slugsOf(old), err)
	}
}
