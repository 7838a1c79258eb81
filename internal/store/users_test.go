package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/media"
	"github.com/dateline/dateline/internal/settings"
)

// The store's users, sessions, settings and media, tested here and not
// only through the newsroom's pages.

func TestUsersAndTheLastAdmin(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	boss, err := s.AddUser(ctx, account.User{Username: "boss", Role: account.Admin, PasswordHash: "h1", CreatedAt: at},
		audit.Entry{At: at, Action: audit.UserAdd, Target: "user boss"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, account.User{Username: "boss", Role: account.Editor, PasswordHash: "h2", CreatedAt: at}, audit.Entry{}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("a taken username: %v, want ErrDuplicate", err)
	}
	if err := s.SetUserRole(ctx, boss, account.Editor, audit.Entry{}); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("demoting the last admin: %v, want ErrLastAdmin", err)
	}
	if err := s.SetUserDisabled(ctx, boss, true, audit.Entry{}); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("disabling the last admin: %v, want ErrLastAdmin", err)
	}
	noa, err := s.AddUser(ctx, account.User{Username: "noa", Role: account.Editor, PasswordHash: "h3", CreatedAt: at}, audit.Entry{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserRole(ctx, noa, account.Admin, audit.Entry{At: at, Action: audit.UserRole, Target: "user noa", Detail: "admin"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserRole(ctx, boss, account.Editor, audit.Entry{}); err != nil {
		t.Errorf("demoting an admin with another beside: %v", err)
	}
	u, err := s.UserByUsername(ctx, "noa")
	if err != nil || u.Role != account.Admin {
		t.Errorf("noa: %+v %v", u, err)
	}
	if n, _ := s.UserCount(ctx); n != 2 {
		t.Errorf("%d users, want 2", n)
	}
	entries, _ := s.AuditLog(ctx, 10, 0)
	if len(entries) != 2 {
		t.Errorf("audit entries: %d, want the 2 given (an empty entry writes none)", len(entries))
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	id, err := s.AddUser(ctx, account.User{Username: "maya", Role: account.Editor, PasswordHash: "h", CreatedAt: now}, audit.Entry{})
	if err != nil {
		t.Fatal(err)
	}
	first, second := []byte("first-session-hash"), []byte("second-session-hash")
	if err := s.StartSession(ctx, SignIn{UserID: id, Session: first, Now: now, Expires: now.Add(12 * time.Hour),
		Entry: audit.Entry{At: now, UserID: id, Username: "maya", Action: audit.Login}}); err != nil {
		t.Fatal(err)
	}
	if ses, err := s.SessionByHash(ctx, first, now.Add(time.Minute), now.Add(-2*time.Hour)); err != nil || ses.User.Username != "maya" {
		t.Fatalf("the new session: %+v %v", ses, err)
	}
	// Idle past idleSince, or past its expiry: gone.
	if _, err := s.SessionByHash(ctx, first, now.Add(3*time.Hour), now.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("an idle session: %v, want ErrNotFound", err)
	}
	if _, err := s.SessionByHash(ctx, first, now.Add(13*time.Hour), now); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired session: %v, want ErrNotFound", err)
	}
	// A new sign-in from the same browser replaces its session.
	if err := s.StartSession(ctx, SignIn{UserID: id, Session: second, Replaces: first, Now: now, Expires: now.Add(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, first, now, now.Add(-time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced session: %v, want ErrNotFound", err)
	}
	// A new password ends every session of the user.
	if err := s.SetPassword(ctx, id, "new hash", audit.Entry{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, second, now, now.Add(-time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("a session after the password changed: %v, want ErrNotFound", err)
	}
	if err := s.SetPassword(ctx, 999, "x", audit.Entry{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("the password of no user: %v, want ErrNotFound", err)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	defaults := settings.Settings{Name: "Dateline", Tagline: "News", ZoneName: "Asia/Jerusalem", ZoneLabel: "Jerusalem Time", Comments: settings.HoldComments, PageSize: 20}
	got, err := s.SiteSettings(ctx, defaults)
	if err != nil || got != defaults {
		t.Fatalf("before any save: %+v %v, want the defaults", got, err)
	}
	saved := settings.Settings{Name: "The Coast Courier", Tagline: "Tides & times", ZoneName: "Europe/London", ZoneLabel: "London Time",
		Comments: settings.ApproveComments, CloseAfterDays: 30, PageSize: 12}
	if err := s.SaveSiteSettings(ctx, saved, audit.Entry{At: time.Now(), Action: audit.Settings, Target: "site"}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SiteSettings(ctx, defaults); err != nil || got != saved {
		t.Errorf("after a save: %+v %v, want %+v", got, err, saved)
	}
}

func TestMediaByHash(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	img := media.Image{Hash: "ab12", Format: "png", Width: 40, Height: 30, Bytes: 900, Alt: "A crane", UploadedAt: time.Now(), Username: "maya"}
	first, err := s.AddMedia(ctx, img, 0, audit.Entry{})
	if err != nil || first.ID == 0 {
		t.Fatalf("first upload: %+v %v", first, err)
	}
	img.Alt, img.Caption = "A crane at dawn", "Morning"
	again, err := s.AddMedia(ctx, img, 0, audit.Entry{})
	if err != nil || again.ID != first.ID || again.Alt != "A crane at dawn" || again.Caption != "Morning" {
		t.Errorf("the same file again: %+v %v; want the same image with the new description", again, err)
	}
	list, err := s.MediaList(ctx, 10, 0)
	if err != nil || len(list) != 1 || list[0].Alt != "A crane at dawn" {
		t.Errorf("the library: %+v %v", list, err)
	}
}

// TestImportKeepsNewsroomEdits: a file imported again never overwrites an
// article an editor changed, renamed it included, and an editor who is
// called "import" is an editor all the same.
func TestImportKeepsNewsroomEdits(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	file := testArticle("night-market", at)
	if res, err := s.ImportArticle(ctx, file); err != nil || res != Created {
		t.Fatalf("first import: %v %v", res, err)
	}
	id, err := s.AddUser(ctx, account.User{Username: "import", Role: account.Editor, PasswordHash: "h", CreatedAt: at}, audit.Entry{})
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.ArticleBySlug(ctx, "night-market", at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.ArticleByID(ctx, found.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Body = "The editor's text."
	if err := s.UpdateArticle(ctx, ArticleSave{Article: a, BasedOn: a.Version, Revision: article.Revision{SavedAt: at, UserID: id, Username: "import"}}); err != nil {
		t.Fatal(err)
	}
	file.Body = "The file's newer text."
	if res, err := s.ImportArticle(ctx, file); err != nil || res != Edited {
		t.Errorf("import over an edit by a user called import: %v %v, want Edited", res, err)
	}
	// Renamed in the newsroom: the file's slug is now an old one.
	a, _ = s.ArticleByID(ctx, found.ID)
	a.Slug = "night-market-opens"
	if err := s.UpdateArticle(ctx, ArticleSave{Article: a, BasedOn: a.Version, Revision: article.Revision{SavedAt: at, UserID: id, Username: "import"}}); err != nil {
		t.Fatal(err)
	}
	if res, err := s.ImportArticle(ctx, file); err != nil || res != Edited {
		t.Errorf("import under a slug the newsroom renamed: %v %v, want Edited (not a second article)", res, err)
	}
	if n, _ := s.ArticleCount(ctx); n != 1 {
		t.Errorf("%d articles, want 1", n)
	}
	if got, _ := s.ArticleByID(ctx, found.ID); got.Body != "The editor's text." || got.Slug != "night-market-opens" {
		t.Errorf("the editor's article changed: %q %q", got.Slug, got.Body)
	}
}

// TestImportRenameKeepsTheOldAddress: a file that gives its article a new
// slug renames that article (not a second one), its old slug redirects as
// after a newsroom rename, and a slug another article holds is refused.
func TestImportRenameKeepsTheOldAddress(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 12, 0, 0, 0, time.UTC)
	later := at.Add(time.Hour)
	other := testArticle("harbour-opens", at)
	other.Source = "posts/harbour.md"
	// Imported once before sources were recorded: found by its slug, and
	// its source remembered from now on.
	legacy := testArticle("night-market", at)
	for _, a := range []article.Article{other, legacy} {
		if res, err := s.ImportArticle(ctx, a); err != nil || res != Created {
			t.Fatalf("first import of %s: %v %v", a.Slug, res, err)
		}
	}
	file := legacy
	file.Source = "posts/market.md"
	if res, err := s.ImportArticle(ctx, file); err != nil || res != Unchanged {
		t.Fatalf("the same file with its source: %v %v, want Unchanged", res, err)
	}
	first, _ := s.ArticleBySlug(ctx, "night-market", later)

	for _, step := range []struct {
		name, slug string
		want       ImportResult
		now        string // the slug the article has after the step
	}{
		{"renamed by the file", "night-market-moves", Updated, "night-market-moves"},
		{"imported again", "night-market-moves", Unchanged, "night-market-moves"},
		{"to another article's slug", "harbour-opens", SlugTaken, "night-market-moves"},
		{"back to its first slug", "night-market", Updated, "night-market"},
	} {
		t.Run(step.name, func(t *testing.T) {
			file.Slug = step.slug
			if res, err := s.ImportArticle(ctx, file); err != nil || res != step.want {
				t.Fatalf("import: %v %v, want %v", res, err, step.want)
			}
			got, err := s.ArticleByID(ctx, first.ID)
			if err != nil || got.Slug != step.now {
				t.Fatalf("the article's slug: %q %v, want %q", got.Slug, err, step.now)
			}
			if n, _ := s.ArticleCount(ctx); n != 2 {
				t.Errorf("%d articles, want 2 (a rename is not a new article)", n)
			}
		})
	}
	// Every slug the article had still finds it; the other article's is
	// its own.
	if a, err := s.ArticleByOldSlug(ctx, "night-market-moves", later); err != nil || a.ID != first.ID {
		t.Errorf("old slug night-market-moves: %d %v, want article %d", a.ID, err, first.ID)
	}
	if a, err := s.ArticleBySlug(ctx, "harbour-opens", later); err != nil || a.Headline != other.Headline {
		t.Errorf("the other article: %q %v", a.Headline, err)
	}
}
