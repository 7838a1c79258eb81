package calendar

import (
	"strings"
	"testing"
)

// FuzzParsePeriod checks that date segments from a URL parse or fail
// cleanly, and that a parsed period's address parses back to itself.
func FuzzParsePeriod(f *testing.F) {
	f.Add("2024", "06", "20")
	f.Add("2024", "02", "30")
	f.Add("0000", "", "")
	f.Add("２０２４", "6", "")
	f.Fuzz(func(t *testing.T, y, m, d string) {
		p, err := ParsePeriod(y, m, d)
		if err != nil {
			return
		}
		parts := strings.Split(strings.TrimPrefix(p.Path(), "/"), "/")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		back, err := ParsePeriod(parts[0], parts[1], parts[2])
		if err != nil || back != p {
			t.Fatalf("ParsePeriod(%q, %q, %q) = %v, whose path %q parses to %v, %v", y, m, d, p, p.Path(), back, err)
		}
	})
}
