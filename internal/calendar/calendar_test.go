package calendar

import (
	"errors"
	"testing"
	"time"
)

func jerusalem(t *testing.T) Zone {
	t.Helper()
	z, err := LoadZone("Asia/Jerusalem", "Jerusalem Time")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestDateline(t *testing.T) {
	t.Parallel()
	z := jerusalem(t)
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"summer afternoon", time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC), "Thu 20 Jun 2024 4:53 pm - Jerusalem Time"},
		{"summer night, the next local day", time.Date(2024, 6, 19, 22, 30, 0, 0, time.UTC), "Thu 20 Jun 2024 1:30 am - Jerusalem Time"},
		{"winter noon", time.Date(2024, 1, 5, 10, 0, 0, 0, time.UTC), "Fri 5 Jan 2024 12:00 pm - Jerusalem Time"},
		{"winter just after local midnight", time.Date(2024, 1, 4, 22, 5, 0, 0, time.UTC), "Fri 5 Jan 2024 12:05 am - Jerusalem Time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := z.Dateline(tc.at); got != tc.want {
				t.Errorf("Dateline(%v): got %q, want %q", tc.at, got, tc.want)
			}
		})
	}
}

func TestDateOfAcrossZoneAndDST(t *testing.T) {
	t.Parallel()
	z := jerusalem(t)
	tests := []struct {
		name string
		at   time.Time
		want Date
	}{
		{"late UTC evening in June is next local day", time.Date(2024, 6, 19, 22, 30, 0, 0, time.UTC), Date{2024, 6, 20}},
		{"just before local midnight in June", time.Date(2024, 6, 19, 20, 59, 0, 0, time.UTC), Date{2024, 6, 19}},
		{"winter offset is two hours", time.Date(2024, 1, 4, 22, 0, 0, 0, time.UTC), Date{2024, 1, 5}},
		{"winter 21:59 UTC", time.Date(2024, 1, 4, 21, 59, 0, 0, time.UTC), Date{2024, 1, 4}},
		{"night before spring switch", time.Date(2025, 3, 27, 22, 30, 0, 0, time.UTC), Date{2025, 3, 28}},
		{"night after spring switch", time.Date(2025, 3, 28, 21, 30, 0, 0, time.UTC), Date{2025, 3, 29}},
		{"night before autumn switch", time.Date(2025, 10, 25, 21, 30, 0, 0, time.UTC), Date{2025, 10, 26}},
		{"evening after autumn switch", time.Date(2025, 10, 26, 21, 30, 0, 0, time.UTC), Date{2025, 10, 26}},
		{"new year in the site zone", time.Date(2024, 12, 31, 22, 0, 0, 0, time.UTC), Date{2025, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := z.DateOf(tc.at); got != tc.want {
				t.Errorf("DateOf(%v): got %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}

func TestDayBoundsFollowDST(t *testing.T) {
	t.Parallel()
	z := jerusalem(t)
	tests := []struct {
		day   Date
		start time.Time
		hours float64
	}{
		{Date{2024, 6, 20}, time.Date(2024, 6, 19, 21, 0, 0, 0, time.UTC), 24},
		{Date{2025, 3, 28}, time.Date(2025, 3, 27, 22, 0, 0, 0, time.UTC), 23},   // clocks go forward
		{Date{2025, 10, 26}, time.Date(2025, 10, 25, 21, 0, 0, 0, time.UTC), 25}, // clocks go back
	}
	for _, tc := range tests {
		t.Run(DayPeriod(tc.day).Path(), func(t *testing.T) {
			start, end := DayPeriod(tc.day).Bounds(z)
			if !start.Equal(tc.start) || end.Sub(start).Hours() != tc.hours {
				t.Errorf("got %v + %vh, want %v + %vh", start, end.Sub(start).Hours(), tc.start, tc.hours)
			}
			if start.Location() != time.UTC {
				t.Error("not in UTC")
			}
		})
	}
	start, end := YearPeriod(2025).Bounds(z)
	if want := time.Date(2024, 12, 31, 22, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("year start: got %v, want %v", start, want)
	}
	if want := time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Errorf("year end: got %v, want %v", end, want)
	}
	start, end = MonthPeriod(2024, time.December).Bounds(z)
	if want := time.Date(2024, 11, 30, 22, 0, 0, 0, time.UTC); !start.Equal(want) || !end.Equal(time.Date(2024, 12, 31, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("December bounds: got %v..%v", start, end)
	}
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		y, m, d string
		want    Period
		err     bool
	}{
		{"year", "2024", "", "", YearPeriod(2024), false},
		{"month", "2024", "06", "", MonthPeriod(2024, 6), false},
		{"day", "2024", "06", "20", DayPeriod(Date{2024, 6, 20}), false},
		{"leap day", "2024", "02", "29", DayPeriod(Date{2024, 2, 29}), false},
		{"29 February of a common year", "2023", "02", "29", Period{}, true},
		{"30 February", "2024", "02", "30", Period{}, true},
		{"31 April", "2024", "04", "31", Period{}, true},
		{"month 13", "2024", "13", "", Period{}, true},
		{"month 00", "2024", "00", "", Period{}, true},
		{"one-digit month", "2024", "6", "", Period{}, true},
		{"one-digit day", "2024", "06", "1", Period{}, true},
		{"day 00", "2024", "06", "00", Period{}, true},
		{"two-digit year", "24", "", "", Period{}, true},
		{"year 0000", "0000", "", "", Period{}, true},
		{"five-digit year", "20245", "", "", Period{}, true},
		{"signed year", "+024", "", "", Period{}, true},
		{"full-width digits", "２０２４", "", "", Period{}, true},
		{"negative month", "2024", "-1", "", Period{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePeriod(tc.y, tc.m, tc.d)
			if tc.err {
				if !errors.Is(err, ErrBadDate) {
					t.Errorf("ParsePeriod(%q, %q, %q): got %v, %v; want ErrBadDate", tc.y, tc.m, tc.d, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParsePeriod(%q, %q, %q): got %v, %v; want %v", tc.y, tc.m, tc.d, got, err, tc.want)
			}
		})
	}
}

func TestPeriodPartsPathsAndNames(t *testing.T) {
	t.Parallel()
	if n := len(MonthPeriod(2024, 2).Parts()); n != 29 {
		t.Errorf("February 2024 has %d days, want 29", n)
	}
	if n := len(MonthPeriod(2025, 2).Parts()); n != 28 {
		t.Errorf("February 2025 has %d days, want 28", n)
	}
	if n := len(YearPeriod(2025).Parts()); n != 12 {
		t.Errorf("a year has %d months, want 12", n)
	}
	if DayPeriod(Date{2024, 6, 20}).Parts() != nil {
		t.Error("a day has parts")
	}
	tests := []struct {
		p          Period
		path, name string
	}{
		{YearPeriod(2024), "/2024", "2024"},
		{MonthPeriod(2024, 6), "/2024/06", "June 2024"},
		{DayPeriod(Date{2024, 6, 5}), "/2024/06/05", "5 June 2024"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.p.Path() != tc.path || tc.p.String() != tc.name {
				t.Errorf("got %q %q, want %q %q", tc.p.Path(), tc.p.String(), tc.path, tc.name)
			}
		})
	}
	if got := (Date{2024, 6, 5}).Truncate(Month); got != MonthPeriod(2024, 6) {
		t.Errorf("Truncate(Month): got %v", got)
	}
}

func TestLoadZone(t *testing.T) {
	t.Parallel()
	if _, err := LoadZone("Not/AZone", "x"); err == nil {
		t.Error("LoadZone accepted an unknown zone")
	}
	z, err := LoadZone("Europe/Paris", "")
	if err != nil || z.Label != "Europe/Paris" {
		t.Errorf("LoadZone without label: got %+v, %v", z, err)
	}
}

// TestDayBoundsWhereClocksChangeAtMidnight covers zones whose clocks jump
// at midnight, where local midnight does not exist or happens twice. Every
// instant must fall inside the bounds of the day DateOf gives it.
func TestDayBoundsWhereClocksChangeAtMidnight(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"America/Sao_Paulo", "America/Santiago", "America/Havana", "America/Asuncion", "Asia/Gaza", "Asia/Jerusalem", "Europe/London"} {
		t.Run(name, func(t *testing.T) {
			z, err := LoadZone(name, name)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
			wrong := 0
			for at := from; at.Before(to); at = at.Add(time.Hour) {
				start, end := DayPeriod(z.DateOf(at)).Bounds(z)
				if at.Before(start) || !at.Before(end) {
					if wrong++; wrong <= 3 {
						t.Errorf("%v (local %v) is outside its day %v..%v", at, at.In(z.Location), start, end)
					}
				}
			}
			// The day a jump at midnight skips the first hour starts at the
			// end of the gap.
			if name == "America/Sao_Paulo" {
				start, end := DayPeriod(Date{2018, 11, 4}).Bounds(z)
				if want := time.Date(2018, 11, 4, 3, 0, 0, 0, time.UTC); !start.Equal(want) || end.Sub(start) != 23*time.Hour {
					t.Errorf("4 Nov 2018 in Sao Paulo: got %v + %v, want %v + 23h", start, end.Sub(start), want)
				}
			}
		})
	}
}
