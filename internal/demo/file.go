package demo

import (
	"bytes"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dateline/dateline/internal/article"
)

// fileHeader is the front matter of an article file, with the keys that
// article.Parse reads.
type fileHeader struct {
	Title    string   `yaml:"title"`
	Slug     string   `yaml:"slug"`
	Summary  string   `yaml:"summary"`
	Author   string   `yaml:"author"`
	Section  string   `yaml:"section"`
	Tags     []string `yaml:"tags,flow"`
	Language string   `yaml:"language"`
	Date     string   `yaml:"date"`
	Draft    bool     `yaml:"draft,omitempty"`
}

// File is an article as a Markdown file with YAML front matter, the form
// "dateline import" reads.
func File(a article.Article) []byte {
	h := fileHeader{Title: a.Headline, Slug: a.Slug, Summary: a.Summary, Author: a.Author, Section: a.Section,
		Tags: a.Tags, Language: a.Language, Date: a.PublishedAt.Format(time.RFC3339), Draft: a.Status == article.Draft}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(h); err != nil {
		panic(err) // strings and a list of strings always encode
	}
	enc.Close()
	b.WriteString("---\n")
	b.WriteString(a.Body)
	return b.Bytes()
}
