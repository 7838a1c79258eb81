package comment

import (
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

// Errors of CheckStamp.
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
// "unix seconds.hex HMAC-SHA256", rounded down to StampStep. Every reader
// served within the same minute gets the same stamp, so a cached page
// stays the same bytes for its whole life (the page cache keeps an article
// page no longer than its stamp's minute). The minimum fill time is then
// counted from the start of that minute: the earliest the form can have
// been served.
func Stamp(key []byte, served time.Time) string {
	secs := strconv.FormatInt(served.Truncate(StampStep).Unix(), 10)
	return secs + stampFieldSep + sign(key, secs)
}

// CheckStamp verifies a stamp and that the form was sent between
// MinFormAge and MaxFormAge after it was served.
func CheckStamp(key []byte, stamp string, now time.Time) error {
	secs, mac, ok := strings.Cut(stamp, stampFieldSep)
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(key, secs))) {
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

func sign(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("comment-form:" + msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Links counts the web links in a text.
func Links(text string) int { return len(linkPattern.FindAllStringIndex(text, -1)) }
