// Package search owns what full-text search means on the site: how text is
// normalised before it is indexed or looked up (so that accents, Arabic
// short vowels and the like do not stand between a reader and a story), and
// how whatever a reader types becomes a safe FTS5 query. It must not import
// HTTP, SQL or template code.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/unicode/norm"
)

// Limits on what a reader types.
const (
	MaxQueryRunes = 200
	MaxTerms      = 12
)

// ignoredMarks are taken out of indexed text and queries alike: Latin,
// Greek and Cyrillic accents, Hebrew points, Arabic short vowels, and the
// Arabic tatweel that only stretches a word.
var ignoredMarks = runes.In(&unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x0300, Hi: 0x036f, Stride: 1},
	{Lo: 0x0591, Hi: 0x05c7, Stride: 1},
	{Lo: 0x0610, Hi: 0x061a, Stride: 1},
	{Lo: 0x0640, Hi: 0x0640, Stride: 1},
	{Lo: 0x064b, Hi: 0x065f, Stride: 1},
	{Lo: 0x0670, Hi: 0x0670, Stride: 1},
}})

// Normalize prepares text for the index and for queries: compatibility
// forms folded (NFKC), marks that readers often leave out dropped, the
// Arabic alef with hamza or madda written as a plain alef, as many readers
// type it, and control characters turned into spaces.
func Normalize(s string) string {
	// Step by step rather than as one transform.Chain: a chain allocates
	// buffers of its own on every call, which costs more than the copies
	// for the short texts (headlines, single words of snippets) that are
	// normalised most often.
	s = norm.NFKD.String(strings.ToValidUTF8(s, " "))
	s = strings.Map(func(r rune) rune {
		switch {
		case ignoredMarks.Contains(r):
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return alefs.Replace(norm.NFKC.String(s))
}

var alefs = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا")

// Query turns what a reader typed into an FTS5 query that matches articles
// holding every word, the last one also as a prefix (so results come while
// a word is still being typed). Every word is quoted, so FTS5 syntax such
// as AND, NEAR, *, quotes, colons or parentheses is only ever text. It
// returns "" when nothing searchable was typed.
func Query(typed string) string {
	words := Terms(typed)
	quoted := make([]string, len(words))
	for i, w := range words {
		// Terms hold only letters, numbers and marks, so they need no
		// escaping inside the quotes.
		quoted[i] = `"` + w + `"`
	}
	if len(quoted) > 0 {
		quoted[len(quoted)-1] += "*"
	}
	return strings.Join(quoted, " ")
}

// Terms are the words of what a reader typed as the index holds them:
// normalised, lower case, at most MaxTerms of them from the first
// MaxQueryRunes characters. Query matches the last one also as a prefix.
func Terms(typed string) []string {
	if r := []rune(typed); len(r) > MaxQueryRunes {
		typed = string(r[:MaxQueryRunes])
	}
	words := strings.FieldsFunc(Normalize(typed), notWordRune)
	if len(words) > MaxTerms {
		words = words[:MaxTerms]
	}
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return words
}

// notWordRune separates words, in what readers type as in the text that
// snippets are cut from.
func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
}

// Fragment is a piece of a search snippet; Match pieces are the words that
// matched and are highlighted.
type Fragment struct {
	Text  string
	Match bool
}

// Snippet markers are the control characters the store asks SQLite to put
// around matched words. Indexed text holds none (Normalize turns control
// characters into spaces), so they mark matches and nothing else.
const (
	MatchStart = "\x02"
	MatchEnd   = "\x03"
)

// Fragments splits a snippet marked with MatchStart and MatchEnd into
// plain and matched pieces, so that a template can escape all of the text
// and wrap only the matched pieces in <mark>.
func Fragments(snippet string) []Fragment {
	var out []Fragment
	for snippet != "" {
		before, rest, found := strings.Cut(snippet, MatchStart)
		if before != "" {
			out = append(out, Fragment{Text: before})
		}
		if !found {
			break
		}
		match, after, _ := strings.Cut(rest, MatchEnd)
		if match != "" {
			out = append(out, Fragment{Text: match, Match: true})
		}
		snippet = after
	}
	return out
}
