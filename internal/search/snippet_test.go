package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// marked writes a snippet with [ and ] for the match markers, so that
// expectations read easily.
func marked(s string) string {
	return strings.NewReplacer(MatchStart, "[", MatchEnd, "]").Replace(s)
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("filler words go here ", 20) + "the Harbour opens today " + strings.Repeat("more text to follow ", 20)
	tests := []struct {
		name, text, query string
		words             int
		want              string
	}{
		{"plain word", "The harbour was quiet.", "harbour", 10, "The [harbour] was quiet."},
		{"case kept", "HARBOUR news: Harbour, harbour!", "harbour", 10, "[HARBOUR] news: [Harbour], [harbour]!"},
		{"accents typed without", "A new café opens in Zürich street.", "cafe zurich", 10, "A new [café] opens in [Zürich] street."},
		{"accents typed with", "A new cafe opens in Zurich.", "Café ZÜRICH", 10, "A new [cafe] opens in [Zurich]."},
		{"ligature", "A ﬁne day.", "fine", 10, "A [ﬁne] day."},
		{"arabic with harakat in the text", "تَفَتَّحَتْ الأَزْهَارُ في السهل الساحلي.", "الازهار", 10, "تَفَتَّحَتْ [الأَزْهَارُ] في السهل الساحلي."},
		{"arabic with harakat in the query", "تفتحت الأزهار في السهل.", "الأَزْهَار", 10, "تفتحت [الأزهار] في السهل."},
		{"arabic tatweel and prefix", "في الســاحل والسهل", "السا", 10, "في [الســاحل] والسهل"},
		{"hebrew points", "שָׁלוֹם עולם", "שלום", 10, "[שָׁלוֹם] עולם"},
		{"last word is a prefix", "The harbourmaster spoke.", "harbourm", 10, "The [harbourmaster] spoke."},
		{"earlier words are not prefixes", "The harbour was quiet.", "harb quiet", 10, "The harbour was [quiet]."},
		{"whole words only", "Unharboured ships.", "harbour", 10, "Unharboured ships."},
		{"no match: start of the text", "One two three four five.", "zebra", 3, "One two three…"},
		{"empty query", "One two three four five.", "", 3, "One two three…"},
		{"window around the match", long, "harbour", 6, "…here the [Harbour] opens today more…"},
		{"most different words win", "harbour harbour harbour x x x x x x x x x x market harbour x x", "harbour market", 3, "…[market] [harbour] x…"},
		{"leading punctuation kept at the start", "«Harbour» reopens", "harbour", 5, "«[Harbour]» reopens"},
		{"empty text", "", "harbour", 10, ""},
		{"no words", "--- ... !!!", "harbour", 10, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := marked(Snippet(tc.text, tc.query, tc.words)); got != tc.want {
				t.Errorf("Snippet(%q, %q, %d): got %q, want %q", tc.text, tc.query, tc.words, got, tc.want)
			}
		})
	}
}

func TestSnippetHostileInput(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, query string }{
		{"markers in the text", "a \x02harbour\x03 b \x03 c \x02", "harbour"},
		{"invalid utf-8", "bad \xff\xfe harbour \xc3", "harbour \xff"},
		{"fts5 syntax", `NEAR(harbour) "quoted" title: harbour*`, `"harbour" OR * NEAR( title:`},
		{"huge word", strings.Repeat("harbour", 10000), "harbour"},
		{"huge gap", "harbour " + strings.Repeat("-", 100000) + " harbour", "harbour"},
		{"many terms", "a b c d e f g h i j k l m n o p", "a b c d e f g h i j k l m n o p"},
		{"markup as text", "<script>alert('harbour')</script>", "harbour"},
		{"zero words", "harbour market", "harbour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			words := 24
			if tc.name == "zero words" {
				words = 0
			}
			got := Snippet(tc.text, tc.query, words)
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8: %q", got)
			}
			if len(got) > 24*(2*maxPieceBytes+8) {
				t.Errorf("got %d bytes, want a bounded snippet", len(got))
			}
			if strings.Count(got, MatchStart) != strings.Count(got, MatchEnd) {
				t.Errorf("unbalanced markers: %q", marked(got))
			}
			for _, f := range Fragments(got) {
				if strings.ContainsAny(f.Text, MatchStart+MatchEnd) {
					t.Errorf("marker inside a fragment: %q", marked(got))
				}
			}
		})
	}
	if got := marked(Snippet("<script>alert('harbour')</script>", "harbour", 24)); got != "<script>alert('[harbour]')</script>" {
		t.Errorf("markup: got %q, want the text as it is (the template escapes it)", got)
	}
	if got := marked(Snippet("a \x02harbour\x03 b", "b", 24)); got != "a  harbour  [b]" {
		t.Errorf("markers in the text: got %q, want them as spaces", got)
	}
}

func BenchmarkSnippet(b *testing.B) {
	latin := strings.Repeat("The council met on Tuesday to discuss the Harbour budget, and the café owners of Zürich listened. ", 40)
	arabic := strings.Repeat("اجتمع المجلس يوم الثلاثاء لمناقشة ميزانية الميناء، واستمع أصحاب المقاهي في المدينة. ", 40)
	for name, tc := range map[string]struct{ text, query string }{
		"latin":  {latin, "cafe budget"},
		"arabic": {arabic, "ميزانية المقاهي"},
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Snippet(tc.text, tc.query, 24)
			}
		})
	}
}

// plainWord reports that every character of w is plain.
func plainWord(w string) bool {
	for _, r := range w {
		if classOf(r)&plainChar == 0 {
			return false
		}
	}
	return true
}

// TestNormalizedAgreesWithNormalize checks the shortcut that snippets take
// for words that need no normalising against Normalize itself.
func TestNormalizedAgreesWithNormalize(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"harbour", "Harbour", "café", "cafe\u0301", "Zürich", "ﬁne", "½", "الأزهار", "الازهار", "أَزْهَار",
		"الســاحل", "ٱلله", "مكتبة", "שָׁלוֹם", "שלום", "가", "\u1100\u1161", "Ωmega", "ＡＢＣ", "x²", "ǅ", "naïve", "ﷺ", "日本語", "ß"} {
		if plainWord(w) && Normalize(w) != w {
			t.Errorf("%q is taken as plain, but Normalize gives %q", w, Normalize(w))
		}
	}
	for _, w := range []string{"harbour", "Harbour", "مكتبة", "الازهار", "日本語", "Ωmega", "ß"} {
		if !plainWord(w) {
			t.Errorf("%q is not taken as plain, want the shortcut for it", w)
		}
	}
}
