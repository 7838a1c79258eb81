package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// TestReaderCommentChecks checks the flood and duplicate checks on
// numbers and hashes: per client address, the limit's worth in the window
// and no more, with the retry instant when the Nth newest leaves it;
// comments from before the numbering (client_seq 0) count for neither;
// and each check is one index lookup, whatever the limit.
func TestReaderCommentChecks(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	id, err := s.CreateArticle(ctx, ArticleSave{Article: testArticle("checked", at), Revision: article.Revision{SavedAt: at, Username: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	limits := CommentLimits{PerClient: 3, Window: time.Minute, DuplicateWindow: 10 * time.Minute}
	post := func(ip, body string, when time.Time) (time.Time, error) {
		_, retry, err := s.AddReaderComment(ctx, comment.Comment{ArticleID: id, Name: "R", Body: body,
			Status: comment.Pending, CreatedAt: when, IP: ip}, limits)
		return retry, err
	}
	// Comments stored before the numbering existed.
	for i := range 5 {
		if _, err := s.w.ExecContext(ctx, `INSERT INTO comments (article_id, name, body, status, created_at, ip) VALUES (?, 'Old', ?, 'pending', ?, '192.0.2.1')`,
			id, fmt.Sprintf("old %d", i), at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := post("192.0.2.1", fmt.Sprintf("new %d", i), at.Add(time.Duration(10+i)*time.Second)); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		// Another address interleaved has its own count.
		if _, err := post("192.0.2.2", fmt.Sprintf("other %d", i), at.Add(time.Duration(10+i)*time.Second)); err != nil {
			t.Fatalf("other post %d: %v", i, err)
		}
	}
	retry, err := post("192.0.2.1", "one too many", at.Add(20*time.Second))
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("fourth post in the window: %v, want ErrTooMany", err)
	}
	if want := at.Add(10*time.Second + time.Minute); !retry.Equal(want) {
		t.Errorf("retry at %v, want %v (the oldest of the three plus the window)", retry, want)
	}
	if _, err := post("192.0.2.1", "one too many", at.Add(71*time.Second)); err != nil {
		t.Errorf("post after the first left the window: %v", err)
	}
	if _, err := post("192.0.2.1", "new 1", at.Add(200*time.Second)); !errors.Is(err, ErrDuplicate) {
		t.Errorf("the same text again: %v, want ErrDuplicate", err)
	}
	// Disguised by case, a no-break space or a hidden character, still the same.
	for i, again := range []string{"NEW 1", "new 1", "new ‍1"} {
		if _, err := post("192.0.2.1", again, at.Add(time.Duration(201+i)*time.Second)); !errors.Is(err, ErrDuplicate) {
			t.Errorf("the same text as %q: %v, want ErrDuplicate", again, err)
		}
	}
	if _, err := post("192.0.2.1", "old 1", at.Add(210*time.Second)); err != nil {
		t.Errorf("the text of a comment from before the numbering: %v", err)
	}
	if _, err := post("192.0.2.3", "new 1", at.Add(220*time.Second)); err != nil {
		t.Errorf("the same text from another address: %v", err)
	}

	// IPv6 addresses count by their /64: three from one line fill its
	// limit, a fourth address on the line is refused, another /64 is not.
	for i, ip := range []string{"2001:db8:5:6::1", "2001:db8:5:6:aaaa::2", "2001:db8:5:6:ffff:ffff:ffff:ffff"} {
		if _, err := post(ip, fmt.Sprintf("v6 %d", i), at.Add(300*time.Second)); err != nil {
			t.Fatalf("IPv6 post %d: %v", i, err)
		}
	}
	if _, err := post("2001:db8:5:6::99", "v6 3", at.Add(301*time.Second)); !errors.Is(err, ErrTooMany) {
		t.Errorf("a fourth address in the same /64: %v, want ErrTooMany", err)
	}
	if _, err := post("2001:db8:5:6::98", "v6 0", at.Add(400*time.Second)); !errors.Is(err, ErrDuplicate) {
		t.Errorf("the same text from another address in the /64: %v, want ErrDuplicate", err)
	}
	if _, err := post("2001:db8:5:7::1", "v6 4", at.Add(301*time.Second)); err != nil {
		t.Errorf("the next /64: %v", err)
	}
	var ip string
	var network sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT ip, network FROM comments WHERE body = 'v6 1'`).Scan(&ip, &network); err != nil {
		t.Fatal(err)
	}
	if ip != "2001:db8:5:6:aaaa::2" || network.String != "2001:db8:5:6::/64" {
		t.Errorf("stored address %q, network %q: moderators see the address, the rules its /64", ip, network.String)
	}

	plans, err := s.QueryPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{floodSQL, dupSQL, insertCommentSQL} {
		plan := plans[q]
		if len(plan) == 0 {
			t.Fatalf("no plan for %.60q", q)
		}
		for _, step := range plan {
			step = strings.ReplaceAll(step, "<expr>", "network") // the index on coalesce(network, ip)
			if !strings.HasPrefix(step, "SEARCH") && !strings.HasPrefix(step, "SCALAR SUBQUERY") ||
				strings.Contains(step, ">") || strings.Contains(step, "<") {
				t.Errorf("%.60q: step %q is not a lookup", q, step)
			}
		}
	}
}

// TestUserAgentsMoveOnUpgrade checks migration 0018 on a database that
// kept each comment's user agent in its row: every comment keeps its own,
// each stored once, and an empty one stays empty.
func TestUserAgentsMoveOnUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old := fstest.MapFS{}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name < "migrations/0018" {
			src, _ := fs.ReadFile(migrations, name)
			old[name] = &fstest.MapFile{Data: src}
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, old); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, slug, headline, summary, body, body_html, author, section,
		language, status, published_at, updated_at) VALUES (1, 'old', 'Old', '', 'x', '<p>x</p>', 'A', 'City', 'en', 'published', ?1, ?1)`, at); err != nil {
		t.Fatal(err)
	}
	agents := []string{"Browser/1", "Browser/2", "Browser/1", "", "Browser/2"}
	for i, ua := range agents {
		if _, err := db.ExecContext(ctx, `INSERT INTO comments (article_id, name, body, status, created_at, ip, user_agent)
			VALUES (1, 'R', ?, 'pending', ?, '192.0.2.1', ?)`, fmt.Sprintf("text %d", i), at.Add(time.Duration(i)*time.Minute), ua); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Comments(ctx, comment.Pending, 10, 0)
	if err != nil || len(list) != len(agents) {
		t.Fatalf("comments after the upgrade: %d (%v), want %d", len(list), err, len(agents))
	}
	for _, c := range list {
		k := int(c.CreatedAt.Sub(at) / time.Minute) // the k-th comment written
		if want := agents[k]; c.UserAgent != want || c.Body != fmt.Sprintf("text %d", k) {
			t.Errorf("comment %q: user agent %q, want %q", c.Body, c.UserAgent, want)
		}
	}
	var stored int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM user_agents`).Scan(&stored); err != nil || stored != 2 {
		t.Errorf("user agents stored: %d (%v), want 2", stored, err)
	}
}
