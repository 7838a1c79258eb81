package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/comment"
)

// trueCounts counts from the articles themselves what article_counts and
// the scheduled correction should give: every key of the visible articles
// at now in loc.
func trueCounts(t *testing.T, s *Store, loc *time.Location, now time.Time) map[string]int {
	t.Helper()
	list, err := s.LatestArticles(context.Background(), Listing{WithBody: true}, now, 1_000_000, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, a := range list {
		day := localDay(loc, a.PublishedAt)
		want["Y"+day[:4]]++
		want["M"+day[:7]]++
		want["D"+day]++
		if a.Section != "" {
			want["S"+a.Section]++
		}
		if a.Author != "" {
			want["A"+a.Author]++
		}
		for _, tag := range a.Tags {
			want["T"+tag]++
		}
	}
	return want
}

func storedCounts(t *testing.T, s *Store, now time.Time) map[string]int {
	t.Helper()
	got := map[string]int{}
	list, err := s.keyCounts(context.Background(), "", "\U0010FFFF", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, kc := range list {
		got[kc.Key] = kc.N
	}
	return got
}

func TestCountsFollowEveryWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestStore(t)
	jerusalem, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetArchiveZone(ctx, jerusalem); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sections := []string{"City", "Sport", "", "Culture"}
	authors := []string{"Noa", "Omar", ""}
	tags := []string{"a", "b", "c", "d", "e"}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	randomArticle := func(slug string) article.Article {
		a := testArticle(slug, now.Add(-time.Duration(rng.IntN(400*24))*time.Hour+time.Duration(rng.IntN(60))*time.Minute))
		if rng.IntN(8) == 0 {
			a.PublishedAt = now.Add(time.Duration(1+rng.IntN(48)) * time.Hour) // scheduled
		}
		if rng.IntN(8) == 0 {
			a.Status = article.Draft
		}
		a.Section, a.Author = sections[rng.IntN(len(sections))], authors[rng.IntN(len(authors))]
		a.Tags = nil
		for _, tag := range tags {
			if rng.IntN(3) == 0 {
				a.Tags = append(a.Tags, tag)
			}
		}
		a.UpdatedAt = a.PublishedAt
		return a
	}
	var ids []int64
	check := func(step string) {
		t.Helper()
		for _, at := range []time.Time{now, now.Add(72 * time.Hour)} {
			want, got := trueCounts(t, s, jerusalem, at), storedCounts(t, s, at)
			for k, n := range want {
				if got[k] != n {
					t.Fatalf("%s, at %v: count %q is %d, want %d", step, at, k, got[k], n)
				}
			}
			for k, n := range got {
				if want[k] != n {
					t.Fatalf("%s, at %v: count %q is %d, want %d", step, at, k, n, want[k])
				}
			}
		}
	}
	for i := range 60 {
		a := randomArticle(fmt.Sprintf("story-%d", i))
		var id int64
		if i%2 == 0 {
			id, err = s.CreateArticle(ctx, ArticleSave{Article: a, Revision: article.Revision{SavedAt: now, Username: "test"}})
		} else {
			_, err = s.ImportArticle(ctx, a) // the import path
			if err == nil {
				var got article.Article
				got, err = s.ArticleByID(ctx, int64(i+1))
				id = got.ID
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	check("after creating")
	for i := range 80 {
		id := ids[rng.IntN(len(ids))]
		a, err := s.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch rng.IntN(4) {
		case 0, 1: // an edit that may change anything counted
			b := randomArticle(a.Slug)
			b.ID = a.ID
			if err := s.UpdateArticle(ctx, ArticleSave{Article: b, BasedOn: a.Version, Revision: article.Revision{SavedAt: now, Username: "test"}}); err != nil {
				t.Fatal(err)
			}
		case 2:
			if err := s.SetArticleTrashed(ctx, id, !a.Trashed(), now, audit.Entry{}); err != nil {
				t.Fatal(err)
			}
		case 3: // re-import with other fields
			b := randomArticle(a.Slug)
			if _, err := s.ImportArticle(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("after change %d", i))
	}
	// A new zone rewrites every local day, and the counts follow.
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetArchiveZone(ctx, tokyo); err != nil {
		t.Fatal(err)
	}
	jerusalem = tokyo
	check("after changing the zone")
}

func TestYearsMonthsDaysAndNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestStore(t)
	jerusalem, _ := time.LoadLocation("Asia/Jerusalem")
	if err := s.SetArchiveZone(ctx, jerusalem); err != nil {
		t.Fatal(err)
	}
	// 22:30 UTC on 19 June 2024 is 20 June in Jerusalem.
	mustSave(t, s, testArticle("late", time.Date(2024, 6, 19, 22, 30, 0, 0, time.UTC)))
	mustSave(t, s, testArticle("noon", time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)))
	mustSave(t, s, testArticle("winter", time.Date(2023, 1, 5, 9, 0, 0, 0, time.UTC)))
	future := testArticle("future", time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC))
	future.Section = "Later"
	mustSave(t, s, future)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	years, err := s.Years(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(years, []KeyCount{{"2023", 1}, {"2024", 2}}) {
		t.Errorf("years: got %v", years)
	}
	days, err := s.Days(ctx, "2024-06", now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(days, []KeyCount{{"2024-06-20", 2}}) {
		t.Errorf("days of June 2024: got %v", days)
	}
	if n, err := s.PeriodCount(ctx, "2024-06", now); err != nil || n != 2 {
		t.Errorf("June 2024: got %d, %v", n, err)
	}
	names, err := s.Names(ctx, article.BySection, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []NameCount{{"City", 3}}) {
		t.Errorf("sections before the scheduled story: got %v", names)
	}
	if names, _ = s.Names(ctx, article.BySection, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)); len(names) != 2 {
		t.Errorf("sections after it: got %v", names)
	}
}

func TestApprovedCommentCountFollowsModeration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestStore(t)
	at := time.Date(2024, 6, 20, 10, 0, 0, 0, time.UTC)
	id := mustSave(t, s, testArticle("thread", at))
	shown := func() int {
		t.Helper()
		a, err := s.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var recount int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE article_id = ? AND status = 'approved'`, id).Scan(&recount); err != nil {
			t.Fatal(err)
		}
		if a.Comments != recount {
			t.Fatalf("article shows %d comments, %d are approved", a.Comments, recount)
		}
		return a.Comments
	}
	var ids []int64
	for i, st := range []comment.Status{comment.Pending, comment.Approved, comment.Approved, comment.Spam} {
		cid, err := s.AddComment(ctx, comment.Comment{ArticleID: id, Name: "R", Body: fmt.Sprint("opinion ", i), Status: st, CreatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cid)
	}
	if n := shown(); n != 2 {
		t.Fatalf("after adding: %d, want 2", n)
	}
	steps := []func() error{
		func() error { return s.SetCommentStatus(ctx, ids[0], comment.Approved) },
		func() error { return s.SetCommentStatus(ctx, ids[1], comment.Rejected) },
		func() error { return s.SetCommentStatus(ctx, ids[2], comment.Approved) }, // no change
		func() error { return s.DeleteComment(ctx, ids[2]) },
		func() error { return s.ModerateComments(ctx, []int64{ids[1], ids[3]}, comment.Approved, audit.Entry{}) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
		t.Logf("step %d: %d shown", i, shown())
	}
	if n := shown(); n != 3 {
		t.Errorf("at the end: %d, want 3", n)
	}
}
