// Package article owns what a news article is: its fields and status, the
// front-matter file format it is imported from, and the one way its Markdown
// becomes HTML that is safe to show (goldmark, then bluemonday). It must not
// import HTTP, SQL or template code.
package article

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/dateline/dateline/internal/calendar"
)

// Status is where an article stands in its life.
type Status string

// The statuses an article can have. A published article whose PublishedAt
// lies in the future is scheduled: readers see it from that instant on.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// HTML is article body markup that Render produced and sanitised. Only values
// of this type may be written to a page unescaped.
type HTML string

// Article is one story with its metadata.
type Article struct {
	ID          int64
	Slug        string
	Headline    string
	Summary     string
	Body        string // Markdown source, kept as written
	HTML        HTML   // Body rendered by Render
	Author      string
	Section     string
	Tags        []string
	Language    string // BCP 47 tag
	Status      Status
	PublishedAt time.Time // UTC
	UpdatedAt   time.Time // UTC

	// Version counts saves; a save must name the version it was based on.
	Version int
	// TrashedAt is when the article went to the trash; zero if it is not.
	TrashedAt time.Time
	// CommentsClosed replaces the comment form with a notice.
	CommentsClosed bool
	// Lead is the image shown with the article on listings and its page;
	// its Path is empty when there is none.
	Lead Image

	// Comments is the number of approved comments, filled in by listings.
	Comments int
	// Source is where an import read the article (its file, relative to
	// the imported folder), so that the next import finds it even under a
	// new slug; empty for articles written in the newsroom. Only imports
	// set it, and only the store's import reads it.
	Source string
}

// Image is a picture as an article shows it.
type Image struct {
	ID      int64
	Path    string // the image's address on the site
	Alt     string
	Caption string
	Credit  string
	Width   int
	Height  int
}

// Trashed reports whether the article is in the trash.
func (a Article) Trashed() bool { return !a.TrashedAt.IsZero() }

// Grouping is one of the ways listings group articles: by section, by tag
// or by author. Its value is the first segment of such a listing's address.
type Grouping string

// The groupings.
const (
	BySection Grouping = "section"
	ByTag     Grouping = "tag"
	ByAuthor  Grouping = "author"
)

// Path is the address of the listing of name in this grouping (not
// escaped: slugs may be in any script).
func (g Grouping) Path(name string) string { return "/" + string(g) + "/" + Slugify(name) }

// Route is the route pattern of this grouping's listings.
func (g Grouping) Route() string { return "/" + string(g) + "/:slug" }

// State is how the newsroom describes an article at an instant: its Status,
// whether its time has come, and the trash, in one word.
type State string

// The states, in the order the newsroom lists them.
const (
	StateDraft     State = "draft"
	StateScheduled State = "scheduled"
	StatePublished State = "published"
	StateTrashed   State = "trashed"
)

// States are all the states.
var States = []State{StateDraft, StateScheduled, StatePublished, StateTrashed}

// ParseState accepts the name of a state.
func ParseState(s string) (State, bool) {
	for _, st := range States {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// State is the article's state at instant now.
func (a Article) State(now time.Time) State {
	switch {
	case a.Trashed():
		return StateTrashed
	case a.Status == Draft:
		return StateDraft
	case a.PublishedAt.After(now):
		return StateScheduled
	default:
		return StatePublished
	}
}

// Revision is an article as it was saved once, and by whom.
type Revision struct {
	Article  Article // the saved fields; ID is the article's
	Version  int
	SavedAt  time.Time
	UserID   int64
	Username string
	Note     string // "import", "restored from version 3" ...
}

// RestoreOnto is the article current with this revision's text brought
// back: headline, slug, summary, body (rendered again), author, section,
// tags and language. Its state, publication time, lead image and comment
// setting stay as they are, so restoring words never unpublishes or moves
// a live story. A body past the rendering limits is a *ComplexError.
func (r Revision) RestoreOnto(current Article) (Article, error) {
	old, a := r.Article, current
	a.Slug, a.Headline, a.Summary, a.Body = old.Slug, old.Headline, old.Summary, old.Body
	a.Author, a.Section, a.Tags, a.Language = old.Author, old.Section, old.Tags, old.Language
	var err error
	a.HTML, err = Render(a.Body)
	return a, err
}

// Route is the route pattern of an article's Path, and CommentsRoute of
// its CommentsPath.
const (
	Route         = "/:year/:month/:day/:slug"
	CommentsRoute = Route + commentsPath
	commentsPath  = "/comments"
)

// Path is the article's canonical address: the site-local date of
// publication, then the slug, as in /2024/06/20/night-market.
func (a Article) Path(z calendar.Zone) string {
	return z.DateOf(a.PublishedAt).Truncate(calendar.Day).Path() + "/" + a.Slug
}

// CommentsPath is where its readers' comments are listed and posted.
func (a Article) CommentsPath(z calendar.Zone) string { return a.Path(z) + commentsPath }

// Dir is the writing direction of the article's language, "rtl" or "ltr".
func (a Article) Dir() string { return Dir(a.Language) }

// DefaultLanguage is the language of an article that names none.
const DefaultLanguage = "en"

// rtlLanguages are the base languages written right to left.
var rtlLanguages = map[string]bool{
	"ar": true, "arc": true, "ckb": true, "dv": true, "fa": true, "he": true,
	"ks": true, "ps": true, "sd": true, "ug": true, "ur": true, "yi": true,
}

// Dir returns "rtl" for languages written right to left and "ltr" otherwise.
func Dir(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return "ltr"
	}
	base, _ := tag.Base()
	if rtlLanguages[base.String()] {
		return "rtl"
	}
	return "ltr"
}

// CanonicalLanguage validates a BCP 47 tag and returns its canonical form;
// an empty tag is the default language.
func CanonicalLanguage(lang string) (string, bool) {
	lang = strings.TrimSpace(lang)
	if lang == "" {
		return DefaultLanguage, true
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return "", false
	}
	return tag.String(), true
}

// ValidSlug reports whether s is usable as a slug: words of lower-case
// letters (of any script) and digits joined by single hyphens, at most 200
// bytes.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 200 || !utf8.ValidString(s) || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if r != '-' && !slugRune(r) {
			return false
		}
	}
	return true
}

// slugRune reports whether r may stand in a slug word: a digit, a letter
// that is not upper case, or a mark that some scripts need inside words.
func slugRune(r rune) bool {
	return unicode.IsDigit(r) || unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r) || unicode.IsMark(r)
}

// optionalMarks are the marks a slug does without: Latin, Greek and
// Cyrillic accents, Arabic short vowels and Hebrew points. Marks that other
// scripts need to spell a word, and the Arabic hamza, are kept.
var optionalMarks = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x0300, Hi: 0x036f, Stride: 1}, // combining diacritical marks
	{Lo: 0x0591, Hi: 0x05c7, Stride: 1}, // Hebrew cantillation and points
	{Lo: 0x064b, Hi: 0x0652, Stride: 1}, // Arabic tanwin, short vowels, shadda, sukun
}}

// stripMarks turns "Café" into "Cafe" and "أزهارُ" into "أزهار". A chain
// keeps state while it runs, so each call gets its own.
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(optionalMarks)), norm.NFC)
}

// Slugify makes a slug from a headline or a file name: accents are dropped,
// letters are lower-cased, letters and digits of every script are kept, and
// every other run of characters becomes one hyphen. It returns "" when
// nothing usable is left.
func Slugify(name string) string {
	plain, _, err := transform.String(stripMarks(), name)
	if err != nil {
		plain = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(plain) {
		if slugRune(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	s := b.String()
	for len(s) > 200 { // cut at a word boundary, or at a rune
		if i := strings.LastIndexByte(s[:200], '-'); i > 0 {
			s = s[:i]
		} else {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
	}
	return s
}
