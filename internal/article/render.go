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
// 50,000 "[a](" in preview 20 s of a core), and on table cells, whose
// number a few characters multiply (a 1,500-column header over 1,500 rows
// of "|" is 9,000 characters and 2.25 million cells: 3.4 s and 22 MB of
// HTML). Within them the costliest body of MaxBody characters renders in
// about 0.25 s, ordinary prose in 0.02 s (BenchmarkRenderAtLimits). A
// paragraph here is a run of lines without a blank one, which is at least
// as long as goldmark's own paragraphs; fenced code is not parsed for
// links or quotes, so its lines count for neither.
const (
	MaxNesting    = 16     // block quotes and list items opened on one line
	MaxBrackets   = 1_000  // "[" in one paragraph: link and image openers
	MaxQuotes     = 1_000  // '"' and "'" in one paragraph: the typographer pairs them
	MaxTableCells = 50_000 // columns × rows, over all the tables of a body
)

// ComplexError says where a body passes one of the limits above.
type ComplexError struct {
	Line    int // of the body, from 1: the line, or the paragraph's first
	Problem string
}

func (e *ComplexError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
}

// Sentence is the error as the newsroom's form says it, beside the story.
func (e *ComplexError) Sentence() string {
	return fmt.Sprintf("At line %d of the story, %s.", e.Line, e.Problem)
}

// checkComplexity finds the first place src passes a rendering limit.
func checkComplexity(src string) error {
	brackets, quotes, first := 0, 0, 1
	cells, columns := 0, 0 // columns: of the table the paragraph is, 0 for none
	var fence string       // the open code fence's marker, "" outside code
	previous := ""         // the line before, within the paragraph
	for n, line := range strings.SplitAfter(src, "\n") {
		if fence != "" {
			if closesFence(line, fence) {
				fence = ""
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			brackets, quotes, columns, first, previous = 0, 0, 0, n+2, ""
			continue
		}
		depth, rest := containers(line)
		if depth > MaxNesting {
			return &ComplexError{Line: n + 1, Problem: fmt.Sprintf("block quotes or lists are nested more than %d deep; please nest them less", MaxNesting)}
		}
		if fence = opensFence(line); fence != "" {
			previous = ""
			continue
		}
		switch {
		case columns > 0:
			cells += columns // a row: goldmark pads it to the header's columns
		case previous != "":
			if columns = delimiterRow(rest); columns > 0 {
				cells += 2 * columns // the header and this row
			}
		}
		if cells > MaxTableCells {
			return &ComplexError{Line: n + 1, Problem: fmt.Sprintf("the tables have more than %d cells in all; please make them smaller", MaxTableCells)}
		}
		brackets += strings.Count(line, "[")
		quotes += strings.Count(line, `"`) + strings.Count(line, "'")
		switch {
		case brackets > MaxBrackets:
			return &ComplexError{Line: first, Problem: fmt.Sprintf(`the paragraph has more than %d "["; please split it with blank lines`, MaxBrackets)}
		case quotes > MaxQuotes:
			return &ComplexError{Line: first, Problem: fmt.Sprintf("the paragraph has more than %d quotation marks and apostrophes; please split it with blank lines", MaxQuotes)}
		}
		previous = line
	}
	return nil
}

// containers counts the block quote and list markers that open a line
// (">", "-", "+", "*", "1." or "1)" followed by a space), and returns the
// rest of the line.
func containers(line string) (int, string) {
	n := 0
	s := strings.TrimLeft(line, " \t")
	for ; s != ""; s = strings.TrimLeft(s, " \t") {
		digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
		switch {
		case s[0] == '>':
			s = s[1:]
		case strings.IndexByte("-+*", s[0]) >= 0 && len(s) > 1 && (s[1] == ' ' || s[1] == '\t'):
			s = s[2:]
		case digits > 0 && digits <= 9 && len(s) > digits+1 && (s[digits] == '.' || s[digits] == ')') && (s[digits+1] == ' ' || s[digits+1] == '\t'):
			s = s[digits+2:]
		default:
			return n, s
		}
		n++
	}
	return n, s
}

// opensFence returns the marker of the code fence a line opens (at most
// three spaces in, three or more "`" or "~"; a "`" fence's info string has
// no "`"), or "". Only a fence at the start of a line counts: one inside a
// quote or a list is counted as text, which can only refuse more.
func opensFence(line string) string {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 || len(s) < 3 || s[0] != '`' && s[0] != '~' {
		return ""
	}
	marker := s[:len(s)-len(strings.TrimLeft(s, s[:1]))]
	if len(marker) < 3 || marker[0] == '`' && strings.Contains(s[len(marker):], "`") {
		return ""
	}
	return marker
}

// closesFence reports whether a line closes the fence opened with marker:
// at most three spaces in, as many of its character or more, nothing else.
func closesFence(line, marker string) bool {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 {
		return false
	}
	run := s[:len(s)-len(strings.TrimLeft(s, marker[:1]))]
	return len(run) >= len(marker) && strings.TrimSpace(s[len(run):]) == ""
}

// delimiterRow returns the number of columns of a table's delimiter row
// ("| --- | :-: |"), or 0 if the line is not one.
func delimiterRow(s string) int {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "|"), "|")
	if s == "" {
		return 0
	}
	cells := strings.Split(s, "|")
	for _, c := range cells {
		c = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(c), ":"), ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return 0
		}
	}
	return len(cells)
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
