package article

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRender feeds Markdown to Render: it never fails on text within the
// rendering limits, and what it returns never carries script, frames,
// style or script URLs.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{"# Title\n\n*x*", "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
		"```go\nx\n```", "<a href=\"JaVaScRiPt:x\">", "> quote\n\n- a\n- b", "![x](data:text/html,x)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Render(src)
		if _, ok := errors.AsType[*ComplexError](err); ok {
			return // refused with its line: nothing rendered
		}
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		doc, err := html.Parse(strings.NewReader(string(out)))
		if err != nil {
			t.Fatalf("Render(%q) = %q does not parse: %v", src, out, err)
		}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "svg", "math":
					t.Fatalf("Render(%q) = %q has <%s>", src, out, n.Data)
				}
				for _, a := range n.Attr {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
						(a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")) {
						t.Fatalf("Render(%q) = %q has %s=%q", src, out, a.Key, a.Val)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if utf8.ValidString(src) && !utf8.ValidString(string(out)) {
			t.Fatalf("Render(%q) made invalid UTF-8", src)
		}
		if got, want := PlainText(out), strictPlainText(out); got != want {
			t.Fatalf("PlainText(Render(%q)) = %q, the strict policy gives %q", src, got, want)
		}
	})
}

// FuzzSlugify checks that every slug Slugify makes is valid, or empty.
func FuzzSlugify(f *testing.F) {
	for _, seed := range []string{"Night Market!", "أزهارُ الربيع", "Café 2024", "---", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if slug := Slugify(s); slug != "" && !ValidSlug(slug) {
			t.Fatalf("Slugify(%q) = %q, which ValidSlug refuses", s, slug)
		}
	})
}
