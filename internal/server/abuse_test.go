package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/comment"
)

func numberedComment(n int) url.Values {
	return url.Values{"name": {"Reader"}, "body": {"Opinion number " + strconv.Itoa(n) + " about the market."}}
}

func TestCommentFloodLimit(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	for i := range 5 {
		assertStatus(t, s.postForm(harbourPath+"/comments", numberedComment(i), nil), http.StatusSeeOther)
	}
	rec := s.postForm(harbourPath+"/comments", numberedComment(5), nil)
	assertStatus(t, rec, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After: %q", rec.Header().Get("Retry-After"))
	}
	html := body(t, rec)
	assertContains(t, html, "You have sent several opinions in a short time", "Opinion number 5 about the market.", `class="site-header"`)
	// Another reader is not held back, and the first may write again later.
	other := numberedComment(6)
	rec = s.do(func() *http.Request {
		other.Set("ts", s.stamp(harbourPath, -10*time.Second))
		r := httptest.NewRequest(http.MethodPost, harbourPath+"/comments", strings.NewReader(other.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "198.51.100.200:1234"
		return r
	}())
	assertStatus(t, rec, http.StatusSeeOther)
	s.clock.Advance(61 * time.Second)
	assertStatus(t, s.postForm(harbourPath+"/comments", numberedComment(5), nil), http.StatusSeeOther)
	if n := len(s.comments("")); n != 7 {
		t.Errorf("got %d comments stored, want 7", n)
	}
}

func TestCommentFloodLimitHoldsInParallel(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	const posts = 12
	codes := make(chan int, posts)
	var wg sync.WaitGroup
	for i := range posts {
		form := numberedComment(i)
		form.Set("ts", s.stamp(harbourPath, -10*time.Second))
		wg.Go(func() { codes <- s.postForm(harbourPath+"/comments", form, nil).Code })
	}
	wg.Wait()
	close(codes)
	counts := map[int]int{}
	for c := range codes {
		counts[c]++
	}
	if counts[http.StatusSeeOther] != 5 || counts[http.StatusTooManyRequests] != posts-5 {
		t.Errorf("parallel posts from one address: %v; want 5 taken, the rest 429", counts)
	}
}

func TestCommentFormTimestamp(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	// The page carries the signed time it was served.
	html := body(t, s.get(harbourPath))
	assertContains(t, html, `<input type="hidden" name="ts" value="`+s.stamp(harbourPath, 0)+`">`)
	for _, tc := range []struct {
		name, ts, msg string
	}{
		{"sent at once", s.stamp(harbourPath, 0), "That was very quick"},
		{"open for more than a day", s.stamp(harbourPath, -25*time.Hour), "open for a long time"},
		{"missing", "", "open for a long time"},
		{"forged", strconv.FormatInt(testNow.Add(-time.Minute).Unix(), 10) + ".0000", "open for a long time"},
		// Waited for once on another article, a stamp does not carry over.
		{"from another article", s.stamp(middayPath, -10*time.Second), "open for a long time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := goodComment()
			form.Set("ts", tc.ts)
			if tc.ts == "" {
				form.Set("ts", " ")
			}
			rec := s.postForm(harbourPath+"/comments", form, nil)
			assertStatus(t, rec, http.StatusUnprocessableEntity)
			assertContains(t, body(t, rec), tc.msg, "Lovely evening.", `value="Dana K."`)
		})
	}
	if n := len(s.comments("")); n != 0 {
		t.Errorf("refused forms stored %d comments", n)
	}
}

func TestLinksAndDuplicates(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	spammy := url.Values{"name": {"Seller"}, "body": {"Buy at https://a.example https://b.example www.c.example and http://d.example"}}
	assertStatus(t, s.postForm(harbourPath+"/comments", spammy, nil), http.StatusSeeOther)
	if spam := s.comments(comment.Spam); len(spam) != 1 {
		t.Errorf("a comment with 4 links: %d spam, want 1", len(spam))
	}
	three := url.Values{"name": {"Guide"}, "body": {"Maps at https://a.example, https://b.example and https://c.example"}}
	assertStatus(t, s.postForm(harbourPath+"/comments", three, nil), http.StatusSeeOther)
	if pending := s.comments(comment.Pending); len(pending) != 1 {
		t.Errorf("a comment with 3 links: %d pending, want 1", len(pending))
	}

	// The same text on the same article within ten minutes is refused.
	assertStatus(t, s.postForm(harbourPath+"/comments", goodComment(), nil), http.StatusSeeOther)
	rec := s.postForm(harbourPath+"/comments", goodComment(), nil)
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "You have already sent this opinion", "Lovely evening.")
	// On another article, or later, it is taken.
	assertStatus(t, s.postForm("/2024/06/20/midday-story/comments", goodComment(), nil), http.StatusSeeOther)
	s.clock.Advance(11 * time.Minute)
	assertStatus(t, s.postForm(harbourPath+"/comments", goodComment(), nil), http.StatusSeeOther)
}
