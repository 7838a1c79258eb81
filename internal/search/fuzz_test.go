package search

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

// wellFormed is the only shape Query may give: quoted words of letters,
// numbers and marks, the last one a prefix.
var wellFormed = regexp.MustCompile(`^("[\pL\pN\pM]+" )*"[\pL\pN\pM]+"\*$`)

// FuzzQuery checks that whatever a reader types becomes a query of quoted
// words, or nothing: no FTS5 syntax gets through.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{"harbour", `foo"bar`, "NEAR(a b)", "title:x", "a* OR b", "' OR 1=1 --", "أزهار", "\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		if q := Query(typed); q != "" && !wellFormed.MatchString(q) {
			t.Fatalf("Query(%q) = %q", typed, q)
		}
	})
}

// FuzzSnippet checks that a snippet of any text for any query is valid
// UTF-8 with balanced markers around pieces of the text itself, and
// bounded in size.
func FuzzSnippet(f *testing.F) {
	for _, seed := range [][2]string{{"The harbour was quiet.", "harbour"}, {"تَفَتَّحَتْ الأَزْهَارُ", "الازهار"},
		{"a \x02b\x03 c", "b"}, {"\xff\xfe café", "cafe"}, {"½ ﬁne", "1 fi"}, {"", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		got := Snippet(text, query, 24)
		if !utf8.ValidString(got) {
			t.Fatalf("Snippet(%q, %q) = %q: invalid UTF-8", text, query, got)
		}
		if len(got) > 24*(2*maxPieceBytes+8)+2*maxPieceBytes {
			t.Fatalf("Snippet(%q, %q): %d bytes", text, query, len(got))
		}
		depth := 0
		for _, r := range got {
			switch string(r) {
			case MatchStart:
				depth++
			case MatchEnd:
				depth--
			}
			if depth < 0 || depth > 1 {
				t.Fatalf("Snippet(%q, %q) = %q: unbalanced markers", text, query, got)
			}
		}
		if depth != 0 {
			t.Fatalf("Snippet(%q, %q) = %q: unbalanced markers", text, query, got)
		}
	})
}
