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

// benchWords is the vocabulary of the generated corpus.
var benchWords = strings.Fields(`harbour market council tram library river festival rain storm heat school
	museum park bridge station orchestra rowing match league garden beach coast harvest bakery festival
	science telescope satellite battery solar engineer hospital clinic nurse budget theatre gallery
	cafe café zürich élan naïve أزهار الربيع مكتبة المدينة سوق البحر ساحل مطر`)

// benchCorpus fills a store with n generated articles of about 150 words,
// in one transaction, through the same indexing the store uses on saves.
func benchCorpus(b *testing.B, n int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	r := rand.New(rand.NewPCG(1, 2))
	text := func(words int) string {
		var sb strings.Builder
		for i := range words {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(benchWords[r.IntN(len(benchWords))])
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
			a := article.Article{Headline: text(8), Summary: text(20), Body: body, HTML: article.HTML("<p>" + body + "</p>")}
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

// BenchmarkSearch searches a corpus of 50,000 articles. Run with
// go test ./internal/store -run X -bench Search -benchtime 3s
func BenchmarkSearch(b *testing.B) {
	s := benchCorpus(b, 50_000)
	ctx := context.Background()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []string{"telescope", "harbour festival", "orch", "zurich", "الربيع", "tram battery solar"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := s.Search(ctx, SearchQuery{Text: q, Now: now}, 20, 0)
				if err != nil || len(res) == 0 {
					b.Fatalf("Search(%q): %d results, %v", q, len(res), err)
				}
			}
		})
	}
}
