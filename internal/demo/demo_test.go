package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

var testNow = time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)

func testConfig(articles, comments int, seed uint64) Config {
	zone, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		panic(err)
	}
	return Config{Articles: articles, Comments: comments, Seed: seed, Now: testNow, Zone: zone}
}

// digest sums up a whole run: every field of every article and comment.
func digest(t *testing.T, g *Generator, workers, size int) string {
	t.Helper()
	h := sha256.New()
	n := 0
	err := g.Run(context.Background(), workers, size, func(b Batch) error {
		for i, a := range b.Articles {
			fmt.Fprintf(h, "%d %+v %+v\n", n, a, b.Comments[i])
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != g.Len() {
		t.Fatalf("Run handed over %d articles, want %d", n, g.Len())
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestSameSeedSameSite(t *testing.T) {
	t.Parallel()
	a := digest(t, New(testConfig(120, 1200, 7)), 1, 32)
	b := digest(t, New(testConfig(120, 1200, 7)), 3, 17) // other workers and batches
	c := digest(t, New(testConfig(120, 1200, 8)), 2, 32)
	if a != b {
		t.Errorf("same seed: got two different sites (%s, %s)", a, b)
	}
	if a == c {
		t.Error("another seed: got the same site")
	}
	g := New(testConfig(120, 1200, 7))
	first, firstComments := g.Story(99)
	again, againComments := g.Story(99)
	if !reflect.DeepEqual(first, again) || !reflect.DeepEqual(firstComments, againComments) {
		t.Error("Story(99) twice: got two different stories")
	}
}

func TestSiteLooksLikeANewsSite(t *testing.T) {
	t.Parallel()
	const n, m = 1000, 10000
	cfg := testConfig(n, m, DefaultSeed)
	g := New(cfg)
	var (
		langs                        = map[string]int{}
		sectionsSeen, tagsSeen       = map[string]bool{}, map[string]bool{}
		authors                      = map[string]bool{}
		slugs                        = map[string]bool{}
		words, weekday, weekend      int
		working, drafts, scheduled   int
		headings, lists, links, ems  int
		threads                      []int
		statuses                     = map[comment.Status]int{}
		minWords, maxWords, comments = math.MaxInt, 0, 0
		last                         time.Time
	)
	for i := range g.Len() {
		a, list := g.Story(i)
		langs[a.Language]++
		sectionsSeen[a.Section] = true
		authors[a.Author] = true
		for _, tag := range a.Tags {
			tagsSeen[tag] = true
		}
		if len(a.Tags) < 1 || len(a.Tags) > 4 {
			t.Errorf("%s: %d tags, want 1 to 4", a.Slug, len(a.Tags))
		}
		if !article.ValidSlug(a.Slug) || slugs[a.Slug] {
			t.Errorf("slug %q is not valid or taken twice", a.Slug)
		}
		slugs[a.Slug] = true
		w := len(strings.Fields(a.Body))
		words += w
		minWords, maxWords = min(minWords, w), max(maxWords, w)
		headings += strings.Count(a.Body, "\n## ")
		lists += strings.Count(a.Body, "\n- ") + strings.Count(a.Body, "\n1. ")
		links += strings.Count(a.Body, "](https://")
		ems += strings.Count(a.Body, " *") + strings.Count(a.Body, "**")

		if a.PublishedAt.Before(last) {
			t.Errorf("%s: published %v before the article before it (%v)", a.Slug, a.PublishedAt, last)
		}
		last = a.PublishedAt
		local := a.PublishedAt.In(cfg.Zone)
		switch {
		case a.Status == article.Draft:
			drafts++
		case a.PublishedAt.After(cfg.Now):
			scheduled++
		case local.Weekday() == time.Saturday || local.Weekday() == time.Sunday:
			weekend++
		default:
			weekday++
		}
		if h := local.Hour(); h >= 8 && h < 18 {
			working++
		}
		if a.PublishedAt.Before(cfg.Now.AddDate(-10, 0, -1)) || a.PublishedAt.After(cfg.Now.AddDate(0, 0, 23)) {
			t.Errorf("%s: published %v, outside the ten years to now and the weeks after", a.Slug, a.PublishedAt)
		}
		if len(list) > 0 && (a.Status != article.Published || a.PublishedAt.After(cfg.Now)) {
			t.Errorf("%s: %d comments on an article readers cannot see", a.Slug, len(list))
		}
		threads = append(threads, len(list))
		comments += len(list)
		for _, c := range list {
			statuses[c.Status]++
			if errs := (comment.Draft{Name: c.Name, Email: c.Email, Body: c.Body}).Validate(); errs != nil {
				t.Errorf("%s: comment %+v does not validate: %v", a.Slug, c, errs)
			}
			if c.CreatedAt.Before(a.PublishedAt) || c.CreatedAt.After(cfg.Now) || c.IP == "" || c.UserAgent == "" {
				t.Errorf("%s: comment at %v (article at %v, now %v), ip %q", a.Slug, c.CreatedAt, a.PublishedAt, cfg.Now, c.IP)
			}
		}
	}
	slices.Sort(threads)
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		name string
		ok   bool
		got  any
	}{
		{"mean words about 600", words/n >= 520 && words/n <= 700, words / n},
		{"shortest about 150 words", minWords >= 140 && minWords <= 250, minWords},
		{"longest about 2,000 words", maxWords >= 1200 && maxWords <= 2100, maxWords},
		{"8 sections", len(sectionsSeen) == 8, len(sectionsSeen)},
		{"at most 40 tags, most of them used", len(tagsSeen) >= 35 && len(tagsSeen) <= 40, len(tagsSeen)},
		{"a few dozen authors", len(authors) >= 24 && len(authors) <= 40, len(authors)},
		{"mostly English", share(langs["en"]) > 0.75, langs},
		{"a few percent Arabic", share(langs["ar"]) >= 0.02 && share(langs["ar"]) <= 0.08, langs},
		{"a few percent Hebrew", share(langs["he"]) >= 0.02 && share(langs["he"]) <= 0.08, langs},
		{"more than two languages besides", len(langs) >= 5, langs},
		{"busier weekdays", float64(weekday)/5 > 1.4*float64(weekend)/2, [2]int{weekday, weekend}},
		{"mostly in working hours", share(working) > 0.55, working},
		{"a few drafts", drafts >= 1 && drafts <= n/100, drafts},
		{"a few scheduled", scheduled >= 1 && scheduled <= n/100, scheduled},
		{"subheadings", headings > n, headings},
		{"lists", lists > n/4, lists},
		{"links and emphasis", links > n/2 && ems > n/2, [2]int{links, ems}},
		{"every comment dealt out", comments == m && g.Comments() == m, comments},
		{"most articles few or no comments", threads[n/2] <= 3 && threads[n/4] == 0, threads[n/2]},
		{"a few long threads", threads[n-1] >= 300, threads[n-5:]},
		{"mostly approved", statuses[comment.Approved] > m*85/100, statuses},
		{"some pending and spam", statuses[comment.Pending] > m/200 && statuses[comment.Spam] > m/200, statuses},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			t.Logf("%v", c.got)
			if !c.ok {
				t.Errorf("got %v", c.got)
			}
		})
	}
}

func TestStoriesRenderAndFilesParseBack(t *testing.T) {
	t.Parallel()
	cfg := testConfig(80, 0, 3)
	g := New(cfg)
	for i := range g.Len() {
		a, _ := g.Story(i)
		html, err := article.Render(a.Body)
		if err != nil || !strings.Contains(string(html), "<p>") {
			t.Fatalf("%s: Render: %v, %.80q", a.Slug, err, html)
		}
		a.HTML = html
		back, err := article.Parse(a.Slug+".md", File(a), cfg.Zone)
		if err != nil {
			t.Fatalf("%s: Parse of its file: %v\n%s", a.Slug, err, File(a))
		}
		a.UpdatedAt = a.PublishedAt // files have no time of update
		if !reflect.DeepEqual(back, a) {
			t.Errorf("%s: the file parses back as\n%+v\nwant\n%+v", a.Slug, back, a)
		}
	}
}

func TestRunStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	g := New(testConfig(100, 0, 1))
	calls := 0
	err := g.Run(context.Background(), 2, 10, func(Batch) error {
		calls++
		if calls == 3 {
			return fmt.Errorf("disk full")
		}
		return nil
	})
	if err == nil || err.Error() != "disk full" || calls != 3 {
		t.Errorf("got %v after %d calls, want disk full after 3", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Run(ctx, 2, 10, func(Batch) error { return nil }); err != context.Canceled {
		t.Errorf("cancelled: got %v, want %v", err, context.Canceled)
	}
}

// TestYearsSetTheSpan checks that --years spreads the same number of
// stories over fewer years: all of them inside the span, and the span
// used from its start.
func TestYearsSetTheSpan(t *testing.T) {
	t.Parallel()
	cfg := testConfig(2000, 0, 3)
	cfg.Years = 1
	g := New(cfg)
	oldest := cfg.Now
	for i := range g.Len() {
		a, _ := g.Story(i)
		if a.PublishedAt.Before(cfg.Now.AddDate(-1, 0, -1)) {
			t.Fatalf("%s: published %v, more than a year before %v", a.Slug, a.PublishedAt, cfg.Now)
		}
		if a.PublishedAt.Before(oldest) {
			oldest = a.PublishedAt
		}
	}
	if oldest.After(cfg.Now.AddDate(0, -11, 0)) {
		t.Errorf("oldest story %v: the first month of the year is empty", oldest)
	}
}

// TestNewestKeepsTheSameRecentStories checks that Newest writes the last
// stories of the whole site as the whole site writes them, comments and
// all, and counts only their comments.
func TestNewestKeepsTheSameRecentStories(t *testing.T) {
	t.Parallel()
	cfg := testConfig(3000, 20000, 5)
	whole := New(cfg)
	cfg.Newest = 300
	young := New(cfg)
	if young.Len() != 300 {
		t.Fatalf("Len: got %d, want 300", young.Len())
	}
	comments := 0
	for i := range young.Len() {
		a, c := young.Story(i)
		wa, wc := whole.Story(whole.Len() - young.Len() + i)
		if !reflect.DeepEqual(a, wa) || !reflect.DeepEqual(c, wc) {
			t.Fatalf("story %d: got %s with %d comments, want %s with %d as in the whole site", i, a.Slug, len(c), wa.Slug, len(wc))
		}
		comments += len(c)
	}
	if young.Comments() != comments || comments == 0 || comments >= whole.Comments() {
		t.Errorf("Comments: got %d, written %d (the whole site: %d)", young.Comments(), comments, whole.Comments())
	}
}
