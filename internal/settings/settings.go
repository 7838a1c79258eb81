// Package settings owns the site settings an admin changes in the newsroom:
// the site's name and tagline, its time zone and label, the comment policy
// and the page size. Flags give the defaults; saved settings win. It must
// not import HTTP, SQL or template code.
package settings

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/calendar"
	"github.com/dateline/dateline/internal/fields"
)

// CommentPolicy says what happens to a reader's opinion.
type CommentPolicy string

// The comment policies.
const (
	HoldComments    CommentPolicy = "hold"    // every comment waits for a moderator (the default)
	ApproveComments CommentPolicy = "approve" // comments appear at once
	CloseComments   CommentPolicy = "closed"  // no comments anywhere
)

// Settings are the site settings.
type Settings struct {
	Name      string
	Tagline   string
	ZoneName  string // IANA name
	ZoneLabel string
	Comments  CommentPolicy
	// CloseAfterDays closes an article's comments this many days after it
	// was published; 0 keeps them open.
	CloseAfterDays int
	PageSize       int // stories per page of listings
}

// Bounds of the numeric settings.
const (
	MinPageSize = 5
	MaxPageSize = 100
	MaxDays     = 3650
)

// Zone loads the settings' time zone.
func (s Settings) Zone() (calendar.Zone, error) {
	return calendar.LoadZone(s.ZoneName, s.ZoneLabel)
}

// CommentsOpen reports whether an article published at published takes
// comments at now, by the site-wide policy and the closing age.
func (s Settings) CommentsOpen(published, now time.Time) bool {
	if s.Comments == CloseComments {
		return false
	}
	return s.CloseAfterDays == 0 || now.Before(published.AddDate(0, 0, s.CloseAfterDays))
}

// CommentsCloseAt is the instant the closing age closes comments on an
// article published at published; zero when no age applies.
func (s Settings) CommentsCloseAt(published time.Time) time.Time {
	if s.Comments == CloseComments || s.CloseAfterDays == 0 {
		return time.Time{}
	}
	return published.AddDate(0, 0, s.CloseAfterDays)
}

// Form is the settings form as typed.
type Form struct {
	Name, Tagline, ZoneName, ZoneLabel, Comments, CloseAfterDays, PageSize string
}

// FormOf fills the form from settings.
func FormOf(s Settings) Form {
	return Form{Name: s.Name, Tagline: s.Tagline, ZoneName: s.ZoneName, ZoneLabel: s.ZoneLabel,
		Comments: string(s.Comments), CloseAfterDays: strconv.Itoa(s.CloseAfterDays), PageSize: strconv.Itoa(s.PageSize)}
}

// Settings checks the form and returns the settings it describes, or what
// is wrong with each field.
func (f Form) Settings() (Settings, fields.Errors) {
	errs := fields.Errors{}
	s := Settings{
		Name: strings.TrimSpace(f.Name), Tagline: strings.TrimSpace(f.Tagline),
		ZoneName: strings.TrimSpace(f.ZoneName), ZoneLabel: strings.TrimSpace(f.ZoneLabel),
		Comments: CommentPolicy(strings.TrimSpace(f.Comments)),
	}
	text := func(field, v string, required bool, limit int) {
		switch {
		case required && v == "":
			errs[field] = "Please fill this in."
		case !utf8.ValidString(v) || utf8.RuneCountInString(v) > limit:
			errs[field] = "Please keep this to " + strconv.Itoa(limit) + " characters or fewer."
		}
	}
	text("name", s.Name, true, 80)
	text("tagline", s.Tagline, false, 160)
	text("zone_label", s.ZoneLabel, true, 40)
	if s.ZoneName == "" {
		errs["zone"] = "Please give a time zone such as Asia/Jerusalem or Europe/London."
	} else if _, err := time.LoadLocation(s.ZoneName); err != nil || strings.EqualFold(s.ZoneName, "local") {
		errs["zone"] = "This is not a time zone we know; use a name such as Asia/Jerusalem or Europe/London."
	}
	switch s.Comments {
	case HoldComments, ApproveComments, CloseComments:
	default:
		errs["comments"] = "Choose one of the comment policies."
	}
	number := func(field, v string, lo, hi int) int {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < lo || n > hi {
			errs[field] = "Use a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi) + "."
		}
		return n
	}
	s.CloseAfterDays = number("close_after_days", f.CloseAfterDays, 0, MaxDays)
	s.PageSize = number("page_size", f.PageSize, MinPageSize, MaxPageSize)
	if len(errs) > 0 {
		return s, errs
	}
	return s, nil
}
