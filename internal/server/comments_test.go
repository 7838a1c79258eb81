package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/comment"
)

const harbourPath = "/2024/06/20/harbour-night-market"

func goodComment() url.Values {
	return url.Values{
		"name":  {"Dana K."},
		"email": {"dana@example.com"},
		"body":  {"Lovely evening.\nWe stayed late.\n\nSecond thought: more bins, please."},
	}
}

func (s *testSite) comments(status comment.Status) []comment.Comment {
	s.t.Helper()
	list, err := s.store.Comments(context.Background(), status, 100, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	return list
}

func TestCommentIsStoredPendingAndRedirected(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	req := map[string]string{"User-Agent": "TestBrowser/1.0", "Sec-Fetch-Site": "same-origin"}
	rec := s.postForm(harbourPath+"/comments", goodComment(), req)
	assertStatus(t, rec, http.StatusSeeOther)
	if got, want := rec.Header().Get("Location"), harbourPath+"?comment=pending#comments"; got != want {
		t.Errorf("Location: got %q, want %q", got, want)
	}
	all := s.comments("")
	if len(all) != 1 {
		t.Fatalf("got %d comments stored, want 1", len(all))
	}
	c := all[0]
	if c.Status != comment.Pending || c.Name != "Dana K." || c.Email != "dana@example.com" ||
		c.UserAgent != "TestBrowser/1.0" || c.IP != "192.0.2.1" || !c.CreatedAt.Equal(testNow) {
		t.Errorf("stored comment: got %+v", c)
	}

	// The page the reader lands on thanks them; the comment is not shown
	// until a moderator approves it.
	rec = s.get(harbourPath + "?comment=pending")
	assertStatus(t, rec, http.StatusOK)
	html := body(t, rec)
	assertContains(t, html, "will appear once a moderator approves it", "0 opinions")
	assertLacks(t, html, "Lovely evening")
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("notice page Cache-Control: got %q, want no-store", got)
	}
	assertLacks(t, body(t, s.get(harbourPath)), "will appear once a moderator")

	if err := s.store.SetCommentStatus(context.Background(), c.ID, comment.Approved); err != nil {
		t.Fatal(err)
	}
	html = body(t, s.get(harbourPath))
	assertContains(t, html, "1 opinion<", `<span class="opinion-name" dir="auto">Dana K.</span>`,
		"<p>Lovely evening.\nWe stayed late.</p><p>Second thought: more bins, please.</p>",
		"30 Nov 2026, 2:00 pm") // created at testNow, shown site-local
	assertLacks(t, html, "dana@example.com")
	assertContains(t, body(t, s.get("/")), "1 opinion<")
}

func TestCommentValidation(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	long := strings.Repeat("word ", 1001) // 5,005 characters
	tests := []struct {
		name   string
		form   url.Values
		errors []string
		kept   []string
	}{
		{"all empty", url.Values{"name": {"  "}, "email": {""}, "body": {" \n "}},
			[]string{"Please enter your name.", "Please write your comment."}, nil},
		{"bad email", url.Values{"name": {"Ruth"}, "email": {"ruth-at-example"}, "body": {"Fine <b>text</b> & more"}},
			[]string{"Please enter a valid email address"},
			[]string{`value="Ruth"`, `value="ruth-at-example"`, `>Fine &lt;b&gt;text&lt;/b&gt; &amp; more</textarea>`}},
		{"long name", url.Values{"name": {strings.Repeat("n", 81)}, "body": {"ok"}},
			[]string{"80 characters or fewer"}, []string{`>ok</textarea>`}},
		{"long body", url.Values{"name": {"Ohad"}, "body": {long}},
			[]string{"5,000 characters or fewer"}, []string{`value="Ohad"`, "word word word"}},
		{"hostile name kept escaped", url.Values{"name": {`"><script>alert(1)</script>`}, "email": {"x@"}, "body": {"hi"}},
			[]string{"valid email"}, []string{`value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`}},
		{"control characters", url.Values{"name": {"Bell\x07"}, "body": {"hi"}},
			[]string{"characters we cannot show"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.postForm(harbourPath+"/comments", tc.form, nil)
			assertStatus(t, rec, http.StatusUnprocessableEntity)
			html := body(t, rec)
			assertContains(t, html, "Your opinion was not sent", `aria-invalid="true"`, `class="field-error"`, "Night market opens")
			assertContains(t, html, tc.errors...)
			assertContains(t, html, tc.kept...)
			assertLacks(t, html, "<script>alert(1)")
		})
	}
	if n := len(s.comments("")); n != 0 {
		t.Errorf("invalid submissions stored %d comments, want 0", n)
	}
}

func TestCrossSiteCommentIsRefused(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	tests := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"Sec-Fetch-Site same-site", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"foreign Origin, no fetch metadata", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://" + testHost}, http.StatusSeeOther},
		{"matching Origin only", map[string]string{"Origin": "http://" + testHost}, http.StatusSeeOther},
	}
	stored := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := goodComment()
			form.Set("body", "Opinion sent with "+tc.name) // the same text twice would be a duplicate
			rec := s.postForm(harbourPath+"/comments", form, tc.header)
			assertStatus(t, rec, tc.status)
			if tc.status == http.StatusSeeOther {
				stored++
			} else {
				assertContains(t, body(t, rec), "Request refused", `class="site-header"`)
			}
			if n := len(s.comments("")); n != stored {
				t.Errorf("after %s: %d comments stored, want %d", tc.name, n, stored)
			}
		})
	}
}

func TestOnlyApprovedCommentsAreShown(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	a, err := s.store.ArticleBySlug(context.Background(), "harbour-night-market", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []comment.Status{comment.Pending, comment.Approved, comment.Rejected, comment.Spam} {
		if _, err := s.store.AddComment(context.Background(), comment.Comment{ArticleID: a.ID, Name: "N", Body: "Status " + string(st), Status: st, CreatedAt: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	html := body(t, s.get(harbourPath))
	assertContains(t, html, "Status approved", "1 opinion<")
	assertLacks(t, html, "Status pending", "Status rejected", "Status spam")
	assertContains(t, body(t, s.get("/")), "1 opinion<")
}

func TestHoneypotIsAnsweredAsAcceptedAndStoredAsSpam(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	form := goodComment()
	form.Set("website", "http://spam.example")
	rec := s.postForm(harbourPath+"/comments", form, nil)
	assertStatus(t, rec, http.StatusSeeOther)
	if got := rec.Header().Get("Location"); got != harbourPath+"?comment=pending#comments" {
		t.Errorf("Location: got %q", got)
	}
	spam := s.comments(comment.Spam)
	if len(spam) != 1 || len(s.comments(comment.Pending)) != 0 {
		t.Fatalf("got %d spam and %d pending, want 1 and 0", len(spam), len(s.comments(comment.Pending)))
	}
	assertLacks(t, body(t, s.get(harbourPath)), "Lovely evening")

	// Even with every other field wrong, a bot is answered as if accepted.
	bot := url.Values{"name": {""}, "email": {"not-an-email"}, "body": {strings.Repeat("buy ", 2000)}, "website": {"x"}}
	rec = s.postForm(harbourPath+"/comments", bot, nil)
	assertStatus(t, rec, http.StatusSeeOther)
	spam = s.comments(comment.Spam)
	if len(spam) != 2 || len([]rune(spam[0].Body)) != comment.MaxBody {
		t.Errorf("got %d spam comments (newest body %d characters), want 2 with the body cut to %d", len(spam), len([]rune(spam[0].Body)), comment.MaxBody)
	}
}

func TestCommentFieldsComeFromTheBodyOnly(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	rec := s.postForm(harbourPath+"/comments?name=Query&body=From+the+query", url.Values{}, nil)
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertLacks(t, body(t, rec), "From the query")
	if n := len(s.comments("")); n != 0 {
		t.Errorf("query-string fields stored %d comments, want 0", n)
	}
}

func TestCommentMarkupIsShownNotInterpreted(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	form := url.Values{"name": {"<b>Mallory</b>"}, "body": {"<script>alert(1)</script>\n<img src=x onerror=alert(2)> **bold**"}}
	assertStatus(t, s.postForm(harbourPath+"/comments", form, nil), http.StatusSeeOther)
	for _, c := range s.comments("") {
		if err := s.store.SetCommentStatus(context.Background(), c.ID, comment.Approved); err != nil {
			t.Fatal(err)
		}
	}
	html := body(t, s.get(harbourPath))
	assertContains(t, html, "&lt;b&gt;Mallory&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;img src=x onerror=alert(2)&gt; **bold**")
	assertLacks(t, html, "<script>alert", "<img src=x", "<b>Mallory", "<strong>bold")
}

func TestCommentOnMissingOrWrongAddress(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for _, target := range []string{
		"/2024/06/20/no-such-story/comments",
		"/2024/06/19/harbour-night-market/comments", // not the canonical date
		"/2024/06/20/secret-draft/comments",
		"/2030/03/02/scheduled-story/comments",
		"/2024/02/30/harbour-night-market/comments",
	} {
		rec := s.postForm(target, goodComment(), nil)
		assertStatus(t, rec, http.StatusNotFound)
	}
	if n := len(s.comments("")); n != 0 {
		t.Errorf("%d comments stored, want 0", n)
	}
}
