// Package article owns what a news article is: its fields and status, the
// front-matter file format it is imported from, and the one way its Markdown
// becomes HTML that is safe to show (goldmark, then bluemonday). It must not
// import HTTP, SQL or template code.
package article

import (
	"strings"
	"time"

	"github.com/dateline/dateline/internal/calendar"
	"golang.org/x/text/language"
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

	// Comments is the number of approved comments, filled in by listings.
	Comments int
}

// Path is the article's canonical address: the site-local date of
// publication, then the slug, as in /2024/06/20/night-market.
func (a Article) Path(z calendar.Zone) string {
	return z.DateOf(a.PublishedAt).Truncate(calendar.Day).Path() + "/" + a.Slug
}

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

// ValidSlug reports whether s is usable as a slug: lower-case ASCII letters
// and digits in words joined by single hyphens, at most 200 bytes.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Slugify makes a slug from a name such as a file name: ASCII letters and
// digits are kept (lower-cased), every other run of characters becomes one
// hyphen. It returns "" when nothing usable is left.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
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
	if len(s) > 200 {
		s = strings.TrimRight(s[:200], "-")
	}
	return s
}
