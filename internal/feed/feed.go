// Package feed writes what machines read to follow the site: its Atom and
// RSS 2.0 feeds (the latest articles with absolute links, stable ids,
// times, authors, summaries and the full sanitised HTML) and its sitemaps
// (sitemap.go). It must not import HTTP, SQL or template code.
package feed

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/calendar"
)

// Size is how many articles a feed holds.
const Size = 50

// Format is a kind of feed: Atom or RSS.
type Format struct {
	Label     string // for people: "Atom"
	File      string // the feed's address below its listing: "feed.atom"
	MediaType string
	encode    func(Channel) ([]byte, error)
}

// The formats, and every one in the order pages offer them.
var (
	AtomFormat = Format{Label: "Atom", File: "feed.atom", MediaType: atomType, encode: Atom}
	RSSFormat  = Format{Label: "RSS", File: "feed.rss", MediaType: rssType, encode: RSS}
	Formats    = []Format{AtomFormat, RSSFormat}
)

const (
	atomType = "application/atom+xml"
	rssType  = "application/rss+xml"
)

// Path is the address of the feed of the listing at path ("/" for the
// whole site, "/section/city").
func (f Format) Path(listing string) string {
	return strings.TrimSuffix(listing, "/") + "/" + f.File
}

// Write writes the channel in this format.
func (f Format) Write(ch Channel) ([]byte, error) { return f.encode(ch) }

// Channel describes one feed: the site-wide one, or a section's or tag's.
type Channel struct {
	Title    string
	Subtitle string
	BaseURL  string // the site's absolute base, "https://news.example"
	Path     string // the listing the feed follows, "/" or "/section/city"
	FeedPath string // the feed's own path, "/feed.atom"
	Language string
	Zone     calendar.Zone
	Articles []article.Article // newest first, with their HTML
	Updated  time.Time         // used when there are no articles
}

// abs is a site path as an absolute, escaped URL.
func (ch Channel) abs(path string) string { return abs(ch.BaseURL, path) }

// articleURL is an article's absolute address.
func (ch Channel) articleURL(a article.Article) string { return ch.abs(a.Path(ch.Zone)) }

// id is a stable Atom id for an article: a tag URI from the site's host,
// the day it was first published and its number, so it survives slug
// changes.
func (ch Channel) id(a article.Article) string {
	u, _ := url.Parse(ch.BaseURL)
	return fmt.Sprintf("tag:%s,%s:article-%d", u.Hostname(), a.PublishedAt.UTC().Format("2006-01-02"), a.ID)
}

func (ch Channel) updated() time.Time {
	latest := ch.Updated
	for _, a := range ch.Articles {
		if a.UpdatedAt.After(latest) {
			latest = a.UpdatedAt
		}
		if a.PublishedAt.After(latest) {
			latest = a.PublishedAt
		}
	}
	return latest.UTC()
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomAuthor    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom writes the channel as an Atom 1.0 document.
func Atom(ch Channel) ([]byte, error) {
	f := atomFeed{
		Lang: ch.Language, Title: ch.Title, Subtitle: ch.Subtitle, ID: ch.abs(ch.Path),
		Updated: ch.updated().Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: atomType, Href: ch.abs(ch.FeedPath)},
			{Rel: "alternate", Type: "text/html", Href: ch.abs(ch.Path)},
		},
	}
	for _, a := range ch.Articles {
		e := atomEntry{
			Lang: a.Language, Title: a.Headline, ID: ch.id(a),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: ch.articleURL(a)}},
			Published: a.PublishedAt.UTC().Format(time.RFC3339),
			Updated:   maxTime(a.UpdatedAt, a.PublishedAt).UTC().Format(time.RFC3339),
			Content:   atomText{Type: "html", Body: string(a.HTML)},
		}
		if a.Author != "" {
			e.Author = &atomAuthor{Name: a.Author}
		}
		if a.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: a.Summary}
		}
		if a.Section != "" {
			e.Categories = append(e.Categories, atomCategory{Term: a.Section})
		}
		for _, t := range a.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshal(f)
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description"`
	Content     string   `xml:"content:encoded"`
}

// RSS writes the channel as an RSS 2.0 document, with the full text in
// content:encoded.
func RSS(ch Channel) ([]byte, error) {
	f := rssFeed{
		Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title: ch.Title, Link: ch.abs(ch.Path), Description: ch.Subtitle, Language: ch.Language,
			LastBuildDate: ch.updated().Format(time.RFC1123Z),
			Self:          atomLink{Rel: "self", Type: rssType, Href: ch.abs(ch.FeedPath)},
		},
	}
	if f.Channel.Description == "" {
		f.Channel.Description = ch.Title
	}
	for _, a := range ch.Articles {
		it := rssItem{
			Title: a.Headline, Link: ch.articleURL(a), GUID: rssGUID{IsPermaLink: "false", Value: ch.id(a)},
			PubDate: a.PublishedAt.UTC().Format(time.RFC1123Z), Creator: a.Author,
			Description: a.Summary, Content: string(a.HTML),
		}
		if a.Section != "" {
			it.Categories = append(it.Categories, a.Section)
		}
		it.Categories = append(it.Categories, a.Tags...)
		f.Channel.Items = append(f.Channel.Items, it)
	}
	return marshal(f)
}

func marshal(v any) ([]byte, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
