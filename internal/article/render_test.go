package article

import (
	"errors"
	"flag"
	stdhtml "html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/microcosm-cc/bluemonday"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	inputs, err := filepath.Glob("testdata/*.md")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Render(string(src))
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".md") + ".golden.html"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("Render(%s) differs from %s:\ngot:\n%s\nwant:\n%s", in, golden, got, want)
			}
		})
	}
}

func TestRenderRemovesDangerousMarkup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		banned    []string
	}{
		{"script tag", "<script>alert(1)</script>", []string{"<script"}},
		{"mixed case script", "<ScRiPt>alert(1)</sCrIpT>", []string{"<script", "<ScRiPt"}},
		{"event handler", `<img src="x" onerror="alert(1)">`, []string{"onerror"}},
		{"javascript link", "[x](javascript:alert(1))", []string{"javascript:"}},
		{"entity-encoded javascript link", "[x](javascript&colon;alert(1))", []string{"javascript"}},
		{"raw javascript href", `<a href="JaVaScRiPt:alert(1)">x</a>`, []string{"alert(1)\""}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"<iframe"}},
		{"object and embed", `<object data="x"></object><embed src="y">`, []string{"<object", "<embed"}},
		{"style element", "<style>body{display:none}</style>", []string{"<style"}},
		{"style attribute", `<p style="position:fixed">x</p>`, []string{"style="}},
		{"svg", `<svg onload="alert(1)"><circle/></svg>`, []string{"<svg", "onload"}},
		{"data url image", `![x](data:text/html;base64,PHNjcmlwdD4=)`, []string{"data:text/html"}},
		{"form", `<form action="https://evil.example"><input></form>`, []string{"<form", "<input"}},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example">`, []string{"<meta"}},
		{"base", `<base href="https://evil.example/">`, []string{"<base"}},
		{"broken nesting", `<div><p <script>alert(1)</script>`, []string{"<script"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			lower := strings.ToLower(string(got))
			for _, b := range tc.banned {
				if strings.Contains(lower, strings.ToLower(b)) {
					t.Errorf("Render(%q) = %q; contains %q", tc.src, got, b)
				}
			}
		})
	}
}

// TestRenderKeepsImageText: an image's alt text and title are prose and
// keep quotes, colons, question marks and "<", escaped, never as markup.
func TestRenderKeepsImageText(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		`![The mayor said "no" \<b\>](/media/x.png "Vote: yes?")`:                        `<img src="/media/x.png" alt="The mayor said “no” &lt;b&gt;" title="Vote: yes?">`,
		`![a < b & c > d](/media/y.png)`:                                                 `<img src="/media/y.png" alt="a &lt; b &amp; c &gt; d">`,
		`![plain](/media/z.png 'It "works"')`:                                            `<img src="/media/z.png" alt="plain" title="It &#34;works&#34;">`,
		`<img src="/media/w.png" alt="x&quot; onerror=&quot;alert(1)" title="<script>">`: `<img src="/media/w.png" alt="x&#34; onerror=&#34;alert(1)" title="&lt;script&gt;">`,
	} {
		got, err := Render(src)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), want) {
			t.Errorf("Render(%q) = %q; want it to hold %q", src, got, want)
		}
	}
}

// quadraticBodies are bodies of MaxBody characters made of the
// constructs whose rendering time grows with the square of their number:
// unrefused, the first took about 20 s of a core.
var quadraticBodies = map[string]string{
	"link openers":   strings.Repeat("[a](", MaxBody/4),
	"image openers":  strings.Repeat("![a](", MaxBody/5),
	"openers, lines": strings.Repeat("[a](\n", MaxBody/5),
	"block quotes":   strings.Repeat("> ", MaxBody/2),
	"lists":          strings.Repeat("1. ", MaxBody/3),
	"quotes, lists":  strings.Repeat(">- ", MaxBody/3),
	"quote marks":    strings.Repeat(`"`, MaxBody),
	"apostrophes":    strings.Repeat("'", MaxBody),
	// 9,000 characters, 2.25 million cells: goldmark pads every row.
	"table cells": strings.Repeat("|a", 1500) + "|\n" + strings.Repeat("|-", 1500) + "|\n" + strings.Repeat("|\n", 1500),
}

// limitBodies are bodies of about MaxBody characters that stay within
// every limit but come as close as they can: BenchmarkRenderAtLimits
// times them.
func limitBodies() map[string]string {
	paragraphs := func(p string) string {
		return strings.Repeat(p+"\n\n", MaxBody/(len(p)+2))
	}
	return map[string]string{
		"link openers":  paragraphs(strings.Repeat("[a](", MaxBrackets)),
		"image openers": paragraphs(strings.Repeat("![a](", MaxBrackets)),
		"quote marks":   paragraphs(strings.Repeat(`"`, MaxQuotes)),
		"apostrophes":   paragraphs(strings.Repeat("'", MaxQuotes)),
		"block quotes":  strings.Repeat(strings.Repeat("> ", MaxNesting)+"a\n", MaxBody/(2*MaxNesting+2)),
		"quotes, lists": strings.Repeat(strings.Repeat(">- ", MaxNesting/2)+"a\n", MaxBody/(3*MaxNesting/2+2)),
		"table cells":   strings.Repeat(strings.Repeat("|a", 100)+"|\n"+strings.Repeat("|-", 100)+"|\n"+strings.Repeat("|\n", 48)+"\n", MaxTableCells/5000),
		"prose":         paragraphs(`The council's "harbour plan" [was approved](https://news.example/a) on Tuesday, and the mayor's office said it would "start at once".`),
	}
}

func TestRenderRefusesQuadraticBodies(t *testing.T) {
	t.Parallel()
	for name, src := range quadraticBodies {
		t.Run(name, func(t *testing.T) {
			_, err := Render(src)
			if _, ok := errors.AsType[*ComplexError](err); !ok {
				t.Errorf("got %v, want a *ComplexError", err)
			}
		})
	}
	for name, src := range limitBodies() {
		t.Run(name+" at the limits", func(t *testing.T) {
			if _, err := Render(src); err != nil {
				t.Error(err)
			}
		})
	}
	// One past each limit is refused, at the line that passes it or at
	// its paragraph's first; a blank line starts the count again.
	for src, line := range map[string]int{
		"Intro.\n\n" + strings.Repeat("> ", MaxNesting+1):                                             3,
		"Intro.\n\n" + strings.Repeat("- ", MaxNesting) + "1) x":                                      3,
		"a\n\nb\n" + strings.Repeat("[", MaxBrackets/2) + "\n" + strings.Repeat("[", MaxBrackets/2+1): 3,
		strings.Repeat(`"`, MaxQuotes/2) + "\n" + strings.Repeat("'", MaxQuotes/2+1):                  1,
		// One more row than the cells allow, in a quote; a table inside
		// fenced code is not one.
		"```\n|a|b|\n|-|-|\n```\n> |a|b|\n> |:-|--:|\n" + strings.Repeat("> |\n", MaxTableCells/2-1): MaxTableCells/2 + 5,
	} {
		_, err := Render(src)
		if complex, ok := errors.AsType[*ComplexError](err); !ok || complex.Line != line {
			t.Errorf("%.40q...: got %v, want a *ComplexError at line %d", src, err, line)
		}
	}
	for _, src := range []string{
		strings.Repeat("> ", MaxNesting) + "x",
		strings.Repeat(strings.Repeat("[", MaxBrackets)+"\n\n", 3),
		strings.Repeat(strings.Repeat("'", MaxQuotes)+"\n\n", 3),
		// Code is not parsed for quotes or links: a long JSON sample is fine.
		"```json\n" + strings.Repeat(`{"a": "b", "c": ["d"]},`+"\n", 500) + "```\nAfter the code.",
		"~~~\n" + strings.Repeat(`"'[`, 2000) + "\n~~~~\n",
		"| a | b |\n| - | - |\n" + strings.Repeat("| 1 | 2 |\n", MaxTableCells/2-2),
	} {
		if _, err := Render(src); err != nil {
			t.Errorf("%.40q...: %v, want it rendered", src, err)
		}
	}
}

// BenchmarkRenderAtLimits renders the costliest bodies the limits allow,
// next to ordinary prose of the same length.
func BenchmarkRenderAtLimits(b *testing.B) {
	for name, src := range limitBodies() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Render(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// strictPlainText is PlainText as bluemonday's strict policy makes it,
// the reference PlainText must match on everything Render returns.
func strictPlainText(h HTML) string {
	return strings.Join(strings.Fields(stdhtml.UnescapeString(bluemonday.StrictPolicy().Sanitize(blockEnds.Replace(string(h))))), " ")
}

func TestPlainTextMatchesStrictPolicy(t *testing.T) {
	t.Parallel()
	story, err := os.ReadFile(filepath.Join("testdata", "story.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{string(story), "a < b & c > d, \"quoted\" 'single' &amp; &lt;tag&gt; &copy; &#x41; &bogus;",
		"<img alt=\"a>b\" src=\"x.png\"> after", "x<!-- hidden -->y", "<script>gone()</script>kept", "<style>p{}</style>kept",
		"Line one  \nline two\n\n| a | b |\n|---|---|\n| 1 | 2 |", "- one\n- two\n\n## Head\n\ntext", "<b>bold<i>both</b>italic",
		"`<code>` and ```\n<pre>\n```", "שָׁלוֹם «الأزهارُ» \u00a0nbsp", "<p title='x>y'>t</p>", "<a href=\"https://example.org/?a=1&b=2\">link</a>"} {
		out, err := Render(src)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := PlainText(out), strictPlainText(out); got != want {
			t.Errorf("PlainText(Render(%q)):\n got %q\nwant %q", src, got, want)
		}
	}
}
