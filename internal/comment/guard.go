package comment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/netip"
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

// CheckStamp verifies a stamp served with the form of the given article
// and that the form was sent between MinFormAge and MaxFormAge after it
// was served.
func CheckStamp(key []byte, articleID int64, stamp string, now time.Time) error {
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

// Network is the client a reader's address counts as for the flood and
// duplicate rules: an IPv4 address itself, and for IPv6 the /64 it is in
// (a subscriber's line or a host gets a whole /64, and choosing a new
// address in it costs nothing). Text that is not an address counts as
// itself.
func Network(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Unmap().Is4() {
		return ip
	}
	return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String()
}

// Links counts the web links in a text.
func Links(text string) int { return len(linkPattern.FindAllStringIndex(text, -1)) }
