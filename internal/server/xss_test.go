package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// xssPayloads are the Big List of Naughty Strings and Dateline's own list.
func xssPayloads(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("testdata/blns/blns.json")
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "# ") {
			list = append(list, line)
		}
	}
	var out []string
	for _, p := range list {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// dangers lists what in a page the site did not write and a browser would
// run: script elements other than the site's own, on* attributes, script
// URLs, frames and plugins, style.
func dangers(page string) []string {
	var found []string
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparseable page: " + err.Error()}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				if !ownScript(n) {
					found = append(found, "<script> not written by the site")
				}
			case "iframe", "object", "embed", "frame", "frameset", "applet", "base", "style":
				found = append(found, "<"+n.Data+">")
			case "meta":
				for _, a := range n.Attr {
					if strings.EqualFold(a.Key, "http-equiv") {
						found = append(found, "<meta http-equiv>")
					}
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(key, "on"):
					found = append(found, "attribute "+key)
				case key == "style":
					found = append(found, "style attribute")
				case key == "srcdoc":
					found = append(found, "srcdoc attribute")
				case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "xlink:href" || key == "background" || key == "poster":
					for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(val, scheme) {
							found = append(found, key+"="+scheme)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func ownScript(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "type" && a.Val == "application/ld+json" {
			return true
		}
		if a.Key == "src" && a.Val == "/static/js/share.js" {
			return true
		}
	}
	return false
}

// TestHostileInput puts every payload where readers and editors put text:
// a comment's name and body, an article's headline, summary, tag and
// Markdown body, and a search query, then parses the pages for anything a
// browser would run.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	ctx := context.Background()
	payloads := xssPayloads(t)
	if len(payloads) < 150 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	tried, through := 0, 0
	check := func(where, payload, page string) {
		t.Helper()
		tried++
		if found := dangers(page); len(found) > 0 {
			through++
			t.Errorf("%s with %.60q: %v", where, payload, found)
		}
	}
	at := testNow.Add(-24 * time.Hour)
	for i, p := range payloads {
		// An article made of the payload.
		a := article.Article{Slug: fmt.Sprintf("hostile-%d", i), Headline: p, Summary: p, Body: p + "\n\n" + p,
			Author: "Editor", Section: "Hostile", Tags: []string{p}, Language: "en", Status: article.Published,
			PublishedAt: at.Add(time.Duration(i) * time.Second), UpdatedAt: at}
		if strings.TrimSpace(a.Headline) == "" || !utf8Valid(p) {
			a.Headline = "Hostile " + fmt.Sprint(i)
		}
		var err error
		if a.HTML, err = article.Render(a.Body); err != nil {
			t.Fatal(err)
		}
		if _, err := s.store.ImportArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		path := a.Path(s.site().Zone)

		// A reader's comment made of it, from its own address, then approved.
		form := url.Values{"name": {truncateRunes(p, comment.MaxName)}, "body": {p}, "ts": {s.stamp(path, -10*time.Second)}}
		req := httptest.NewRequest(http.MethodPost, path+"/comments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.1:4000", i/250, i%250)
		rec := s.do(req)
		check("comment form answer", p, rec.Body.String())
		if rec.Code == http.StatusSeeOther {
			list, _ := s.store.Comments(ctx, comment.Pending, 1, 0)
			if len(list) == 1 {
				s.store.SetCommentStatus(ctx, list[0].ID, comment.Approved)
			}
		}
		check("article page", p, body(t, s.get(path)))
		check("search", p, body(t, s.get("/search?"+url.Values{"q": {p}}.Encode())))
	}
	for _, target := range []string{"/", "/section/hostile", "/2025", "/2026/11/29", "/feed.atom"} {
		if !strings.HasSuffix(target, ".atom") {
			check("listing "+target, "(all)", body(t, s.get(target)))
		}
	}
	t.Logf("hostile input: %d payloads, %d pages checked, %d got through", len(payloads), tried, through)
	fmt.Printf("hostile input: %d payloads, %d pages checked, %d got through\n", len(payloads), tried, through)
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// TestDangersDetector shows the detector finds what it looks for, so that
// "0 got through" means something.
func TestDangersDetector(t *testing.T) {
	t.Parallel()
	for _, page := range []string{
		`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<a href=" JavaScript:alert(1)">x</a>`, `<iframe></iframe>`,
		`<p style="x">`, `<a href="data:text/html,x">`, `<object data=x>`, `<meta http-equiv="refresh" content="0">`, `<svg><a xlink:href="javascript:x">`,
	} {
		if len(dangers("<!doctype html><body>"+page)) == 0 {
			t.Errorf("detector missed %q", page)
		}
	}
	if found := dangers(`<script type="application/ld+json">{}</script><script src="/static/js/share.js" defer></script><a href="/x">`); len(found) != 0 {
		t.Errorf("detector flags the site's own markup: %v", found)
	}
}
