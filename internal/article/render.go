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
	// Keep goldmark's code-block language class so a highlighter can use it.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9]+$`)).OnElements("code")
	return p
}()

// plainPolicy keeps the text of HTML and drops every element.
var plainPolicy = bluemonday.StrictPolicy()

// PlainText is the text of rendered article HTML, for the search index and
// for summaries: no markup, entities decoded, blocks separated by spaces.
func PlainText(h HTML) string {
	spaced := strings.NewReplacer("</p>", "</p> ", "</li>", "</li> ", "</h2>", "</h2> ", "</h3>", "</h3> ", "<br>", " ", "</td>", "</td> ").Replace(string(h))
	return strings.Join(strings.Fields(stdhtml.UnescapeString(plainPolicy.Sanitize(spaced))), " ")
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
