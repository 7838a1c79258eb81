package server

import (
	"net/http"
	"testing"
)

func TestArchivePages(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	tests := []struct {
		name   string
		target string
		status int
		has    []string
		hasNot []string
	}{
		{"years", "/archive", 200,
			[]string{`<a href="/2025">2025</a> <span class="count">5 stories</span>`, `<a href="/2024">2024</a> <span class="count">3 stories</span>`},
			[]string{`href="/2030"`, `href="/2026"`}},
		{"year", "/2024", 200,
			[]string{`<a href="/2024/02">February 2024</a> <span class="count">1 story</span>`,
				`<a href="/2024/06">June 2024</a> <span class="count">2 stories</span>`,
				`rel="next" href="/2025"`},
			[]string{`rel="prev"`, `href="/2024/03"`}},
		// The harbour story was published at 22:30 UTC on 19 June: it is
		// filed under 20 June, Jerusalem time.
		{"month", "/2024/06", 200,
			[]string{`<a href="/2024/06/20">20 June 2024</a> <span class="count">2 stories</span>`, "Night market opens", "Midday story",
				`rel="prev" href="/2024/02"`, `rel="next" href="/2025/03"`},
			[]string{`href="/2024/06/19"`}},
		{"day after late UTC evening", "/2024/06/20", 200,
			[]string{"Night market opens", "Midday story", `rel="prev" href="/2024/02/10"`, `rel="next" href="/2025/03/28"`}, nil},
		{"UTC date of late story has nothing", "/2024/06/19", 404, nil, nil},
		// Spring DST switch: 22:30 UTC on 27 March is 00:30 on the 28th at
		// UTC+2, and 21:30 UTC on 28 March is 00:30 on the 29th at UTC+3.
		{"spring DST month", "/2025/03", 200,
			[]string{`<a href="/2025/03/28">28 March 2025</a> <span class="count">1 story</span>`,
				`<a href="/2025/03/29">29 March 2025</a> <span class="count">1 story</span>`},
			[]string{`href="/2025/03/27"`}},
		{"spring DST day 28", "/2025/03/28", 200, []string{"Before the clocks change"}, []string{"After the clocks change"}},
		{"spring DST day 29", "/2025/03/29", 200, []string{"After the clocks change"}, []string{"Before the clocks change"}},
		// Autumn DST switch: 21:30 UTC on 25 October is 00:30 on the 26th at
		// UTC+3; 21:30 UTC on 26 October is 23:30 the same day at UTC+2.
		{"autumn DST month", "/2025/10", 200,
			[]string{`<a href="/2025/10/26">26 October 2025</a> <span class="count">2 stories</span>`},
			[]string{`href="/2025/10/25"`, `href="/2025/10/27"`}},
		{"autumn DST day", "/2025/10/26", 200, []string{"Last summer night", "First winter evening", `rel="prev" href="/2025/04/08"`}, []string{`rel="next"`}},
		{"year with DST", "/2025", 200,
			[]string{`<a href="/2025/03">March 2025</a> <span class="count">2 stories</span>`,
				`<a href="/2025/04">April 2025</a> <span class="count">1 story</span>`,
				`<a href="/2025/10">October 2025</a> <span class="count">2 stories</span>`, `rel="prev" href="/2024"`},
			[]string{`rel="next"`}},
		{"draft day is empty", "/2026", 404, nil, nil},
		{"scheduled year is empty", "/2030", 404, nil, nil},
		{"Feb 30", "/2024/02/30", 404, nil, nil},
		{"month 13", "/2024/13", 404, nil, nil},
		{"month 00", "/2024/00", 404, nil, nil},
		{"day 00", "/2024/06/00", 404, nil, nil},
		{"not a year", "/20x4", 404, nil, nil},
		{"short year", "/999", 404, nil, nil},
		{"year 0000", "/0000", 404, nil, nil},
		{"leap day exists but is empty", "/2024/02/29", 404, nil, nil},
		{"empty month", "/2024/07", 404, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.get(tc.target)
			assertStatus(t, rec, tc.status)
			html := body(t, rec)
			assertContains(t, html, tc.has...)
			assertLacks(t, html, tc.hasNot...)
			if tc.status == http.StatusNotFound {
				assertContains(t, html, `class="site-header"`, "Page not found")
			}
		})
	}
}

func TestArchiveOfEmptySite(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, nil)
	rec := s.get("/archive")
	assertStatus(t, rec, http.StatusOK)
	assertContains(t, body(t, rec), "No stories have been published yet.")
	assertContains(t, body(t, s.get("/")), "No stories have been published yet.")
}
