package comment

import (
	"testing"
	"unicode/utf8"
)

// FuzzValidate checks that whatever a reader sends, Validate answers
// without failing, and what it accepts keeps to the limits.
func FuzzValidate(f *testing.F) {
	f.Add("Dana", "dana@example.com", "Nice.")
	f.Add("", "x@", "")
	f.Add("<b>x</b>", "a b@example.com", "\x00\r\n")
	f.Fuzz(func(t *testing.T, name, email, body string) {
		d := Draft{Name: name, Email: email, Body: body}.Normalize()
		if d.Validate() != nil {
			return
		}
		if utf8.RuneCountInString(d.Name) > MaxName || utf8.RuneCountInString(d.Body) > MaxBody || d.Name == "" || d.Body == "" ||
			!utf8.ValidString(d.Name) || !utf8.ValidString(d.Body) {
			t.Fatalf("accepted %+v", d)
		}
	})
}
