package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
)

// newsWords are real words placed among the generated vocabulary, so that
// benchmark queries have something to find at various frequencies.
var newsWords = strings.Fields(`harbour market council tram library river festival rain storm heat school
	museum park bridge station orchestra rowing match league garden beach coast harvest bakery
	science telescope satellite battery solar engineer hospital clinic nurse budget theatre gallery
	cafe café zürich élan naïve أزهار الربيع مكتبة المدينة سوق البحر ساحل مطر`)

// benchVocabulary is 20,000 words: made-up ones from syllables, with the
// news words spread among them, so that a Zipf draw gives the long tail of
// rare words that real text has.
func benchVocabulary() []string {
	syllables := strings.Fields("ka lo mi ra sen tu vel dor pa ne si mor ta li ven ro qua ze fin gal")
	vocab := make([]string, 0, 20_000)
	for i := 0; len(vocab) < 20_000; i++ {
		if i%400 == 0 && i/400 < len(newsWords) {
			vocab = append(vocab, newsWords[i/400])
			continue
		}
		w := ""
		for n := i; ; n /= len(syllables) {
			w += syllables[n%len(syllables)]
			if n < len(syllables) {
				break
			}
		}
		vocab = append(vocab, w)
	}
	return vocab
}

// benchCorpus fills a store with n generated articles of about 150 words,
// in one transaction, through the same indexing the store uses on saves.
// The summary of article i holds a word of its own, refNNNNNN, for a word
// found in one article whatever the size of the corpus.
func benchCorpus(b *testing.B, n int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	r := rand.New(rand.NewPCG(1, 2))
	vocab := benchVocabulary()
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	text := func(words int) string {
		var sb strings.Builder
		for i := range words {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(vocab[zipf.Uint64()])
		}
		return sb.String()
	}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO articles (slug, headline, summary, body, body_html, author, section,
			language, status, published_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Bench', 'City', 'en', 'published', ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range n {
			body := text(150)
			at := start.Add(time.Duration(i) * 97 * time.Minute)
			a := article.Article{Headline: text(8), Summary: fmt.Sprintf("ref%06d ", i) + text(20), Body: body, HTML: article.HTML("<p>" + body + "</p>")}
			res, err := stmt.ExecContext(ctx, fmt.Sprintf("bench-%d", i), a.Headline, a.Summary, a.Body, string(a.HTML), at, at)
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
		b.Fatal(err)
	}
	return s
}

// BenchmarkSearch searches corpora of 5,000 and 50,000 articles, so that
// the two can be compared: a search should cost about the same on both.
// Run with
// go test ./internal/store -run X -bench Search -benchtime 2s
// (building the corpora takes most of a minute). Each size reports the
// bytes of the full-text index per article as fts-B/article.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{5_000, 50_000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			s := benchCorpus(b, n)
			size := ftsBytes(b, s)
			for _, q := range benchQueries {
				b.Run(q, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						res, err := s.Search(ctx, SearchQuery{Text: q, Now: now}, 20, 0)
						if err != nil || len(res) == 0 {
							b.Fatalf("Search(%q): %d results, %v", q, len(res), err)
						}
					}
					b.ReportMetric(float64(size)/float64(n), "fts-B/article")
				})
			}
		})
	}
}

// benchQueries are a word in nearly every article, two common words, a
// common prefix, a word found in one article, and rarer words, a prefix
// and Arabic.
var benchQueries = []string{"harbour", "harbour market", "kalo", "ref001234", "telesc", "zurich", "الربيع"}

// ftsBytes is the size on disk of the full-text index's tables.
func ftsBytes(b *testing.B, s *Store) int64 {
	b.Helper()
	var size int64
	err := s.w.QueryRowContext(context.Background(),
		`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'articles\_fts%' ESCAPE '\'`).Scan(&size)
	if err != nil {
		b.Fatal(err)
	}
	return size
}
