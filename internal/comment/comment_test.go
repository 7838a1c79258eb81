package comment

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		draft  Draft
		fields []string // fields with an error, sorted
	}{
		{"good", Draft{Name: "Dana", Email: "dana@example.com", Body: "Nice."}, nil},
		{"good without email", Draft{Name: "Dana", Body: "Nice."}, nil},
		{"name of 80 characters", Draft{Name: strings.Repeat("ü", 80), Body: "x"}, nil},
		{"body of 5000 characters", Draft{Name: "A", Body: strings.Repeat("ع", 5000)}, nil},
		{"name of 81 characters", Draft{Name: strings.Repeat("a", 81), Body: "x"}, []string{"name"}},
		{"body of 5001 characters", Draft{Name: "A", Body: strings.Repeat("b", 5001)}, []string{"body"}},
		{"blank name and body", Draft{Name: "   ", Body: "\n\t"}, []string{"body", "name"}},
		{"email without domain dot", Draft{Name: "A", Email: "a@b", Body: "x"}, []string{"email"}},
		{"email with display name", Draft{Name: "A", Email: "Ann <a@example.com>", Body: "x"}, []string{"email"}},
		{"email with spaces", Draft{Name: "A", Email: "a b@example.com", Body: "x"}, []string{"email"}},
		{"email without at", Draft{Name: "A", Email: "example.com", Body: "x"}, []string{"email"}},
		{"control character in name", Draft{Name: "A\x00B", Body: "x"}, []string{"name"}},
		{"newline in name", Draft{Name: "A\nB", Body: "x"}, []string{"name"}},
		{"invalid utf-8 body", Draft{Name: "A", Body: "\xff\xfe"}, []string{"body"}},
		{"markup is just text", Draft{Name: "<b>A</b>", Body: "<script>alert(1)</script>"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.draft.Normalize().Validate()
			var got []string
			for f, msg := range errs {
				if msg == "" {
					t.Errorf("field %s has an empty message", f)
				}
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields with errors: got %v, want %v (%v)", got, tc.fields, errs)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	d := Draft{Name: "  Dana  ", Email: " d@example.com ", Body: "\r\n one\r\ntwo\rthree \n\n"}.Normalize()
	if d.Name != "Dana" || d.Email != "d@example.com" || d.Body != "one\ntwo\nthree" {
		t.Errorf("got %+v", d)
	}
}

func TestParagraphsAndHoneypot(t *testing.T) {
	t.Parallel()
	c := Comment{Body: "first line\nsecond line\n\n\n\nnew paragraph\n\n  \n"}
	if got := c.Paragraphs(); !slices.Equal(got, []string{"first line\nsecond line", "new paragraph"}) {
		t.Errorf("Paragraphs: got %q", got)
	}
	if (Draft{Website: " "}).isBot() || !(Draft{Website: "x"}).isBot() {
		t.Error("IsBot is wrong")
	}
	for _, s := range []string{"pending", "approved", "rejected", "spam"} {
		if _, ok := ParseStatus(s); !ok {
			t.Errorf("ParseStatus(%q) failed", s)
		}
	}
	if _, ok := ParseStatus("deleted"); ok {
		t.Error("ParseStatus accepted an unknown status")
	}
}

func TestStamp(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	served := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	st := Stamp(key, 7, served)
	if Stamp(key, 7, served.Add(59*time.Second)) != st {
		t.Error("the same minute gives another stamp")
	}
	if Stamp(key, 7, served.Add(time.Minute)) == st {
		t.Error("the next minute gives the same stamp")
	}
	tests := []struct {
		name  string
		stamp string
		at    time.Time
		want  error
	}{
		{"sent after a few seconds", st, served.Add(5 * time.Second), nil},
		{"sent too fast", st, served.Add(time.Second), ErrTooFast},
		{"form too old", st, served.Add(25 * time.Hour), ErrStaleForm},
		{"form nearly a day old", st, served.Add(23 * time.Hour), nil},
		{"no stamp", "", served.Add(5 * time.Second), ErrBadStamp},
		{"forged signature", "1767268800.deadbeef", served.Add(5 * time.Second), ErrBadStamp},
		{"another key", Stamp([]byte("another key"), 7, served), served.Add(5 * time.Second), ErrBadStamp},
		{"time changed", strings.Replace(st, "1767268800", "1767268700", 1), served.Add(5 * time.Second), ErrBadStamp},
		{"another article's form", Stamp(key, 8, served), served.Add(5 * time.Second), ErrBadStamp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkStamp(key, 7, tc.stamp, tc.at); !errors.Is(err, tc.want) {
				t.Errorf("checkStamp(%.20q, +%v): got %v, want %v", tc.stamp, tc.at.Sub(served), err, tc.want)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]int{
		"no links here": 0, "see https://a.example and http://b.example": 2, "WWW.shop.example, www.x.example, HTTPS://y.example/z https://q": 4,
	} {
		if got := links(text); got != want {
			t.Errorf("links(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestNormalizeDropsSpoofing checks that names and texts lose the
// invisible characters that reorder or hide text, and keep the joiners
// and direction marks that Arabic, Persian and Hebrew need.
func TestNormalizeDropsSpoofing(t *testing.T) {
	t.Parallel()
	d := Draft{Name: "\u202Enimda\u202C", Body: "pay\u200Bpal \u2066x\u2069 \uFEFFend"}.Normalize()
	if d.Name != "nimda" || d.Body != "paypal x end" {
		t.Errorf("got name %q, body %q; want the overrides and zero-width characters gone", d.Name, d.Body)
	}
	kept := "می\u200Cخواهم \u200Fשלום\u200E ok \u200D"
	if got := (Draft{Name: "N", Body: kept}).Normalize().Body; got != kept {
		t.Errorf("got %q, want %q with its joiners and marks", got, kept)
	}
}

// TestDuplicateKey checks that the duplicate rule sees through case,
// spacing, no-break spaces and hidden format characters.
func TestDuplicateKey(t *testing.T) {
	t.Parallel()
	want := DuplicateKey("Great market, see you there")
	for _, again := range []string{"GREAT MARKET, see you there", "Great\u00A0market,  see you\nthere", "Great mar\u200Dket, see\u2060 you there", "Ｇreat market, see you there"} {
		if got := DuplicateKey(again); got != want {
			t.Errorf("DuplicateKey(%q) = %q, want %q", again, got, want)
		}
	}
	if DuplicateKey("Great market, see you later") == want {
		t.Error("another text has the same key")
	}
}

func TestTriage(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	served := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	form := Form{Key: key, ArticleID: 3, Stamp: Stamp(key, 3, served), Now: served.Add(10 * time.Second)}
	good := Draft{Name: "Dana", Body: "A fair point about the harbour."}
	links := Draft{Name: "Dana", Body: "See https://a.example https://b.example https://c.example https://d.example"}
	bot := Draft{Name: "Bot", Body: strings.Repeat("x", MaxBody+100), Website: "https://spam.example"}
	tooFast, otherArticle := form, form
	tooFast.Now = served.Add(time.Second)
	otherArticle.ArticleID = 4
	for _, tc := range []struct {
		name    string
		draft   Draft
		form    Form
		approve bool
		outcome Outcome
		status  Status
	}{
		{"held", good, form, false, Keep, Pending},
		{"approved at once by policy", good, form, true, Keep, Approved},
		{"too many links", links, form, true, Keep, Spam},
		{"a bot, whatever its form", bot, Form{}, true, Keep, Spam},
		{"too fast", good, tooFast, false, TooFast, ""},
		{"another article's form", good, otherArticle, false, BadStamp, ""},
		{"no name", Draft{Body: "Words."}, form, false, Invalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Triage(tc.draft, tc.form, tc.approve)
			if v.Outcome != tc.outcome || v.Status != tc.status {
				t.Errorf("got %s %q, want %s %q", v.Outcome, v.Status, tc.outcome, tc.status)
			}
			if tc.outcome == Invalid && v.Errors["name"] == "" {
				t.Errorf("no error beside the name: %v", v.Errors)
			}
			if tc.name == "a bot, whatever its form" && len([]rune(v.Draft.Body)) > MaxBody {
				t.Errorf("a bot's text is kept whole: %d characters", len(v.Draft.Body))
			}
		})
	}
}
