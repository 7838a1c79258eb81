package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
	"github.com/dateline/dateline/internal/audit"
	"github.com/dateline/dateline/internal/media"
)

func articleForm(headline, body, publish, at string) url.Values {
	return url.Values{
		"headline": {headline}, "summary": {"A summary."}, "body": {body}, "author": {"Maya"},
		"section": {"City"}, "tags": {"harbour, night"}, "language": {"en"}, "publish": {publish}, "publish_at": {at},
		"do": {"save"},
	}
}

var savedID = regexp.MustCompile(`^/admin/articles/(\d+)\?done=`)

// save posts the article form and returns the article's id.
func (b *browser) save(page, target string, form url.Values, want int) (int64, string) {
	b.s.t.Helper()
	rec := b.postForm(page, target, form)
	if rec.Code != want {
		b.s.t.Fatalf("save to %s: got %d, want %d; %.400s", target, rec.Code, want, rec.Body.String())
	}
	if want != http.StatusSeeOther {
		return 0, rec.Body.String()
	}
	m := savedID.FindStringSubmatch(rec.Header().Get("Location"))
	if m == nil {
		b.s.t.Fatalf("save: Location %q", rec.Header().Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, ""
}

func (s *testSite) versionOf(id int64) string {
	s.t.Helper()
	a, err := s.store.ArticleByID(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return strconv.Itoa(a.Version)
}

func TestEditorFlow(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.40")
	b.login("maya", goodPassword)
	ctx := context.Background()

	// The new-article form is signed by the user.
	assertContains(t, body(t, b.get("/admin/articles/new")), `name="author" type="text" value="Maya"`, "Jerusalem Time")

	// A draft: saved, listed, invisible to readers.
	form := articleForm("Tram Depot Opens Its Doors", "The *depot* opened.", "draft", "")
	id, _ := b.save("/admin/articles/new", "/admin/articles", form, http.StatusSeeOther)
	edit := "/admin/articles/" + strconv.FormatInt(id, 10)
	html := body(t, b.get(edit))
	assertContains(t, html, `value="tram-depot-opens-its-doors"`, "state-draft", "Version 1")
	assertContains(t, body(t, b.get("/admin/articles?state=draft")), "Tram Depot Opens Its Doors")
	assertLacks(t, body(t, s.get("/")), "Tram Depot")

	// Preview: the reader's page, marked, nothing saved.
	form = articleForm("Tram Depot Opens Its Doors Today", "The *depot* opened to visitors.", "draft", "")
	form.Set("slug", "tram-depot-opens-its-doors")
	form.Set("version", s.versionOf(id))
	form.Set("do", "preview")
	rec := b.postForm(edit, edit, form)
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), "Preview: this is how readers will see", `<h1 class="story-headline">Tram Depot Opens Its Doors Today</h1>`,
		"<em>depot</em> opened to visitors", `class="site-header"`)
	if s.versionOf(id) != "1" {
		t.Fatal("preview saved the article")
	}

	// Schedule for tomorrow: still invisible, visible once the time comes.
	tomorrow := testNow.Add(24 * time.Hour).In(s.zone()).Format("2006-01-02T15:04")
	form = articleForm("Tram Depot Opens Its Doors", "The *depot* opened.", "at", tomorrow)
	form.Set("slug", "tram-depot-opens-its-doors")
	form.Set("version", s.versionOf(id))
	b.save(edit, edit, form, http.StatusSeeOther)
	assertContains(t, body(t, b.get(edit)), "state-scheduled")
	day := testNow.Add(24 * time.Hour).In(s.zone()).Format("/2006/01/02/")
	assertStatus(t, s.get(day+"tram-depot-opens-its-doors"), http.StatusNotFound)
	s.clock.Advance(25 * time.Hour)
	assertStatus(t, s.get(day+"tram-depot-opens-its-doors"), http.StatusOK)
	assertContains(t, body(t, s.get("/")), "Tram Depot Opens Its Doors")
	b.login("maya", goodPassword) // a day later the session has run out

	// Edit: a new revision; the slug changes and the old address redirects.
	form = articleForm("Tram Depot Welcomes Visitors", "The depot opened.\n\nA new paragraph.", "at", tomorrow)
	form.Set("slug", "tram-depot-welcomes-visitors")
	form.Set("version", s.versionOf(id))
	b.save(edit, edit, form, http.StatusSeeOther)
	rec = s.get(day + "tram-depot-opens-its-doors")
	assertStatus(t, rec, http.StatusMovedPermanently)
	if got := rec.Header().Get("Location"); got != day+"tram-depot-welcomes-visitors" {
		t.Errorf("old slug redirects to %q", got)
	}
	html = body(t, b.get(edit))
	assertContains(t, html, "Version 3", "Version 2", "Version 1", "by maya")

	// Moving the publication date keeps the old address working too.
	earlier := testNow.Add(-48 * time.Hour).In(s.zone())
	form.Set("publish_at", earlier.Format("2006-01-02T15:04"))
	form.Set("version", s.versionOf(id))
	b.save(edit, edit, form, http.StatusSeeOther)
	rec = s.get(day + "tram-depot-opens-its-doors")
	assertStatus(t, rec, http.StatusMovedPermanently)
	if got := rec.Header().Get("Location"); got != earlier.Format("/2006/01/02/")+"tram-depot-welcomes-visitors" {
		t.Errorf("old date and slug redirect to %q", got)
	}
	rec = s.get(day + "tram-depot-welcomes-visitors")
	assertStatus(t, rec, http.StatusMovedPermanently)

	// A revision can be read and restored.
	rec = b.get(edit + "/revisions/1")
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), "Version 1 of", "Tram Depot Opens Its Doors", "diff-removed", "diff-added")
	// The form carries the version the page showed: restoring after
	// someone saved since is refused and changes nothing.
	if v := s.versionOf(id); !strings.Contains(body(t, b.get(edit+"/revisions/1")), `name="version" value="`+v+`"`) {
		t.Errorf("the restore form does not carry version %s", v)
	}
	stale, _ := strconv.Atoi(s.versionOf(id))
	rec = b.postForm(edit+"/revisions/1", edit+"/revisions/1/restore", url.Values{"version": {strconv.Itoa(stale - 1)}})
	assertStatus(t, rec, http.StatusConflict)
	assertContains(t, body(t, rec), "Someone changed this while you were looking at it")
	if s.versionOf(id) != strconv.Itoa(stale) {
		t.Errorf("a refused restore saved the article")
	}
	rec = b.postForm(edit+"/revisions/1", edit+"/revisions/1/restore", url.Values{"version": {strconv.Itoa(stale)}})
	assertStatus(t, rec, http.StatusSeeOther)
	a, _ := s.store.ArticleByID(ctx, id)
	// The text comes back; the story stays published at its time.
	if a.Headline != "Tram Depot Opens Its Doors" || a.Slug != "tram-depot-opens-its-doors" || a.Version != 5 || a.Status != "published" ||
		!a.PublishedAt.Equal(earlier.UTC().Truncate(time.Minute)) {
		t.Errorf("after restoring version 1: %q %q v%d %s %v", a.Headline, a.Slug, a.Version, a.Status, a.PublishedAt)
	}
	revs, _ := s.store.Revisions(ctx, id)
	if len(revs) != 5 || revs[0].Note != "restored from version 1" {
		t.Errorf("revisions after restore: %d, newest note %q", len(revs), revs[0].Note)
	}

	// Back to a draft, then publish now, then trash: readers get 410;
	// restore brings it back.
	form = articleForm("Tram Depot Opens Its Doors", "The depot opened.", "draft", "")
	form.Set("slug", "tram-depot-opens-its-doors")
	form.Set("version", s.versionOf(id))
	b.save(edit, edit, form, http.StatusSeeOther)
	form = articleForm("Tram Depot Opens Its Doors", "The depot opened.", "now", "")
	form.Set("slug", "tram-depot-opens-its-doors")
	form.Set("version", s.versionOf(id))
	b.save(edit, edit, form, http.StatusSeeOther)
	a, _ = s.store.ArticleByID(ctx, id)
	path := a.Path(s.site().Zone)
	assertStatus(t, s.get(path), http.StatusOK)
	assertStatus(t, b.postForm(edit, edit+"/trash", url.Values{}), http.StatusSeeOther)
	rec = s.get(path)
	assertStatus(t, rec, http.StatusGone)
	assertStatus(t, s.get(day+"tram-depot-welcomes-visitors"), http.StatusGone) // an old address too
	assertContains(t, body(t, rec), "Story removed", `class="site-header"`)
	assertLacks(t, body(t, s.get("/")), "Tram Depot")
	assertContains(t, body(t, b.get("/admin/articles?state=trashed")), "Tram Depot Opens Its Doors")
	assertStatus(t, b.postForm(edit, edit+"/restore", url.Values{}), http.StatusSeeOther)
	assertStatus(t, s.get(path), http.StatusOK)

	entries, _ := s.store.AuditLog(ctx, 100, 0)
	seen := map[audit.Action]bool{}
	for _, e := range entries {
		seen[e.Action] = true
	}
	for _, want := range []audit.Action{audit.ArticleEdit, audit.ArticleSchedule, audit.ArticlePublish, audit.ArticleUnpublish, audit.ArticleTrash, audit.ArticleRestore} {
		if !seen[want] {
			t.Errorf("audit log lacks %s", want)
		}
	}
}

func TestArticleConflictKeepsText(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	s.addUser("noa", account.Editor, goodPassword)
	maya, noa := s.browser("198.51.100.41"), s.browser("198.51.100.42")
	maya.login("maya", goodPassword)
	noa.login("noa", goodPassword)
	id, _ := maya.save("/admin/articles/new", "/admin/articles", articleForm("Shared Story", "First text.", "draft", ""), http.StatusSeeOther)
	edit := "/admin/articles/" + strconv.FormatInt(id, 10)
	version := s.versionOf(id) // both open the form at this version

	mine := articleForm("Shared Story", "Maya's text.", "draft", "")
	mine.Set("version", version)
	maya.save(edit, edit, mine, http.StatusSeeOther)
	theirs := articleForm("Shared Story", "Noa's careful text.", "draft", "")
	theirs.Set("version", version)
	// With an image: the image is not recorded either (it once was, before
	// the save was tried, and stayed in the library as an orphan).
	theirs.Set("image_alt", "A harbour crane")
	theirs.Set("image_lead", "1")
	crane := pngBytes(t, 60, 40)
	rec := noa.postMultipart(edit, edit, theirs, "crane.png", "image/png", crane)
	assertStatus(t, rec, http.StatusConflict)
	if img, err := media.Inspect(crane); err != nil {
		t.Fatal(err)
	} else {
		assertStatus(t, s.get(img.Path()), http.StatusNotFound) // nor its file served
	}
	html := body(t, rec)
	assertContains(t, html, "Someone else saved this article", "Noa&#39;s careful text.", `value="A harbour crane"`)
	if images, _ := s.store.MediaList(context.Background(), 10, 0); len(images) != 0 {
		t.Errorf("a refused save recorded its image: %v", images)
	}
	a, _ := s.store.ArticleByID(context.Background(), id)
	if a.Body != "Maya's text." || a.Lead.ID != 0 {
		t.Errorf("the outdated save overwrote the article: %q, lead %d", a.Body, a.Lead.ID)
	}
	// Saving the conflict page again, as it invites, replaces the article.
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(html)
	if m == nil || m[1] != s.versionOf(id) {
		t.Fatalf("conflict page carries version %v, want the stored %s", m, s.versionOf(id))
	}
	theirs.Set("version", m[1])
	noa.save(edit, edit, theirs, http.StatusSeeOther)
	if a, _ := s.store.ArticleByID(context.Background(), id); a.Body != "Noa's careful text." {
		t.Errorf("the second save did not replace the article: %q", a.Body)
	}
}

func TestArticleFormValidation(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.43")
	b.login("maya", goodPassword)
	tests := []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"no headline", articleForm("", "Kept body text", "draft", ""), "headline", "Please write a headline."},
		{"bad slug", func() url.Values {
			f := articleForm("H", "Kept body text", "draft", "")
			f.Set("slug", "Bad Slug")
			return f
		}(), "slug", "single hyphens"},
		{"taken slug", func() url.Values {
			f := articleForm("H", "Kept body text", "draft", "")
			f.Set("slug", "harbour-night-market")
			return f
		}(), "slug", "Another article"},
		{"no time", articleForm("H", "Kept body text", "at", ""), "publish_at", "Please give the date and time"},
		{"bad time", articleForm("H", "Kept body text", "at", "tomorrow"), "publish_at", "Use a date and time"},
		{"no choice", articleForm("H", "Kept body text", "", ""), "publish", "Please choose"},
		{"bad language", func() url.Values {
			f := articleForm("H", "Kept body text", "draft", "")
			f.Set("language", "not a tag!")
			return f
		}(), "language", "language tag"},
		{"long headline", articleForm(strings.Repeat("h", 301), "Kept body text", "draft", ""), "headline", "shorter"},
		{"no letters for a slug", articleForm("!!!", "Kept body text", "draft", ""), "slug", "no letters"},
		{"year 0", articleForm("H", "Kept body text", "at", "0000-01-01T00:00"), "publish_at", "from 1970 to 30 December 9999"},
		{"year 10000", articleForm("H", "Kept body text", "at", "10000-01-01T00:00"), "publish_at", "Use a date and time"},
		// West of UTC this is the year 10000, which once took every listing down.
		{"last day of 9999", articleForm("H", "Kept body text", "at", "9999-12-31T23:00"), "publish_at", "from 1970 to 30 December 9999"},
		// 02:30 on 28 March 2025 does not exist in Jerusalem: clocks go from 02:00 to 03:00.
		{"time skipped by DST", articleForm("H", "Kept body text", "at", "2025-03-28T02:30"), "publish_at", "does not exist"},
		// Bodies that took 20 s of a core to render, in a save and in a preview.
		{"link openers", articleForm("H", "Kept body text\n\n"+strings.Repeat("[a](", 49_000), "draft", ""), "body", "At line 3 of the story, the paragraph has more than 1000"},
		{"nested quotes, preview", func() url.Values {
			f := articleForm("H", "Kept body text\n\n"+strings.Repeat("> ", 99_000), "draft", "")
			f.Set("do", "preview")
			return f
		}(), "body", "At line 3 of the story, block quotes or lists are nested more than 16 deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, html := b.save("/admin/articles/new", "/admin/articles", tc.form, http.StatusUnprocessableEntity)
			assertContains(t, html, `id="admin-`+tc.field+`-error">`, tc.msg, "Kept body text", "The article was not saved")
		})
	}
	if n, _ := s.store.ArticleCount(context.Background()); n != len(siteFiles) {
		t.Errorf("refused saves stored articles: %d, want %d", n, len(siteFiles))
	}
}

func TestUnicodeHeadlineSlugAndAddress(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.44")
	b.login("maya", goodPassword)
	form := articleForm("أزهارُ الربيع في السهل", "نص.", "now", "")
	form.Set("language", "ar")
	id, _ := b.save("/admin/articles/new", "/admin/articles", form, http.StatusSeeOther)
	a, _ := s.store.ArticleByID(context.Background(), id)
	if a.Slug != "أزهار-الربيع-في-السهل" {
		t.Fatalf("slug: got %q", a.Slug)
	}
	escaped := (&url.URL{Path: a.Path(s.site().Zone)}).EscapedPath()
	rec := s.get(escaped)
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), `<html lang="ar" dir="rtl">`)
	// A second article with the same headline gets the next free slug.
	id2, _ := b.save("/admin/articles/new", "/admin/articles", form, http.StatusSeeOther)
	a2, _ := s.store.ArticleByID(context.Background(), id2)
	if a2.Slug != "أزهار-الربيع-في-السهل-2" {
		t.Errorf("second slug: got %q", a2.Slug)
	}
}

func TestCommentsCanBeClosed(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.45")
	b.login("maya", goodPassword)
	form := articleForm("Closed Story", "Text.", "now", "")
	form.Set("comments_closed", "1")
	id, _ := b.save("/admin/articles/new", "/admin/articles", form, http.StatusSeeOther)
	a, _ := s.store.ArticleByID(context.Background(), id)
	path := a.Path(s.site().Zone)
	html := body(t, s.get(path))
	assertContains(t, html, "Comments are closed on this article.")
	assertLacks(t, html, `class="opinion-form"`)
	assertStatus(t, s.postForm(path+"/comments", goodComment(), nil), http.StatusForbidden)
	if n := len(s.comments("")); n != 0 {
		t.Errorf("a closed article took %d comments", n)
	}
}

func TestArticleRoutesNeedSignInAndToken(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	anon := s.browser("198.51.100.46")
	for _, target := range []string{"/admin/articles", "/admin/articles/new", "/admin/articles/1", "/admin/articles/1/revisions/1"} {
		rec := anon.get(target)
		assertStatus(t, rec, http.StatusSeeOther)
		if !strings.HasPrefix(rec.Header().Get("Location"), "/admin/login?next=") {
			t.Errorf("GET %s: Location %q", target, rec.Header().Get("Location"))
		}
	}
	b := s.browser("198.51.100.47")
	b.login("maya", goodPassword)
	for _, target := range []string{"/admin/articles", "/admin/articles/1/trash", "/admin/articles/1/revisions/1/restore"} {
		rec := b.post(target, articleForm("No token", "x", "now", ""))
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("POST %s without a token: got %d, want 4xx", target, rec.Code)
		}
		rec = anon.postForm("/admin/login", target, articleForm("Anonymous", "x", "now", ""))
		assertStatus(t, rec, http.StatusSeeOther)
	}
	if n, _ := s.store.ArticleCount(context.Background()); n != len(siteFiles) {
		t.Errorf("refused requests changed the articles: %d", n)
	}
	for _, target := range []string{"/admin/articles/999", "/admin/articles/x", "/admin/articles/1/revisions/99", "/admin/articles?state=bogus", "/admin/articles?page=7"} {
		assertStatus(t, b.get(target), http.StatusNotFound)
	}
}
