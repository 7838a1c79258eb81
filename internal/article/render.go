package article

import (
	"bytes"
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

// Render turns Markdown into sanitised HTML. Raw HTML in the source is
// filtered, never passed to readers as written.
func Render(src string) (HTML, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return HTML(policy.SanitizeBytes(buf.Bytes())), nil
}
