package article

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func jerusalem(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseFullFile(t *testing.T) {
	t.Parallel()
	src := `---
title: "Rain & \"Hail\": What the Forecasters Got Right"
slug: rain-and-hail
summary: Storms came.
author: Maya Ben-Ami
section: Weather
tags: [weather, storms]
language: en-GB
date: 2024-06-20T16:53:00+03:00
draft: false
weight: 10
---

Body **text**.
`
	a, err := Parse("rain.md", []byte(src), jerusalem(t))
	if err != nil {
		t.Fatal(err)
	}
	want := Article{
		Slug: "rain-and-hail", Headline: `Rain & "Hail": What the Forecasters Got Right`, Summary: "Storms came.",
		Author: "Maya Ben-Ami", Section: "Weather", Tags: []string{"weather", "storms"}, Language: "en-GB",
		Status: Published, PublishedAt: time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC),
	}
	if a.Slug != want.Slug || a.Headline != want.Headline || a.Summary != want.Summary || a.Author != want.Author ||
		a.Section != want.Section || !slices.Equal(a.Tags, want.Tags) || a.Language != want.Language ||
		a.Status != want.Status || !a.PublishedAt.Equal(want.PublishedAt) || a.PublishedAt.Location() != time.UTC {
		t.Errorf("got %+v\nwant %+v", a, want)
	}
	if a.Body != "\nBody **text**.\n" && a.Body != "Body **text**.\n" {
		t.Errorf("body: got %q", a.Body)
	}
	if a.HTML != "<p>Body <strong>text</strong>.</p>\n" {
		t.Errorf("HTML: got %q", a.HTML)
	}
}

func TestParseVariants(t *testing.T) {
	t.Parallel()
	loc := jerusalem(t)
	tests := []struct {
		name, file, src string
		check           func(t *testing.T, a Article)
	}{
		{"hugo alternatives", "x.md", "---\ntitle: T\ndescription: D\nauthors: [Ann, Bob]\ncategories: [Sport]\nlang: ar\ndate: 2024-01-02\n---\nB",
			func(t *testing.T, a Article) {
				if a.Summary != "D" || a.Author != "Ann" || a.Section != "Sport" || a.Language != "ar" || a.Dir() != "rtl" {
					t.Errorf("got %+v", a)
				}
				// A bare date is midnight in the site's zone.
				if want := time.Date(2024, 1, 1, 22, 0, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
					t.Errorf("date: got %v, want %v", a.PublishedAt, want)
				}
			}},
		{"jekyll file name gives the slug", "2024-06-20-night-market.md", "---\ntitle: T\ndate: 2024-06-20 16:53:00 +0300\n---\n",
			func(t *testing.T, a Article) {
				if a.Slug != "night-market" || !a.PublishedAt.Equal(time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)) {
					t.Errorf("got slug %q date %v", a.Slug, a.PublishedAt)
				}
			}},
		{"local time without offset", "Local Time.md", "---\ntitle: T\ndate: 2024-06-20T16:53:00\n---\n",
			func(t *testing.T, a Article) {
				if a.Slug != "local-time" || !a.PublishedAt.Equal(time.Date(2024, 6, 20, 13, 53, 0, 0, time.UTC)) {
					t.Errorf("got slug %q date %v", a.Slug, a.PublishedAt)
				}
			}},
		{"draft and default language", "d.md", "\ufeff---\r\ntitle: T\r\ndate: 2024-06-20T16:53:00Z\r\ndraft: true\r\n---\r\nBody\r\n",
			func(t *testing.T, a Article) {
				if a.Status != Draft || a.Language != "en" || a.Dir() != "ltr" {
					t.Errorf("got status %q language %q", a.Status, a.Language)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.file, []byte(tc.src), loc)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, a)
		})
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"missing title", "---\nslug: x\ndate: 2024-06-20\n---\nBody", 1, "title is missing"},
		{"empty title", "---\nslug: x\ntitle: \"  \"\ndate: 2024-06-20\n---\nBody", 3, "title is missing"},
		{"bad date", "---\ntitle: T\nslug: x\ndate: 20th of June\n---\n", 4, "date \"20th of June\""},
		{"missing date", "---\ntitle: T\nslug: x\n---\n", 1, "date is missing"},
		{"bad slug", "---\ntitle: T\nslug: Not A Slug\ndate: 2024-06-20\n---\n", 3, "slug"},
		{"bad language", "---\ntitle: T\nslug: x\nlanguage: not a language!\ndate: 2024-06-20\n---\n", 4, "BCP 47"},
		{"no front matter", "# Just Markdown\n", 1, "no front matter"},
		{"unclosed front matter", "---\ntitle: T\n", 1, "no front matter"},
		{"broken yaml", "---\ntitle: T\ntags: [a, b\ndate: 2024-06-20\n---\n", 0, "not valid YAML"},
		{"not utf-8", "---\ntitle: \xff\n---\n", 1, "UTF-8"},
		// The year 10000 in UTC: it sorted as published and broke every listing.
		{"date past 9999 in UTC", "---\ntitle: T\nslug: x\ndate: 9999-12-31T23:30:00-12:00\n---\n", 4, "outside the years 1 to 9999"},
		// Bodies that would take seconds to render: the line is the file's.
		{"nested too deep", "---\ntitle: T\nslug: x\ndate: 2024-06-20\n---\nIntro.\n\n" + strings.Repeat("> ", 50_000), 8, "nested more than 16 deep"},
		{"too many link openers", "---\ntitle: T\nslug: x\ndate: 2024-06-20\n---\nIntro.\n\nFirst line\n" + strings.Repeat("[a](", 49_000), 8, `more than 1000 "["`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("story.md", []byte(tc.src), time.UTC)
			var perr *ParseError
			if !errors.As(err, &perr) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if perr.File != "story.md" || (tc.line != 0 && perr.Line != tc.line) {
				t.Errorf("got %s:%d, want story.md:%d", perr.File, perr.Line, tc.line)
			}
			if !strings.Contains(perr.Msg, tc.want) {
				t.Errorf("message: got %q, want it to mention %q", perr.Msg, tc.want)
			}
		})
	}
}

func TestSlugs(t *testing.T) {
	t.Parallel()
	valid := []string{"a", "night-market", "2024-review", "a1-b2", "ü", "أزهار-الربيع", "קיץ-2024"}
	invalid := []string{"", "-a", "a-", "a--b", "A", "a_b", "a b", "Ü", "a/b", "..", "a%20b", "a.b", "\xff", string(make([]byte, 201))}
	for _, s := range valid {
		if !ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = false, want true", s)
		}
	}
	for _, s := range invalid {
		if ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = true, want false", s)
		}
	}
	for in, want := range map[string]string{
		"Night Market!": "night-market", "  --a__b--  ": "a-b", "Café 2024": "cafe-2024", "Ça Va? Über-Straße": "ca-va-uber-straße",
		"أزهارُ الربيعِ": "أزهار-الربيع", "!!!": "", strings.Repeat("word ", 60): strings.TrimSuffix(strings.Repeat("word-", 40), "-"),
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestDir(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"ar": "rtl", "he": "rtl", "fa-IR": "rtl", "ar-EG": "rtl", "en": "ltr", "en-GB": "ltr", "": "ltr", "??": "ltr"} {
		if got := Dir(lang); got != want {
			t.Errorf("Dir(%q): got %q, want %q", lang, got, want)
		}
	}
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	got := LineDiff("a\nb\nc\nd", "a\nc\nd\ne")
	want := []DiffLine{{"same", "a"}, {"removed", "b"}, {"same", "c"}, {"same", "d"}, {"added", "e"}}
	if !slices.Equal(got, want) {
		t.Errorf("LineDiff: got %v, want %v", got, want)
	}
	if got := LineDiff("same", "same"); len(got) != 1 || got[0].Kind != "same" {
		t.Errorf("LineDiff of equal texts: got %v", got)
	}
}

// TestPublishTimeStaysInRange checks the newsroom's scheduling form: the
// last day of 9999 west of UTC is the year 10000 in UTC, and is refused
// with a message beside the field; the day before is taken.
func TestPublishTimeStaysInRange(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	edit := Edit{Headline: "Far off", Body: "Text.", Language: "en", Publish: "at"}
	for at, refused := range map[string]bool{"9999-12-31T23:00": true, "9999-12-29T12:00": false, "2030-06-01T09:00": false} {
		edit.PublishAt = at
		a, errs := edit.Normalize().Article(ny, now)
		if msg := errs["publish_at"]; (msg != "") != refused {
			t.Errorf("publish at %s in New York: error %q, want refused %t", at, msg, refused)
		} else if !refused && !InstantInRange(a.PublishedAt) {
			t.Errorf("publish at %s: stored %v, out of range", at, a.PublishedAt)
		}
	}
}
