package article

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ParseError says which file and line an article file is wrong at.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// frontMatter holds the keys read from a file's YAML header. The names are
// those Hugo and Jekyll use, with their common alternatives, so that their
// content imports as it is; unknown keys are ignored.
type frontMatter struct {
	Title       string   `yaml:"title"`
	Slug        string   `yaml:"slug"`
	Summary     string   `yaml:"summary"`
	Description string   `yaml:"description"`
	Author      string   `yaml:"author"`
	Authors     []string `yaml:"authors"`
	Section     string   `yaml:"section"`
	Categories  []string `yaml:"categories"`
	Tags        []string `yaml:"tags"`
	Language    string   `yaml:"language"`
	Lang        string   `yaml:"lang"`
	Draft       bool     `yaml:"draft"`
}

// dateLayouts are the forms of `date` accepted, most specific first. The
// forms without an offset are read in the site's zone.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05 -0700", // Jekyll
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// Parse reads an article file: YAML front matter between two "---" lines,
// then the Markdown body. name is the file name, used in errors and as the
// slug when the front matter has none. Dates without an offset are read in
// loc. The returned article has its HTML rendered.
func Parse(name string, src []byte, loc *time.Location) (Article, error) {
	fail := func(line int, format string, args ...any) (Article, error) {
		return Article{}, &ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(src) {
		return fail(1, "file is not UTF-8 text")
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	header, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		return fail(1, "no front matter: the file must start with a line of ---, then YAML, then ---")
	}
	var h frontHeader
	if err := yaml.Unmarshal(header, &h.doc); err != nil {
		return fail(yamlErrorLine(err), "front matter is not valid YAML: %v", err)
	}
	if len(h.doc.Content) > 0 {
		if err := h.doc.Content[0].Decode(&h.fm); err != nil {
			return fail(yamlErrorLine(err), "front matter: %v", err)
		}
	}
	a, line, problem := h.article(name, string(body))
	if problem == "" {
		a.PublishedAt, line, problem = h.published(loc)
	}
	if problem != "" {
		return fail(line, "%s", problem)
	}
	a.UpdatedAt = a.PublishedAt
	var err error
	if a.HTML, err = Render(a.Body); err != nil {
		if complex, ok := errors.AsType[*ComplexError](err); ok {
			return fail(bodyLine+complex.Line-1, "body: %s", complex.Problem)
		}
		return fail(bodyLine, "body: %v", err)
	}
	return a, nil
}

// frontHeader is a file's front matter, as a YAML tree (for the lines of
// its keys) and decoded.
type frontHeader struct {
	doc yaml.Node
	fm  frontMatter
}

// keyLine is the file line of a key of the front matter, or 1. Lines
// inside the header count from 1 at its first line, which is line 2 of the
// file.
func (h *frontHeader) keyLine(key string) int {
	if len(h.doc.Content) == 0 {
		return 1
	}
	m := h.doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line + 1
		}
	}
	return 1
}

// article is the article the front matter and body describe, but for its
// dates; or the line and words of what is wrong.
func (h *frontHeader) article(name, body string) (a Article, line int, problem string) {
	fm := h.fm
	a = Article{
		Headline: strings.TrimSpace(fm.Title),
		Slug:     strings.TrimSpace(fm.Slug),
		Summary:  strings.TrimSpace(firstNonEmpty(fm.Summary, fm.Description)),
		Author:   strings.TrimSpace(fm.Author),
		Section:  strings.TrimSpace(fm.Section),
		Body:     body,
		Status:   Published,
	}
	if a.Headline == "" {
		return a, h.keyLine("title"), "title is missing"
	}
	if a.Author == "" && len(fm.Authors) > 0 {
		a.Author = strings.TrimSpace(fm.Authors[0])
	}
	if a.Section == "" && len(fm.Categories) > 0 {
		a.Section = strings.TrimSpace(fm.Categories[0])
	}
	if fm.Draft {
		a.Status = Draft
	}
	for _, t := range fm.Tags {
		if t = strings.TrimSpace(t); t != "" {
			a.Tags = append(a.Tags, t)
		}
	}
	if a.Slug == "" {
		a.Slug = slugFromFileName(name)
	}
	if !ValidSlug(a.Slug) {
		return a, h.keyLine("slug"), fmt.Sprintf("slug %q: use lower-case letters, digits and single hyphens", a.Slug)
	}
	langKey, lang := "language", fm.Language
	if lang == "" && fm.Lang != "" {
		langKey, lang = "lang", fm.Lang
	}
	var ok bool
	if a.Language, ok = CanonicalLanguage(lang); !ok {
		return a, h.keyLine(langKey), fmt.Sprintf("%s %q is not a BCP 47 language tag", langKey, lang)
	}
	return a, 0, ""
}

// published is the front matter's date as an instant (read in loc when it
// has no offset), within the years the store keeps; or the line and words
// of what is wrong.
func (h *frontHeader) published(loc *time.Location) (t time.Time, line int, problem string) {
	dateNode := mappingValue(&h.doc, "date")
	if dateNode == nil || strings.TrimSpace(dateNode.Value) == "" {
		return t, h.keyLine("date"), "date is missing"
	}
	published, err := parseDate(strings.TrimSpace(dateNode.Value), loc)
	if err != nil {
		return t, dateNode.Line + 1, fmt.Sprintf("date %q is not a date such as 2024-06-20T16:53:00+03:00", dateNode.Value)
	}
	if !InstantInRange(published) {
		return t, dateNode.Line + 1, fmt.Sprintf("date %q is outside the years 1 to 9999 once in UTC", dateNode.Value)
	}
	return published.UTC().Truncate(time.Second), 0, ""
}

// splitFrontMatter cuts "---\nYAML\n---\nbody" into its parts and returns the
// file line the body starts on.
func splitFrontMatter(src []byte) (header, body []byte, bodyLine int, ok bool) {
	lines := bytes.SplitAfter(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\n"))
	if len(lines) == 0 || string(bytes.TrimSpace(lines[0])) != "---" {
		return nil, nil, 0, false
	}
	for i := 1; i < len(lines); i++ {
		if string(bytes.TrimSpace(lines[i])) == "---" {
			return bytes.Join(lines[1:i], nil), bytes.Join(lines[i+1:], nil), i + 2, true
		}
	}
	return nil, nil, 0, false
}

func mappingValue(doc *yaml.Node, key string) *yaml.Node {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func parseDate(s string, loc *time.Location) (time.Time, error) {
	var err error
	for _, layout := range dateLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// slugFromFileName takes the slug from a file name, dropping the extension
// and a Jekyll-style "2024-06-20-" date prefix. A Hugo page bundle
// (story/index.md) is named by its folder.
func slugFromFileName(name string) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if base == "index" && path.Dir(name) != "." {
		base = path.Base(path.Dir(name))
	}
	if len(base) > 11 && base[4] == '-' && base[7] == '-' && base[10] == '-' {
		if _, err := time.Parse("2006-01-02", base[:10]); err == nil {
			base = base[11:]
		}
	}
	return Slugify(base)
}

// yamlErrorLine finds "line N" in a yaml error and turns it into a file line.
func yamlErrorLine(err error) int {
	var n int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		if _, scanErr := fmt.Sscanf(msg[i:], "line %d", &n); scanErr == nil {
			return n + 1
		}
	}
	return 1
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
