package article

import (
	"github.com/dateline/dateline/internal/fields"

	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the newsroom's article form, in characters.
const (
	MaxHeadline = 300
	MaxSummary  = 600
	MaxAuthor   = 120
	MaxSection  = 60
	MaxTag      = 60
	MaxTags     = 20
	MaxBody     = 200_000
)

// The years a publication time may have: SQLite's date functions and our
// own layouts both stay within them.
const (
	MinYear = 1970
	MaxYear = 9999
)

// The instants the store keeps lie between these: a day inside the years
// 1 to 9999, so that the time in any zone (offsets are under a day) still
// has a four-digit year, which SQLite compares as text and the driver
// reads back. 9999-12-31 23:00 in New York is already the year 10000 in
// UTC.
var (
	earliestInstant = time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)
	latestInstant   = time.Date(9999, 12, 30, 23, 59, 59, 0, time.UTC)
)

// InstantInRange reports whether t may be stored (see earliestInstant).
func InstantInRange(t time.Time) bool {
	return !t.Before(earliestInstant) && !t.After(latestInstant)
}

// PublishTimeLayout is the form of a site-local date and time in the
// newsroom's form, as <input type="datetime-local"> sends it.
const PublishTimeLayout = "2006-01-02T15:04"

// Edit is what an editor typed into the article form, as text.
type Edit struct {
	Headline       string
	Slug           string // empty: made from the headline
	Summary        string
	Body           string
	Author         string
	Section        string
	Tags           string // comma-separated
	Language       string
	Publish        Publication
	PublishAt      string
	CommentsClosed bool
}

// Publication is the form's choice of when readers see the article.
type Publication string

// The choices: a draft, now, or at the form's PublishAt (site-local; in
// the future it is a schedule).
const (
	PublishDraft Publication = "draft"
	PublishNow   Publication = "now"
	PublishAt    Publication = "at"
)

// EditOf fills the form from a stored article, with its publication time
// in loc.
func EditOf(a Article, loc *time.Location) Edit {
	e := Edit{
		Headline: a.Headline, Slug: a.Slug, Summary: a.Summary, Body: a.Body, Author: a.Author,
		Section: a.Section, Tags: strings.Join(a.Tags, ", "), Language: a.Language,
		Publish: PublishAt, PublishAt: a.PublishedAt.In(loc).Format(PublishTimeLayout), CommentsClosed: a.CommentsClosed,
	}
	if a.Status == Draft {
		e.Publish = PublishDraft
	}
	return e
}

// Normalize trims the fields and unifies line ends.
func (e Edit) Normalize() Edit {
	trim := strings.TrimSpace
	e.Headline, e.Slug, e.Summary, e.Author, e.Section = trim(e.Headline), trim(e.Slug), trim(e.Summary), trim(e.Author), trim(e.Section)
	e.Language, e.Publish, e.PublishAt = trim(e.Language), Publication(trim(string(e.Publish))), trim(e.PublishAt)
	e.Body = strings.ReplaceAll(e.Body, "\r\n", "\n")
	return e
}

// Article checks a normalised form and builds the article it describes,
// published (or scheduled) according to Publish at instant now, with dates
// read in loc. An empty slug is left empty for the caller to fill. The
// HTML is rendered. With errors, the article is not to be saved.
func (e Edit) Article(loc *time.Location, now time.Time) (Article, fields.Errors) {
	a := Article{
		Headline: e.Headline, Slug: e.Slug, Summary: e.Summary, Body: e.Body, Author: e.Author,
		Section: e.Section, CommentsClosed: e.CommentsClosed, UpdatedAt: now.UTC().Truncate(time.Second),
	}
	errs := e.checkText(&a)
	a.Status, a.PublishedAt = e.publication(loc, now, errs)
	if len(errs) > 0 {
		return a, errs
	}
	html, err := Render(a.Body)
	if err != nil {
		errs["body"] = "This story could not be rendered."
		if complex, ok := errors.AsType[*ComplexError](err); ok {
			errs["body"] = complex.Sentence()
		}
		return a, errs
	}
	a.HTML = html
	return a, nil
}

// checkText checks the form's text fields and fills the article's tags and
// language from them.
func (e Edit) checkText(a *Article) fields.Errors {
	errs := fields.Errors{}
	long := func(field, value string, limit int, what string) {
		if !utf8.ValidString(value) {
			errs[field] = "This field contains characters that are not text."
		} else if utf8.RuneCountInString(value) > limit {
			errs[field] = "Please keep the " + what + " shorter."
		}
	}
	if a.Headline == "" {
		errs["headline"] = "Please write a headline."
	}
	long("headline", a.Headline, MaxHeadline, "headline")
	long("summary", a.Summary, MaxSummary, "summary")
	long("author", a.Author, MaxAuthor, "author's name")
	long("section", a.Section, MaxSection, "section name")
	long("body", a.Body, MaxBody, "story")
	if a.Slug != "" && !ValidSlug(a.Slug) {
		errs["slug"] = "Use lower-case letters and digits in words joined by single hyphens, or leave it empty."
	}
	for _, t := range strings.Split(e.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			a.Tags = append(a.Tags, t)
			long("tags", t, MaxTag, "tags")
		}
	}
	if len(a.Tags) > MaxTags {
		errs["tags"] = "Please use at most 20 tags."
	}
	var ok bool
	if a.Language, ok = CanonicalLanguage(e.Language); !ok {
		errs["language"] = "Use a language tag such as en, ar or he."
	}
	return errs
}

// publication reads the form's publishing choice and site-local time (in
// loc) into a status and an instant, adding what is wrong to errs.
func (e Edit) publication(loc *time.Location, now time.Time, errs fields.Errors) (Status, time.Time) {
	var at time.Time
	if e.PublishAt != "" {
		t, err := time.ParseInLocation(PublishTimeLayout, e.PublishAt, loc)
		switch {
		case err != nil:
			errs["publish_at"] = "Use a date and time such as 2024-06-20 16:53."
		case t.Year() < MinYear || t.Year() > MaxYear || !InstantInRange(t):
			errs["publish_at"] = "Use a date from 1970 to 30 December 9999."
		case t.Format(PublishTimeLayout) != e.PublishAt:
			// time.Date moved a time that the clocks skip (the hour lost when
			// summer time starts) to one that exists.
			errs["publish_at"] = "This time does not exist in the site's time zone: the clocks jump forward then. Please choose another."
		}
		at = t
	}
	var status Status
	switch e.Publish {
	case PublishDraft:
		status = Draft
		if at.IsZero() {
			at = now
		}
	case PublishNow:
		status, at = Published, now
	case PublishAt:
		status = Published
		if e.PublishAt == "" {
			errs["publish_at"] = "Please give the date and time to publish at."
		}
	default:
		errs["publish"] = "Please choose whether to save a draft, publish now or publish at a time."
	}
	return status, at.UTC().Truncate(time.Second)
}
