package search

import (
	"slices"
	"strings"
	"testing"
)

func TestQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, typed, want string }{
		{"nothing", "", ""},
		{"only spaces", "   ", ""},
		{"one word", "harbour", `"harbour"*`},
		{"two words", "Night Market", `"night" "market"*`},
		{"quote inside a word", `foo"bar`, `"foo" "bar"*`},
		{"operator AND", "AND", `"and"*`},
		{"column filter", "title:", `"title"*`},
		{"trailing OR", "hello OR", `"hello" "or"*`},
		{"NEAR call", "NEAR(", `"near"*`},
		{"only a star", "*", ""},
		{"SQL injection", "' OR 1=1 --", `"or" "1" "1"*`},
		{"unterminated quote", `"unterminated`, `"unterminated"*`},
		{"hyphen", "a-b", `"a" "b"*`},
		{"diacritics", "Zürich café", `"zurich" "cafe"*`},
		{"Arabic with a vowel mark", "أزهارُ الربيع", `"ازهار" "الربيع"*`},
		{"only parentheses", "(((", ""},
		{"too many terms", strings.Repeat("x ", 50), strings.TrimSuffix(strings.Repeat(`"x" `, MaxTerms), " ") + "*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Query(tc.typed); got != tc.want {
				t.Errorf("Query(%q): got %q, want %q", tc.typed, got, tc.want)
			}
		})
	}
	if long := Query(strings.Repeat("a", 1000)); len(long) > MaxQueryRunes+4 {
		t.Errorf("a long query is not capped: %d bytes", len(long))
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Café Zürich":  "Cafe Zurich",
		"أَزْهَار":     "ازهار",
		"إسـلام":       "اسلام",
		"ﬁne":          "fine",
		"a\x02b\x03c":  "a b c",
		"שָׁלוֹם":      "שלום",
		"bad \xff utf": "bad   utf",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestFragments(t *testing.T) {
	t.Parallel()
	got := Fragments("The \x02night\x03 market <b> \x02opens\x03")
	want := []Fragment{{"The ", false}, {"night", true}, {" market <b> ", false}, {"opens", true}}
	if !slices.Equal(got, want) {
		t.Errorf("Fragments: got %v, want %v", got, want)
	}
	if got := Fragments("no marks"); len(got) != 1 || got[0].Match {
		t.Errorf("Fragments without marks: %v", got)
	}
}
