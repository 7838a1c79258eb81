package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Ellipsis stands where a snippet cuts the text.
const Ellipsis = "…"

// Snippet cuts from text the stretch of about words words that holds the
// most of the query's words (typed as a reader typed them), and wraps each
// word that matched in MatchStart and MatchEnd. Words match as they do in
// the index: by their normalised form, so "cafe" marks "café" and an
// Arabic word typed without short vowels marks the word written with them,
// and the last word of the query also as a prefix. The snippet keeps the
// text's own characters, with Ellipsis where it was cut. Without a match
// it is the start of the text.
func Snippet(text, query string, words int) string {
	// Control characters would pass for match markers (and mean nothing
	// in prose anyway), so they become spaces, as Normalize makes them.
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(text, "\uFFFD"))
	words = max(words, 1)
	terms := Terms(query)
	spans := wordSpans(text)
	if len(spans) == 0 {
		return ""
	}
	found := make([]uint16, len(spans)) // for each word, the terms it matches, one bit each
	for i, sp := range spans {
		found[i] = matchTerms(terms, text[sp.start:sp.end], sp.class)
	}
	first, last := bestWindow(found, words)

	var b strings.Builder
	start := 0
	if first > 0 {
		b.WriteString(Ellipsis)
		start = spans[first].start
	}
	for i := first; i <= last; i++ {
		sp := spans[i]
		b.WriteString(clip(text[start:sp.start]))
		if found[i] != 0 {
			b.WriteString(MatchStart + clip(text[sp.start:sp.end]) + MatchEnd)
		} else {
			b.WriteString(clip(text[sp.start:sp.end]))
		}
		start = sp.end
	}
	if last < len(spans)-1 {
		b.WriteString(Ellipsis)
	} else {
		b.WriteString(clip(strings.TrimRightFunc(text[start:], unicode.IsSpace)))
	}
	return strings.TrimLeftFunc(b.String(), unicode.IsSpace)
}

// maxPieceBytes bounds a word, or the run of spaces and punctuation
// between two words, in a snippet: an address or a rule of dashes in the
// text must not turn the snippet into a page.
const maxPieceBytes = 60

// clip cuts s to at most maxPieceBytes at a character boundary, ending
// it with Ellipsis if it was cut.
func clip(s string) string {
	if len(s) <= maxPieceBytes {
		return s
	}
	cut := maxPieceBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + Ellipsis
}

// span is where a word lies in the text, in bytes, and the classes its
// characters have.
type span struct {
	start, end int
	class      uint8 // plainChar if all characters are, upperChar if any is
}

// wordSpans finds the words of text, split as Terms splits what readers
// type.
func wordSpans(text string) []span {
	var spans []span
	cur := span{start: -1}
	for i, r := range text {
		c := classOf(r)
		switch {
		case c&wordChar == 0:
			if cur.start >= 0 {
				cur.end = i
				spans = append(spans, cur)
				cur.start = -1
			}
		case cur.start < 0:
			cur = span{start: i, class: c &^ wordChar}
		default:
			cur.class = cur.class&^plainChar | c&cur.class&plainChar | c&upperChar
		}
	}
	if cur.start >= 0 {
		cur.end = len(text)
		spans = append(spans, cur)
	}
	return spans
}

// Classes of a character, for cutting snippets.
const (
	wordChar  = 1 << iota // a letter, number or mark: part of a word
	plainChar             // Normalize leaves it alone (see plain)
	upperChar             // ToLower changes it
)

// smallClasses are the classes of the characters below U+0800 (Latin,
// Greek, Cyrillic, Hebrew, Arabic), worked out once: cutting a snippet
// looks most characters up here instead of in several Unicode tables.
var smallClasses = func() (classes [0x800]uint8) {
	for r := range rune(len(classes)) {
		classes[r] = charClass(r)
	}
	return classes
}()

func classOf(r rune) uint8 {
	if r < rune(len(smallClasses)) {
		return smallClasses[r]
	}
	return charClass(r)
}

func charClass(r rune) uint8 {
	var c uint8
	if !notWordRune(r) {
		c |= wordChar
	}
	if plain(r) {
		c |= plainChar
	}
	if unicode.ToLower(r) != r {
		c |= upperChar
	}
	return c
}

// plain reports that Normalize leaves r alone wherever it stands: it does
// not decompose, it is no mark (the ones Normalize drops, and the ones
// that could compose with a letter before them), no Hangul jamo (which
// compose without being marks), and no tatweel or alef that Normalize
// rewrites.
func plain(r rune) bool {
	if r < utf8.RuneSelf {
		return true
	}
	if unicode.IsMark(r) || ignoredMarks.Contains(r) || r == 'ٱ' || 0x1100 <= r && r <= 0x11ff {
		return false
	}
	p := norm.NFKD.PropertiesString(string(r))
	return p.Decomposition() == nil && p.CCC() == 0
}

// bestWindow picks the words first to last, at most size of them, that
// match the most terms (different terms first, then matches), with the
// matches in the middle of the window. Without a match it is the first
// words.
func bestWindow(found []uint16, size int) (first, last int) {
	n := len(found)
	if n == 0 {
		return 0, -1
	}
	if n <= size {
		return 0, n - 1
	}
	var counts [MaxTerms]int
	distinct, hits := 0, 0
	add := func(mask uint16, d int) {
		for t := 0; mask != 0; t, mask = t+1, mask>>1 {
			if mask&1 == 0 {
				continue
			}
			if counts[t] == 0 || counts[t]+d == 0 {
				distinct += d
			}
			counts[t] += d
			hits += d
		}
	}
	best, bestDistinct, bestHits := 0, 0, 0
	for i := range n {
		add(found[i], 1)
		if i >= size {
			add(found[i-size], -1)
		}
		if start := i - size + 1; start >= 0 && (distinct > bestDistinct || distinct == bestDistinct && hits > bestHits) {
			best, bestDistinct, bestHits = start, distinct, hits
		}
	}
	if bestHits == 0 {
		return 0, size - 1
	}
	// Centre the matches: the window still holds them all, and more
	// context on both sides reads better than matches at one edge.
	lo, hi := best, best+size-1
	for found[lo] == 0 {
		lo++
	}
	for found[hi] == 0 {
		hi--
	}
	start := lo - (size-(hi-lo+1))/2
	start = min(max(start, 0), n-size)
	return start, start + size - 1
}

// matchTerms returns the terms that word matches, one bit each: its
// normalised form (which may hold several index words, as "½" holds 1 and
// 2) equals a term, or for the last term begins with it. The class of the
// word's characters spares most words the work of normalising.
func matchTerms(terms []string, word string, class uint8) uint16 {
	switch {
	case len(terms) == 0:
		return 0
	case class == plainChar:
		return matchPart(terms, word)
	case class&plainChar != 0:
		return matchPart(terms, strings.ToLower(word))
	}
	var mask uint16
	for _, part := range strings.FieldsFunc(strings.ToLower(Normalize(word)), notWordRune) {
		mask |= matchPart(terms, part)
	}
	return mask
}

func matchPart(terms []string, part string) uint16 {
	var mask uint16
	for t, term := range terms {
		if part == term || t == len(terms)-1 && strings.HasPrefix(part, term) {
			mask |= 1 << t
		}
	}
	return mask
}
