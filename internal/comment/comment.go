// Package comment owns readers' opinions: what a comment is, the statuses
// moderation gives it, and the rules a submitted draft must meet. It must not
// import HTTP, SQL or template code.
package comment

import (
	"github.com/dateline/dateline/internal/fields"

	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Status is a comment's place in moderation. Only Approved comments are shown.
type Status string

// The moderation statuses.
const (
	Pending  Status = "pending"
	Approved Status = "approved"
	Rejected Status = "rejected"
	Spam     Status = "spam"
)

// ParseStatus accepts the name of a status.
func ParseStatus(s string) (Status, bool) {
	switch st := Status(s); st {
	case Pending, Approved, Rejected, Spam:
		return st, true
	}
	return "", false
}

// Comment is one stored opinion.
type Comment struct {
	ID        int64
	ArticleID int64
	// The article's slug, headline and publication instant, for listings
	// and links in moderation.
	ArticleSlug        string
	ArticleHeadline    string
	ArticlePublishedAt time.Time
	Name               string
	Email              string // never shown publicly
	Body               string // plain text
	Status             Status
	CreatedAt          time.Time // UTC
	IP                 string
	UserAgent          string
}

// Paragraphs splits the body into paragraphs at blank lines; the lines inside
// a paragraph keep their breaks.
func (c Comment) Paragraphs() []string {
	var paras []string
	for _, p := range strings.Split(c.Body, "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			paras = append(paras, p)
		}
	}
	return paras
}

// Limits of a comment, in characters after trimming.
const (
	MaxName  = 80
	MaxEmail = 254
	MaxBody  = 5000
)

// Draft is what a reader typed into the comment form.
type Draft struct {
	Name  string
	Email string
	Body  string
	// Website is the honeypot: hidden from people, filled in by bots.
	Website string
}

// Normalize trims the fields and turns CRLF line ends into LF, so that what
// is checked is what is stored.
func (d Draft) Normalize() Draft {
	d.Name = strings.TrimSpace(withoutSpoofing(d.Name))
	d.Email = strings.TrimSpace(d.Email)
	d.Body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(withoutSpoofing(d.Body), "\r\n", "\n"), "\r", "\n"))
	return d
}

// withoutSpoofing is s without dropSpoofing's characters; text that is
// not UTF-8 is left for Validate to refuse.
func withoutSpoofing(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return strings.Map(dropSpoofing, s)
}

// dropSpoofing drops the invisible characters that can make a name or a
// text look like something else: the bidirectional embeddings, overrides
// and isolates, which reorder what follows them, and the zero-width space,
// word joiner and byte order mark. The marks Arabic, Persian and Hebrew
// text needs stay: the zero-width joiner and non-joiner and the
// left-to-right and right-to-left marks.
func dropSpoofing(r rune) rune {
	switch {
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069', r == '\u200B', r == '\u2060', r == '\uFEFF':
		return -1
	}
	return r
}

// DuplicateKey is the form of a comment's text that the duplicate rule
// compares: compatibility forms folded (NFKC), invisible format characters
// dropped, lower case, and every run of white space (no-break spaces too)
// one space, so that the same text sent again with its case, spacing or
// hidden characters changed is still the same text.
func DuplicateKey(body string) string {
	body = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, norm.NFKC.String(body))
	return strings.Join(strings.Fields(strings.ToLower(body)), " ")
}

// Validate checks a normalised draft and returns nil when it may be stored.
func (d Draft) Validate() fields.Errors {
	errs := fields.Errors{}
	switch n := utf8.RuneCountInString(d.Name); {
	case !utf8.ValidString(d.Name) || hasControl(d.Name, false):
		errs["name"] = "Your name contains characters we cannot show."
	case n == 0:
		errs["name"] = "Please enter your name."
	case n > MaxName:
		errs["name"] = "Please keep your name to 80 characters or fewer."
	}
	if d.Email != "" && !validEmail(d.Email) {
		errs["email"] = "Please enter a valid email address, such as name@example.com, or leave it empty."
	}
	switch n := utf8.RuneCountInString(d.Body); {
	case !utf8.ValidString(d.Body) || hasControl(d.Body, true):
		errs["body"] = "Your comment contains characters we cannot show."
	case n == 0:
		errs["body"] = "Please write your comment."
	case n > MaxBody:
		errs["body"] = "Please keep your comment to 5,000 characters or fewer."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Truncate cuts every field to its limit, for keeping what a bot sent.
func (d Draft) Truncate() Draft {
	d.Name, d.Email, d.Body = Cut(d.Name, MaxName), Cut(d.Email, MaxEmail), Cut(d.Body, MaxBody)
	return d
}

// Cut is text (made valid UTF-8) cut to at most n characters, never inside
// one: for what is kept with a comment past its limits (a bot's text, a
// user agent) and for excerpts of it.
func Cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// isBot reports whether the honeypot was filled in.
func (d Draft) isBot() bool { return strings.TrimSpace(d.Website) != "" }

func validEmail(s string) bool {
	if len(s) > MaxEmail || strings.ContainsAny(s, " <>\"") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// hasControl reports control characters other than newlines (when allowed)
// and tabs; they have no place in a name or an opinion.
func hasControl(s string, newlines bool) bool {
	for _, r := range s {
		if r == '\t' || newlines && r == '\n' {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}
