// Package demo generates a realistic news site for measuring Dateline:
// articles of varied length in several languages (Arabic and Hebrew among
// them) with Markdown bodies, sections, tags and authors, publication dates
// over ten years that cluster as a newsroom's do, a few drafts and
// scheduled stories, and readers' comments spread the way they are on real
// sites (most stories few or none, a few threads of thousands). All text
// comes from the word lists and templates of this package. The same seed
// and the same end instant give the same site. It must not import HTTP,
// SQL or template code.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// DefaultSeed is the seed of the demo site when none is given.
const DefaultSeed = 8

// Config says what site to generate.
type Config struct {
	Articles int
	Comments int // in all; they go to published articles only
	Seed     uint64
	// Now is where the publication dates end; a few scheduled stories come
	// after it. Zone is the newsroom's, for working hours and weekdays (UTC
	// when nil).
	Now  time.Time
	Zone *time.Location
	// Years is how many years the dates span (ten when zero). A newsroom's
	// archive grows by years, not by stories a day: a small archive with
	// the output of a large one's newsroom is one with fewer years.
	Years int
	// Newest, when from 1 to Articles, keeps only the newest that many of
	// the articles laid out, with their comments, each written as it would
	// be in the whole site: the same site with a younger archive, so that
	// a small and a large database hold the same recent days.
	Newest int
}

// Generator holds the layout of a site decided up front: every article's
// date, status, language, section, headline, slug and number of comments.
// Its stories can then be written in any order, by several goroutines, and
// come out the same.
type Generator struct {
	cfg      Config
	first    int // the index of slots[0] in the whole layout (Config.Newest)
	slots    []slot
	authors  [][]string // by tongue
	vocab    []*cdf     // content words, by tongue
	funcs    []*cdf     // function words, by tongue
	comments int
}

// slot is what the layout decided for one article.
type slot struct {
	at       time.Time
	status   article.Status
	tongue   uint8
	section  uint8
	comments int32
	headline string
	slug     string
}

// New lays out a site. It takes a moment for large sites (about a second
// for 50,000 articles); the stories themselves are written by Story or Run.
func New(cfg Config) *Generator {
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	cfg.Now = cfg.Now.Truncate(time.Second)
	g := &Generator{cfg: cfg}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6a09e667f3bcc908))
	for _, t := range tongues {
		g.vocab = append(g.vocab, newCDF(len(t.content), 0.9, 10))
		g.funcs = append(g.funcs, newCDF(len(t.function), 0.9, 1))
		g.authors = append(g.authors, desk(r, t))
	}
	g.slots = make([]slot, max(cfg.Articles, 0))
	g.layDates(r)
	tongueCDF := weights(len(tongues), func(i int) float64 { return tongues[i].share })
	sectionCDF := weights(len(sections), func(i int) float64 { return sections[i].share })
	for i := range g.slots {
		s := &g.slots[i]
		s.tongue = uint8(tongueCDF.pick(r))
		s.section = uint8(sectionCDF.pick(r))
	}
	g.spreadComments(r)
	used := make(map[string]bool, len(g.slots))
	for i := range g.slots {
		s := &g.slots[i]
		s.headline = headline(r, tongues[s.tongue])
		s.slug = uniqueSlug(used, article.Slugify(s.headline))
	}
	if cfg.Newest > 0 && cfg.Newest < len(g.slots) {
		g.first = len(g.slots) - cfg.Newest
		g.slots = g.slots[g.first:]
		g.comments = 0
		for _, s := range g.slots {
			g.comments += int(s.comments)
		}
	}
	return g
}

// Len is the number of articles.
func (g *Generator) Len() int { return len(g.slots) }

// Comments is the number of comments the site gets in all: the number
// asked for, or none when no article is published.
func (g *Generator) Comments() int { return g.comments }

// layDates gives every slot its publication instant, oldest first: the
// configured years ending at Now, more on weekdays and in working hours, more in
// later years and in a few busy stretches, fewer in August and over the
// new year. The last few are scheduled after Now; a few are drafts.
func (g *Generator) layDates(r *rand.Rand) {
	n := len(g.slots)
	if n == 0 {
		return
	}
	scheduled, drafts := 0, 0
	if n >= 20 {
		scheduled, drafts = (n+1999)/2000, (n+999)/1000
	}
	loc, now := g.cfg.Zone, g.cfg.Now.In(g.cfg.Zone)
	years := g.cfg.Years
	if years <= 0 {
		years = 10
	}
	days := years*365 + (years+3)/4
	first := time.Date(now.Year(), now.Month(), now.Day()-(days-1), 0, 0, 0, 0, loc)
	dayCDF := dayWeights(r, first, days)
	at := func(day time.Time) time.Time {
		h := hourCDF.pick(r)
		return time.Date(day.Year(), day.Month(), day.Day(), h, r.IntN(60), r.IntN(60), 0, loc).UTC()
	}
	past := n - scheduled
	for i := 0; i < past; i++ {
		t := at(first.AddDate(0, 0, dayCDF.pick(r)))
		if t.After(g.cfg.Now) { // later today
			t = g.cfg.Now.Add(-time.Duration(r.IntN(6*3600)+1) * time.Second)
		}
		g.slots[i].at = t
	}
	for i := past; i < n; i++ {
		t := at(now.AddDate(0, 0, r.IntN(21)))
		if !t.After(g.cfg.Now.Add(30 * time.Minute)) {
			t = t.AddDate(0, 0, 1)
		}
		g.slots[i].at = t
	}
	slices.SortFunc(g.slots[:past], func(a, b slot) int { return a.at.Compare(b.at) })
	slices.SortFunc(g.slots[past:], func(a, b slot) int { return a.at.Compare(b.at) })
	for i := range g.slots {
		g.slots[i].status = article.Published
	}
	for range drafts {
		g.slots[r.IntN(past)].status = article.Draft
	}
}

// dayWeights weighs the days from first on: the site grows, weekends,
// August and the new year are quieter, and 24 busy stretches fall at random.
func dayWeights(r *rand.Rand, first time.Time, days int) *cdf {
	type busy struct{ center, width, amp float64 }
	var events []busy
	for range 24 {
		events = append(events, busy{r.Float64() * float64(days), 2 + 8*r.Float64(), 0.5 + 2.5*r.Float64()})
	}
	return weights(days, func(d int) float64 {
		day := first.AddDate(0, 0, d)
		w := 0.55 + 0.9*float64(d)/float64(days) // the site grows
		switch day.Weekday() {
		case time.Saturday:
			w *= 0.45
		case time.Sunday:
			w *= 0.6
		}
		if day.Month() == time.August {
			w *= 0.75
		}
		if (day.Month() == time.December && day.Day() >= 24) || (day.Month() == time.January && day.Day() == 1) {
			w *= 0.6
		}
		for _, e := range events {
			x := (float64(d) - e.center) / e.width
			w *= 1 + e.amp*math.Exp(-x*x/2)
		}
		return w
	})
}

// hourCDF weighs the hours of the day at which stories come out: the
// working day, with a little at night.
var hourCDF = weights(24, func(h int) float64 {
	return []float64{0.1, 0.05, 0.03, 0.03, 0.05, 0.2, 0.5, 1.0, 1.6, 1.8, 1.7, 1.6,
		1.4, 1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.7, 0.6, 0.5, 0.35, 0.2}[h]
})

// spreadComments deals the comments out to published articles, each with
// a weight drawn from a log-normal distribution: most get few or none, a
// few get hundreds or thousands. Stories less than two days old have not
// had the time to gather theirs.
func (g *Generator) spreadComments(r *rand.Rand) {
	var eligible []int
	var cum []float64
	total := 0.0
	for i, s := range g.slots {
		if s.status != article.Published || s.at.After(g.cfg.Now) {
			continue
		}
		w := math.Exp(2.0*r.NormFloat64()) * sections[s.section].talkative
		if age := g.cfg.Now.Sub(s.at).Hours(); age < 48 {
			w *= age / 48
		}
		total += w
		eligible = append(eligible, i)
		cum = append(cum, total)
	}
	if len(eligible) == 0 || total == 0 {
		return
	}
	for range g.cfg.Comments {
		k := sort.SearchFloat64s(cum, r.Float64()*total)
		g.slots[eligible[min(k, len(eligible)-1)]].comments++
	}
	g.comments = max(g.cfg.Comments, 0)
}

// desk names the writers of a language.
func desk(r *rand.Rand, t *tongue) []string {
	n := authorsPerTongue[t.code]
	seen := map[string]bool{}
	var names []string
	for len(names) < n {
		name := t.first[r.IntN(len(t.first))] + " " + t.last[r.IntN(len(t.last))]
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// uniqueSlug returns slug, or slug-2, slug-3 ... if it is taken.
func uniqueSlug(used map[string]bool, slug string) string {
	if slug == "" {
		slug = "story"
	}
	s := slug
	for k := 2; used[s]; k++ {
		s = slug + "-" + strconv.Itoa(k)
	}
	used[s] = true
	return s
}

// Story writes the i-th article (0 ≤ i < Len, oldest first) and its
// comments, oldest first. The article has its Markdown body but no HTML;
// the comments have no ArticleID yet.
func (g *Generator) Story(i int) (article.Article, []comment.Comment) {
	s := g.slots[i]
	t := tongues[s.tongue]
	w := &writer{r: rand.New(rand.NewPCG(g.cfg.Seed, uint64(g.first+i)+1)), t: t, vocab: g.vocab[s.tongue], funcs: g.funcs[s.tongue]}
	a := article.Article{
		Slug:        s.slug,
		Headline:    s.headline,
		Summary:     w.sentence(14, 28),
		Author:      g.authors[s.tongue][authorCDF(len(g.authors[s.tongue])).pick(w.r)],
		Section:     sections[s.section].name,
		Tags:        w.tags(int(s.section)),
		Language:    t.code,
		Status:      s.status,
		PublishedAt: s.at,
		UpdatedAt:   s.at,
	}
	a.Body = w.body(wordCount(w.r))
	if w.r.Float64() < 0.06 && !s.at.After(g.cfg.Now) { // updated later that day
		a.UpdatedAt = s.at.Add(time.Duration(w.r.ExpFloat64() * float64(3*time.Hour))).Truncate(time.Second)
		a.UpdatedAt = minTime(a.UpdatedAt, g.cfg.Now)
	}
	return a, g.thread(w.r, s)
}

// wordCount draws an article's length: log-normal around 530 words (a
// mean near 600), kept between 150 and 2,000.
func wordCount(r *rand.Rand) int {
	return min(max(int(530*math.Exp(0.5*r.NormFloat64())), 150), 2000)
}

// authorCDF makes a few writers of a desk much busier than the others.
func authorCDF(n int) *cdf { return authorCDFs[n] }

var authorCDFs = func() map[int]*cdf {
	m := map[int]*cdf{}
	for _, n := range authorsPerTongue {
		m[n] = newCDF(n, 0.7, 1)
	}
	return m
}()

// thread writes the comments of a slot.
func (g *Generator) thread(r *rand.Rand, s slot) []comment.Comment {
	if s.comments == 0 {
		return nil
	}
	list := make([]comment.Comment, s.comments)
	// Long threads keep going for days; short ones are over in hours.
	mu, sigma := math.Log(3), 1.4
	if s.comments > 100 {
		mu, sigma = math.Log(10), 1.6
	}
	span := g.cfg.Now.Sub(s.at)
	for k := range list {
		delay := time.Duration(math.Exp(mu+sigma*r.NormFloat64()) * float64(time.Hour))
		if delay >= span {
			delay = time.Duration(r.Float64() * float64(span))
		}
		list[k] = g.comment(r, s, s.at.Add(delay).Truncate(time.Second))
	}
	slices.SortStableFunc(list, func(a, b comment.Comment) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return list
}

// comment writes one reader's comment posted at at. Most are approved;
// some wait for moderation (many of those of the last two days), some
// were rejected, and a few are spam, mostly caught.
func (g *Generator) comment(r *rand.Rand, s slot, at time.Time) comment.Comment {
	t := tongues[s.tongue]
	if t != &english && r.Float64() < 0.15 {
		t = &english // readers answer in English too
	}
	c := comment.Comment{CreatedAt: at, IP: address(r), UserAgent: userAgents[r.IntN(len(userAgents))], Status: comment.Approved}
	if r.Float64() < 0.55 {
		c.Email = fmt.Sprintf("%s%d@example.%s", handles[r.IntN(len(handles))], r.IntN(100), []string{"com", "net", "org"}[r.IntN(3)])
	}
	if u := r.Float64(); u < 0.035 {
		c.Name = spamPhrases[r.IntN(len(spamPhrases))]
		var b strings.Builder
		b.WriteString(c.Name + "!")
		for k := range 1 + r.IntN(4) {
			fmt.Fprintf(&b, " https://deals%d.example.net/%s", k, handles[r.IntN(len(handles))])
		}
		c.Body, c.Status = b.String(), comment.Spam
		if u < 0.005 {
			c.Status = comment.Pending // the filter missed it
		}
		return c
	}
	ti := slices.Index(tongues, t)
	w := &writer{r: r, t: t, vocab: g.vocab[ti], funcs: g.funcs[ti]}
	if r.Float64() < 0.3 {
		c.Name = handles[r.IntN(len(handles))]
	} else {
		c.Name = t.first[r.IntN(len(t.first))] + " " + t.last[r.IntN(len(t.last))]
	}
	c.Body = w.comment()
	switch u := r.Float64(); {
	case g.cfg.Now.Sub(at) < 48*time.Hour && u < 0.35, u < 0.02:
		c.Status = comment.Pending
	case u < 0.03:
		c.Status = comment.Rejected
	}
	return c
}

// address is a client address from the ranges kept for documentation.
func address(r *rand.Rand) string {
	if r.Float64() < 0.1 {
		return fmt.Sprintf("2001:db8:%x::%x", r.IntN(0xffff), 1+r.IntN(0xfffe))
	}
	return fmt.Sprintf("%s.%d", []string{"192.0.2", "198.51.100", "203.0.113"}[r.IntN(3)], 1+r.IntN(254))
}

func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

// cdf draws an index with given weights in constant time (Walker's alias
// method): a story draws thousands of words.
type cdf struct {
	prob  []float64
	alias []int
}

// weights builds a cdf over n items from a weight function.
func weights(n int, w func(int) float64) *cdf {
	c := &cdf{prob: make([]float64, n), alias: make([]int, n)}
	total := 0.0
	for i := range n {
		c.prob[i] = w(i)
		total += c.prob[i]
	}
	var small, large []int
	for i := range c.prob {
		c.prob[i] *= float64(n) / total
		if c.prob[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		c.alias[s] = l
		c.prob[l] -= 1 - c.prob[s]
		if c.prob[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) { // left over by rounding
		c.prob[i] = 1
	}
	return c
}

// newCDF weighs n items, commonest first, as 1/(k+offset)^s: Zipf's law.
func newCDF(n int, s, offset float64) *cdf {
	return weights(n, func(k int) float64 { return math.Pow(float64(k)+offset, -s) })
}

func (c *cdf) pick(r *rand.Rand) int {
	u := r.Float64() * float64(len(c.prob))
	i := int(u)
	if i >= len(c.prob) {
		i = len(c.prob) - 1
	}
	if u-float64(i) < c.prob[i] {
		return i
	}
	return c.alias[i]
}
