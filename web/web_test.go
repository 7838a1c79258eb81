package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/comment"
	"github.com/dateline/dateline/internal/fields"
)

func testSite(t *testing.T) Site {
	t.Helper()
	z, err := calendar.LoadZone("Asia/Jerusalem", "Jerusalem Time")
	if err != nil {
		t.Fatal(err)
	}
	return Site{Name: "Dateline", Tagline: "Test", Zone: z}
}

// TestArticlePageEscapesAllButTheSanitisedBody renders the article page
// with markup in every text field: only the body, which article.Render
// produced, may come out as HTML.
func TestArticlePageEscapesAllButTheSanitisedBody(t *testing.T) {
	t.Parallel()
	evil := `<script>alert(1)</script>`
	html, err := article.Render("Hello <em>there</em> " + evil)
	if err != nil {
		t.Fatal(err)
	}
	a := article.Article{ID: 1, Slug: "s", Headline: evil, Summary: evil, Author: evil, Section: evil, Tags: []string{evil},
		Language: "he", HTML: html, PublishedAt: time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)}
	d := ArticlePageData{Site: testSite(t), Article: a, CommentsOpen: true,
		Comments: []comment.Comment{{ID: 7, Name: evil, Body: evil + "\nline two", CreatedAt: a.PublishedAt}},
		Form:     CommentForm{Draft: comment.Draft{Name: evil, Email: evil, Body: "</textarea>" + evil}, Errors: fields.Errors{"email": "Bad."}}}
	var buf bytes.Buffer
	if err := ArticlePage(d).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The only script elements are the site's own: structured data and the
	// share script.
	own := strings.Count(out, `<script type="application/ld+json">`) + strings.Count(out, `<script src="/static/js/share.js" defer></script>`)
	if strings.Count(out, "<script") != own || strings.Contains(out, "</textarea><script") {
		t.Errorf("unescaped markup in page:\n%s", out)
	}
	for _, want := range []string{
		`<html lang="he" dir="rtl">`,
		"<p>Hello <em>there</em> </p>",
		"&lt;script&gt;alert(1)&lt;/script&gt;\nline two",
		`<time class="dateline" datetime="2024-06-20T13:53:00Z">Thu 20 Jun 2024 4:53 pm - Jerusalem Time</time>`,
		`id="comment-email" name="email" type="email" maxlength="254" autocomplete="email" value="&lt;script&gt;`,
		`aria-describedby="comment-email-error" aria-invalid="true"`,
		`<p class="field-error" id="comment-email-error">Bad.</p>`,
		`id="comment-7"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestErrorPage(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := ErrorPage(ErrorPageData{Site: testSite(t), Status: 404, Title: "Page not found", Message: "Gone."}).Render(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>Page not found – Dateline</title>", "Error 404", `<a class="brand" href="/">Dateline</a>`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("error page lacks %q", want)
		}
	}
}

func TestFillPutsValuesInPlaceOfParameters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, pattern string
		values        []int64
		want          string
	}{
		{"one", AdminArticlePattern, []int64{7}, "/admin/articles/7"},
		{"two in order", AdminRevisionRestorePattern, []int64{7, 3}, "/admin/articles/7/revisions/3/restore"},
		{"none", AdminUsersPath, nil, "/admin/users"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Fill(c.pattern, c.values...); got != c.want {
				t.Errorf("Fill(%q, %v) = %q, want %q", c.pattern, c.values, got, c.want)
			}
		})
	}
	for _, c := range []struct {
		name   string
		values []int64
	}{{"too few", []int64{7}}, {"too many", []int64{7, 3, 1}}} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Fill(%q, %v) did not panic", AdminRevisionPattern, c.values)
				}
			}()
			Fill(AdminRevisionPattern, c.values...)
		})
	}
}
