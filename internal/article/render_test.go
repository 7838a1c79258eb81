package article

import (
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
