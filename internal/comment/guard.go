package comment

import (
	"github.com/dateline/dateline/internal/fields"

	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Bounds of a form's age when it is sent: faster than a person types, or
// older than a day, the submission is refused with a request to send again.
const (
	MinFormAge = 2 * time.Second
	MaxFormAge = 24 * time.Hour
)

// MaxLinks is the most links a comment may hold before it is kept as spam.
const MaxLinks = 3

// Errors of checkStamp.
var (
	ErrTooFast   = errors.New("comment: form sent too fast")
	ErrStaleForm = errors.New("comment: form too old")
	ErrBadStamp  = errors.New("comment: form stamp missing or forged")
)

// linkPattern finds the start of a web link.
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)`)

const stampFieldSep = "."

// StampStep is the resolution of form stamps.
const StampStep = time.Minute

// Stamp is the signed time a comment form was served, as a hidden field:
// "unix seconds.hex HMAC-SHA256", rounded down to StampStep. The signature
// covers the article too, so one wait for the minimum fill time buys a
// stamp for that article only, not for every article on the site. Every reader
// served within the same minute gets the same stamp, so a cached page
// stays the same bytes for its whole life (the page cache keeps an article
// page no longer than its stamp's minute). The minimum fill time is then
// counted from the start of that minute: the earliest the form can have
// been served.
func Stamp(key []byte, articleID int64, served time.Time) string {
	secs := strconv.FormatInt(served.Truncate(StampStep).Unix(), 10)
	return secs + stampFieldSep + sign(key, articleID, secs)
}

// checkStamp verifies a stamp served with the form of the given article
// and that the form was sent between MinFormAge and MaxFormAge after it
// was served.
func checkStamp(key []byte, articleID int64, stamp string, now time.Time) error {
	secs, mac, ok := strings.Cut(stamp, stampFieldSep)
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(key, articleID, secs))) {
		return ErrBadStamp
	}
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return ErrBadStamp
	}
	switch age := now.Sub(time.Unix(n, 0)); {
	case age < MinFormAge:
		return ErrTooFast
	case age > MaxFormAge:
		return ErrStaleForm
	}
	return nil
}

func sign(key []byte, articleID int64, secs string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("comment-form:" + strconv.FormatInt(articleID, 10) + ":" + secs))
	return hex.EncodeToString(m.Sum(nil))
}

// links counts the web links in a text.
func links(text string) int { return len(linkPattern.FindAllStringIndex(text, -1)) }

// Outcome is what Triage decides for a submitted draft.
type Outcome string

// The outcomes. Keep stores the comment with Verdict.Status; the others
// refuse it, and the form comes back with the reader's text.
const (
	Keep     Outcome = "keep"
	TooFast  Outcome = "too_fast"  // sent sooner than a person writes (MinFormAge)
	BadStamp Outcome = "bad_stamp" // the form is stale, forged, or another article's
	Invalid  Outcome = "invalid"   // Verdict.Errors says which fields
)

// Verdict is Triage's answer.
type Verdict struct {
	Outcome Outcome
	Status  Status        // for Keep: Pending, Approved or Spam
	Errors  fields.Errors // for Invalid
	Draft   Draft         // the draft to store: a bot's is cut to the limits
	// Bot says the honeypot was filled: whatever happens to it next (a
	// flood, a duplicate) is answered as if accepted.
	Bot bool
}

// Form is the signed part of a submission, which Triage checks.
type Form struct {
	Key       []byte // the site's stamp key
	ArticleID int64
	Stamp     string // the form's "ts" field
	Now       time.Time
}

// Triage decides the fate of a submitted (normalised) draft: a bot (the
// honeypot filled) is kept as spam, whatever else it sent, and answered as
// if accepted, so it learns nothing; a form sent too fast or with a bad
// stamp, or a draft that breaks a rule, is refused; one with more than
// MaxLinks links is kept as spam, for a moderator to look at; the rest is
// approved at once when the site says so (approveAtOnce), else held.
func Triage(d Draft, f Form, approveAtOnce bool) Verdict {
	if d.isBot() {
		return Verdict{Outcome: Keep, Status: Spam, Draft: d.Truncate(), Bot: true}
	}
	switch err := checkStamp(f.Key, f.ArticleID, f.Stamp, f.Now); {
	case errors.Is(err, ErrTooFast):
		return Verdict{Outcome: TooFast, Draft: d}
	case err != nil:
		return Verdict{Outcome: BadStamp, Draft: d}
	}
	if errs := d.Validate(); errs != nil {
		return Verdict{Outcome: Invalid, Errors: errs, Draft: d}
	}
	switch {
	case links(d.Body) > MaxLinks:
		return Verdict{Outcome: Keep, Status: Spam, Draft: d}
	case approveAtOnce:
		return Verdict{Outcome: Keep, Status: Approved, Draft: d}
	}
	return Verdict{Outcome: Keep, Status: Pending, Draft: d}
}
