package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
)

// TestPublicPagesUseIndexes drives every kind of public page over a
// populated site, then reads SQLite's plan of every statement the pages
// ran: none may scan a whole table of articles, tags or comments, nor sort
// a listing in a temporary b-tree (both cost more the larger the archive).
func TestPublicPagesUseIndexes(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{}
	sections := []string{"City", "Sport", "Culture"}
	for i := range 150 {
		files[fmt.Sprintf("s%03d.md", i)] = articleFile(fmt.Sprintf("Story %03d about the orchestra", i), fmt.Sprintf("story-%03d", i),
			fmt.Sprintf("2024-%02d-%02dT%02d:15:00Z", 1+i%12, 1+i%28, i%24),
			fmt.Sprintf("author: Writer %d\nsection: %s\ntags: [t%d, t%d]\n", i%5, sections[i%3], i%7, (i+3)%7), "Text of the story.")
	}
	s := newTestSite(t, files)
	ctx := context.Background()
	a, err := s.store.ArticleBySlug(ctx, "story-010", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		id, err := s.store.AddComment(ctx, comment.Comment{ArticleID: a.ID, Name: "R", Body: fmt.Sprintf("Opinion %d", i),
			Status: comment.Pending, CreatedAt: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.store.SetCommentStatus(ctx, id, comment.Approved); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.store.AddArticleNote(ctx, article.Note{ArticleID: a.ID, Kind: article.Correction, Body: "Fixed.", At: testNow}, audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	articlePath := a.Path(s.site().Zone)
	pages := []string{"/", "/?page=2", "/archive", "/2024", "/2024/03", "/2024/03/03", articlePath,
		"/section/city", "/tag/t3", "/author/writer-2", "/feed.atom", "/feed.rss", "/section/city/feed.atom", "/tag/t3/feed.rss",
		"/sitemap.xml", "/news-sitemap.xml", "/search?q=orchestra", "/search?q=story-010", "/corrections", "/robots.txt"}
	next := regexp.MustCompile(`rel="next" href="https://news.example(/[^"]*)"`)
	for _, p := range pages {
		rec := s.get(p)
		assertStatus(t, rec, http.StatusOK)
		if m := next.FindStringSubmatch(body(t, rec)); m != nil && strings.Contains(m[1], "before=") {
			assertStatus(t, s.get(strings.ReplaceAll(m[1], "&amp;", "&")), http.StatusOK) // a cursor page
		}
	}
	plans, err := s.store.QueryPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fullScan := regexp.MustCompile(`^SCAN (a|r|c|t|o|n|articles|comments|article_tags|article_notes)( |$)`)
	for q, plan := range plans {
		// Search sorts its bounded candidates by rank; related stories sort
		// the few each of their sources gave. Neither is a listing's sort.
		bounded := strings.Contains(q, "MATCH") || strings.Contains(q, "UNION")
		for _, step := range plan {
			if fullScan.MatchString(step) || (strings.Contains(step, "TEMP B-TREE") && !bounded && !strings.Contains(step, "group_concat")) {
				t.Errorf("plan step %q in:\n%s\nplan: %s", step, q, strings.Join(plan, " | "))
			}
		}
	}
	if len(plans) < 10 {
		t.Errorf("only %d statements were checked", len(plans))
	}
}
