// Package calendar owns the site's clock face: its time zone and label, the
// site-local dates that articles are filed under, and the one dateline format
// readers see. It converts between site-local dates and UTC instants so that
// storage stays in UTC and every grouping by day follows the site's zone,
// daylight-saving changes included. It must not import HTTP, SQL or HTML code.
package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the site's zone must load on machines without zoneinfo
)

// ErrBadDate reports a year, month or day that is malformed or does not exist.
var ErrBadDate = errors.New("calendar: no such date")

// Zone is the site's time zone and the label shown after every time.
type Zone struct {
	Location *time.Location
	Label    string
}

// LoadZone loads the IANA zone name and pairs it with its label.
func LoadZone(name, label string) (Zone, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Zone{}, fmt.Errorf("calendar: zone %q: %w", name, err)
	}
	if label == "" {
		label = name
	}
	return Zone{Location: loc, Label: label}, nil
}

// Dateline formats an instant as readers see it, in the site's zone:
// "Thu 20 Jun 2024 4:53 pm - Jerusalem Time".
func (z Zone) Dateline(t time.Time) string {
	local := t.In(z.Location)
	return local.Format("Mon 2 Jan 2006 3:04 ") + ampm(local) + " - " + z.Label
}

// ShortDate formats the site-local date of an instant: "20 Jun 2024".
func (z Zone) ShortDate(t time.Time) string {
	return t.In(z.Location).Format("2 Jan 2006")
}

// Time formats the site-local date and time of an instant without the label:
// "20 Jun 2024, 4:53 pm". It is for places where the label would repeat.
func (z Zone) Time(t time.Time) string {
	local := t.In(z.Location)
	return local.Format("2 Jan 2006, 3:04 ") + ampm(local)
}

func ampm(t time.Time) string {
	if t.Hour() < 12 {
		return "am"
	}
	return "pm"
}

// DateOf returns the site-local calendar day an instant falls on.
func (z Zone) DateOf(t time.Time) Date {
	y, m, d := t.In(z.Location).Date()
	return Date{Year: y, Month: m, Day: d}
}

// Date is a site-local calendar day. A Period built from it may leave Month
// or Day zero to mean a whole month or year.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Granularity says whether a Period is a year, a month or a day.
type Granularity int

// The granularities of the date index.
const (
	Year Granularity = iota
	Month
	Day
)

// Period is a year, a month or a day of the site's calendar.
type Period struct {
	Date
	Of Granularity
}

// YearPeriod, MonthPeriod and DayPeriod build the three kinds of period.
func YearPeriod(y int) Period { return Period{Date{y, 0, 0}, Year} }

// MonthPeriod is the period of one month.
func MonthPeriod(y int, m time.Month) Period { return Period{Date{y, m, 0}, Month} }

// DayPeriod is the period of one day.
func DayPeriod(d Date) Period { return Period{d, Day} }

// Truncate returns the period of granularity g that holds d.
func (d Date) Truncate(g Granularity) Period {
	switch g {
	case Year:
		return YearPeriod(d.Year)
	case Month:
		return MonthPeriod(d.Year, d.Month)
	default:
		return DayPeriod(d)
	}
}

// Bounds returns the UTC instants where the period starts (inclusive) and
// ends (exclusive) in zone z. Days are not always 24 hours long: the bounds
// come from the zone's own midnights.
func (p Period) Bounds(z Zone) (start, end time.Time) {
	switch p.Of {
	case Year:
		return z.dayStart(p.Year, time.January, 1), z.dayStart(p.Year+1, time.January, 1)
	case Month:
		return z.dayStart(p.Year, p.Month, 1), z.dayStart(p.Year, p.Month+1, 1)
	default:
		return z.dayStart(p.Year, p.Month, p.Day), z.dayStart(p.Year, p.Month, p.Day+1)
	}
}

// dayStart is the first instant, in UTC, whose site-local date is the given
// day (out-of-range days and months normalise as in time.Date). It is
// usually local midnight; where the clocks jump at midnight it is the end of
// the gap, and where midnight happens twice it is the first one. Each of
// those is an instant DateOf agrees with, so the archive and article URLs
// never disagree.
func (z Zone) dayStart(year int, month time.Month, day int) time.Time {
	t := time.Date(year, month, day, 0, 0, 0, 0, z.Location)
	want := time.Date(year, month, day, 0, 0, 0, 0, time.UTC) // the normalised date, compared as a UTC midnight
	before := func(u time.Time) bool {
		y, m, d := u.In(z.Location).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Before(want)
	}
	if !before(t) && before(t.Add(-time.Second)) {
		return t.UTC() // the common case: local midnight exists once
	}
	// Search the seconds around it for the first one on the day. Clocks
	// never move by more than a few hours, so the day starts within 6 hours.
	lo, hi := t.Add(-6*time.Hour).Unix(), t.Add(6*time.Hour).Unix() // before(lo), !before(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if before(time.Unix(mid, 0)) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return time.Unix(hi, 0).UTC()
}

// Parts splits a year into its months or a month into its days, in order.
// A day has no parts.
func (p Period) Parts() []Period {
	switch p.Of {
	case Year:
		parts := make([]Period, 12)
		for m := range parts {
			parts[m] = MonthPeriod(p.Year, time.Month(m+1))
		}
		return parts
	case Month:
		n := time.Date(p.Year, p.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
		parts := make([]Period, n)
		for d := range parts {
			parts[d] = DayPeriod(Date{p.Year, p.Month, d + 1})
		}
		return parts
	default:
		return nil
	}
}

// String names the period for headings: "2024", "June 2024", "20 June 2024".
func (p Period) String() string {
	switch p.Of {
	case Year:
		return strconv.Itoa(p.Year)
	case Month:
		return fmt.Sprintf("%s %d", p.Month, p.Year)
	default:
		return fmt.Sprintf("%d %s %d", p.Day, p.Month, p.Year)
	}
}

// Path is the period's address in the date index: "/2024", "/2024/06",
// "/2024/06/20".
func (p Period) Path() string {
	switch p.Of {
	case Year:
		return fmt.Sprintf("/%04d", p.Year)
	case Month:
		return fmt.Sprintf("/%04d/%02d", p.Year, p.Month)
	default:
		return fmt.Sprintf("/%04d/%02d/%02d", p.Year, p.Month, p.Day)
	}
}

// ParsePeriod reads the path segments of the date index strictly: a year of
// four digits, then optionally a month and a day of two digits each. A date
// that does not exist, such as 2024/02/30 or 2024/13, is ErrBadDate.
func ParsePeriod(year, month, day string) (Period, error) {
	y, ok := digits(year, 4)
	if !ok || y < 1 {
		return Period{}, fmt.Errorf("%w: year %q", ErrBadDate, year)
	}
	if month == "" {
		return YearPeriod(y), nil
	}
	m, ok := digits(month, 2)
	if !ok || m < 1 || m > 12 {
		return Period{}, fmt.Errorf("%w: month %q", ErrBadDate, month)
	}
	if day == "" {
		return MonthPeriod(y, time.Month(m)), nil
	}
	d, ok := digits(day, 2)
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if !ok || d < 1 || d > last {
		return Period{}, fmt.Errorf("%w: day %q", ErrBadDate, day)
	}
	return DayPeriod(Date{y, time.Month(m), d}), nil
}

// digits parses exactly n ASCII digits; signs, spaces and other lengths fail.
func digits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// Key is the period as the date index counts it: "2024", "2024-06" or
// "2024-06-20".
func (p Period) Key() string {
	return strings.ReplaceAll(strings.TrimPrefix(p.Path(), "/"), "/", "-")
}

// PeriodOfKey reads a Key back.
func PeriodOfKey(key string) (Period, error) {
	parts := strings.Split(key, "-")
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	if len(parts) > 3 {
		return Period{}, fmt.Errorf("%w: %q", ErrBadDate, key)
	}
	return ParsePeriod(parts[0], parts[1], parts[2])
}
