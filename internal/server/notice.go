package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// A newsroom page shows the notice of the action that sent the editor
// there ("Saved: published."), carried in the address (?done=) so that a
// reload keeps it. The address is signed (&ds=) and only a notice the
// server made is shown: anyone could otherwise send an editor a link to
// a newsroom page saying whatever they liked.

// doneURL is path (which may hold a query) with notice as its signed
// notice.
func (h *handler) doneURL(path, notice string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "done=" + url.QueryEscape(notice) + "&ds=" + h.noticeSignature(notice)
}

// notice is the request's notice if the server signed it, else "".
func (h *handler) notice(c echo.Context) string {
	done := c.QueryParam("done")
	if done == "" || !hmac.Equal([]byte(c.QueryParam("ds")), []byte(h.noticeSignature(done))) {
		return ""
	}
	return done
}

func (h *handler) noticeSignature(notice string) string {
	m := hmac.New(sha256.New, h.noticeKey)
	m.Write([]byte(notice))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
