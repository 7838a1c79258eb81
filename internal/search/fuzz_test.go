package search

import (
	"regexp"
	"testing"
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
