package article

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdown renders editors' Markdown. WithUnsafe lets raw HTML through to the
// sanitiser so editors can use harmless inline markup; it is safe only
// because every output goes through policy below.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// policy is built once (bluemonday policies are not safe to build
// concurrently) and used from many goroutines.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy() // no script, style, iframe, object, embed or on* attributes
	// Article bodies are written by the newsroom, not by readers: their links
	// are editorial and are followed. (Readers' comments are plain text and
	// never become links.)
	p.RequireNoFollowOnLinks(false)
	// Alt text and titles are prose: the UGC policy keeps them only when
	// they are letters, digits and a few marks, so "quotes" (curly, after
	// the typographer), a colon, a question mark or "<" dropped an image's
	// alt text and title without a word. Any text is safe there: attribute
	// values are escaped when the sanitiser writes them.
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("title").Globally()
	// Keep goldmark's code-block language class so a highlighter can use it.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9]+$`)).OnElements("code")
	return p
}()

// blockEnds are the ends of blocks in rendered HTML, after which
// PlainText puts a space so that words of neighbouring blocks stay apart.
var blockEnds = strings.NewReplacer("</p>", "</p> ", "</li>", "</li> ", "</h2>", "</h2> ", "</h3>", "</h3> ", "<br>", " ", "</td>", "</td> ")

// PlainText is the text of rendered article HTML (what Render returns),
// for the search index and for summaries: no markup, entities decoded,
// blocks separated by spaces. Rendered HTML went through the sanitiser,
// which escapes every "<" and ">" outside the tags and keeps no script,
// style or comment, so dropping what stands between "<" and ">" leaves
// the text (the same as bluemonday's strict policy does, at a tenth of
// the cost: TestPlainTextMatchesStrictPolicy and FuzzRender compare them).
func PlainText(h HTML) string {
	spaced := blockEnds.Replace(string(h))
	var text strings.Builder
	text.Grow(len(spaced))
	for rest := spaced; rest != ""; {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			text.WriteString(rest)
			break
		}
		text.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break // an unclosed tag: no text follows
		}
		rest = rest[i+j+1:]
	}
	return strings.Join(strings.Fields(stdhtml.UnescapeString(text.String())), " ")
}

// Limits on the constructs whose rendering time grows with the square of
// their number (goldmark 1.7, on this machine: 200,000 '"' took 7.9 s, and
// 50,000 "[a](" in preview 20 s of a core). Within them the costliest body
// of MaxBody characters renders in 0.25 s, ordinary prose in 0.02 s
// (BenchmarkRenderAtLimits). A paragraph here is a run of lines without a
// blank one, which is at least as long as goldmark's own paragraphs.
const (
	MaxNesting  = 16    // block quotes and list items opened on one line
	MaxBrackets = 1_000 // "[" in one paragraph: link and image openers
	MaxQuotes   = 1_000 // '"' and "'" in one paragraph: the typographer pairs them
)

// ComplexError says where a body passes one of the limits above.
type ComplexError struct {
	Line    int // of the body, from 1: the line, or the paragraph's first
	Problem string
}

func (e *ComplexError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
}

// checkComplexity finds the first place src passes a rendering limit.
func checkComplexity(src string) error {
	brackets, quotes, first := 0, 0, 1
	for n, line := range strings.SplitAfter(src, "\n") {
		if strings.TrimSpace(line) == "" {
			brackets, quotes, first = 0, 0, n+2
			continue
		}
		if containers(line) > MaxNesting {
			return &ComplexError{Line: n + 1, Problem: fmt.Sprintf("block quotes or lists are nested more than %d deep; please nest them less", MaxNesting)}
		}
		brackets += strings.Count(line, "[")
		quotes += strings.Count(line, `"`) + strings.Count(line, "'")
		switch {
		case brackets > MaxBrackets:
			return &ComplexError{Line: first, Problem: fmt.Sprintf(`the paragraph has more than %d "["; please split it with blank lines`, MaxBrackets)}
		case quotes > MaxQuotes:
			return &ComplexError{Line: first, Problem: fmt.Sprintf("the paragraph has more than %d quotation marks and apostrophes; please split it with blank lines", MaxQuotes)}
		}
	}
	return nil
}

// containers counts the block quote and list markers that open a line
// (">", "-", "+", "*", "1." or "1)" followed by a space).
func containers(line string) int {
	n := 0
	for s := strings.TrimLeft(line, " \t"); s != ""; s = strings.TrimLeft(s, " \t") {
		digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
		switch {
		case s[0] == '>':
			s = s[1:]
		case strings.IndexByte("-+*", s[0]) >= 0 && len(s) > 1 && (s[1] == ' ' || s[1] == '\t'):
			s = s[2:]
		case digits > 0 && digits <= 9 && len(s) > digits+1 && (s[digits] == '.' || s[digits] == ')') && (s[digits+1] == ' ' || s[digits+1] == '\t'):
			s = s[digits+2:]
		default:
			return n
		}
		n++
	}
	return n
}

// Render turns Markdown into sanitised HTML. Raw HTML in the source is
// filtered, never passed to readers as written. A body past a rendering
// limit is refused with a *ComplexError.
func Render(src string) (HTML, error) {
	if err := checkComplexity(src); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return HTML(policy.SanitizeBytes(buf.Bytes())), nil
}
