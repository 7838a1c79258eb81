package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/account"
)

// TestNoticesOnlyFromTheServer checks that a newsroom page shows the
// notice of the action that sent the editor there, and no text that a
// link made elsewhere puts in the address.
func TestNoticesOnlyFromTheServer(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("boss", account.Admin, goodPassword)
	b := s.browser("198.51.100.80")
	b.login("boss", goodPassword)

	rec := b.postForm("/admin/settings", "/admin/settings", settingsForm("hold", "0", "20"))
	assertStatus(t, rec, http.StatusSeeOther)
	after := rec.Header().Get("Location")
	assertContains(t, body(t, b.get(after)), "Settings saved.")

	forged := "Your session expired: sign in again at https://evil.example/login"
	for _, target := range []string{
		"/admin/settings?done=" + url.QueryEscape(forged),
		"/admin/articles?done=" + url.QueryEscape(forged) + "&ds=AAAAAAAAAAAAAAAAAAAAAA",
		// A real signature on another text does not carry over.
		strings.Replace(after, "done=Settings+saved.", "done="+url.QueryEscape(forged), 1),
	} {
		rec := b.get(target)
		assertStatus(t, rec, http.StatusOK)
		if page := body(t, rec); strings.Contains(page, "evil.example") {
			t.Errorf("%s shows the forged notice", target)
		}
	}
}
