package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// words splits a list written one word after another.
func words(s string) []string { return strings.Fields(s) }

// words2 splits a list of phrases written between bars; line breaks inside
// a phrase count as one space.
func words2(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// headline makes a headline from the language's templates: subject, verb,
// object, and sometimes a tail.
func headline(r *rand.Rand, t *tongue) string {
	subject, verb := pick(r, t.subjects), pick(r, t.verbs)
	singular, plural, ok := strings.Cut(verb, "/")
	if !ok {
		plural = singular
	}
	if s, ok := strings.CutPrefix(subject, "+"); ok {
		subject, verb = s, plural
	} else {
		verb = singular
	}
	h := subject + " " + verb + " " + pick(r, t.objects)
	if r.Float64() < 0.4 {
		h += " " + pick(r, t.tails)
	}
	return h
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// writer writes the text of one story (or comment) in one language.
type writer struct {
	r     *rand.Rand
	t     *tongue
	vocab *cdf
	funcs *cdf
	words int // written so far into the body
}

// tokens returns n words of running text: small words and content words
// mixed as in real sentences, with now and then a number, a name or a
// comma.
func (w *writer) tokens(n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		var tok string
		switch u := w.r.Float64(); {
		case u < 0.38:
			tok = w.t.function[w.funcs.pick(w.r)]
		case u < 0.40:
			tok = number(w.r)
		case u < 0.41 && len(out)+2 <= n:
			out = append(out, pick(w.r, w.t.first))
			tok = pick(w.r, w.t.last)
		default:
			tok = w.t.content[w.vocab.pick(w.r)]
			if len(w.t.prefixes) > 0 && w.r.Float64() < 0.12 {
				tok = pick(w.r, w.t.prefixes) + tok
			}
		}
		if len(out) > 2 && len(out) < n-2 && w.r.Float64() < 0.06 {
			out[len(out)-1] += w.t.comma
		}
		out = append(out, tok)
	}
	return out
}

// number is a figure as news stories write them.
func number(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return fmt.Sprint(2 + r.IntN(98))
	case 1:
		return fmt.Sprintf("%d,%03d", 1+r.IntN(90), r.IntN(1000))
	case 2:
		return fmt.Sprint(2000 + r.IntN(26))
	case 3:
		return fmt.Sprintf("%d.%d%%", r.IntN(40), r.IntN(10))
	default:
		return fmt.Sprint(10 * (1 + r.IntN(50)))
	}
}

// sentence is a sentence of fewest to most words with its full stop.
func (w *writer) sentence(fewest, most int) string {
	return w.finish(w.tokens(fewest + w.r.IntN(most-fewest+1)))
}

// finish joins tokens into a sentence: a capital letter where the script
// has them, and a full stop or now and then a question mark.
func (w *writer) finish(toks []string) string {
	w.words += len(toks)
	s := strings.Join(toks, " ")
	if w.t.latin {
		s = capitalize(s)
	}
	if w.r.Float64() < 0.03 {
		return s + w.t.question
	}
	return s + w.t.stop
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// templated is a sentence made from the headline phrases, which reads
// better than running text: "The mayor backs the night market."
func (w *writer) templated() string {
	toks := strings.Fields(headline(w.r, w.t))
	w.words += len(toks)
	return strings.Join(toks, " ") + w.t.stop
}

// quote is a quoted sentence with who said it.
func (w *writer) quote() string {
	toks := w.tokens(8 + w.r.IntN(14))
	w.words += len(toks) + 3
	s := strings.Join(toks, " ")
	if w.t.latin {
		s = capitalize(s)
	}
	who := pick(w.r, w.t.first) + " " + pick(w.r, w.t.last)
	return w.t.quoteOpen + s + w.t.comma + w.t.quoteClose + " " + strings.Replace(pick(w.r, w.t.saying), "%s", who, 1) + w.t.stop
}

// paragraph is two to five sentences, some with a link or emphasis.
func (w *writer) paragraph() string {
	n := 2 + w.r.IntN(4)
	parts := make([]string, 0, n)
	for range n {
		switch u := w.r.Float64(); {
		case u < 0.12:
			parts = append(parts, w.quote())
		case u < 0.22:
			parts = append(parts, w.templated())
		default:
			toks := w.tokens(8 + w.r.IntN(17))
			w.decorate(toks)
			parts = append(parts, w.finish(toks))
		}
	}
	return strings.Join(parts, " ")
}

// decorate turns a few words of a sentence into a link, emphasis or
// strong emphasis, in place.
func (w *writer) decorate(toks []string) {
	if len(toks) < 6 {
		return
	}
	i := 1 + w.r.IntN(len(toks)-4)
	j := i + 1 + w.r.IntN(3)
	if strings.ContainsAny(strings.Join(toks[i:j], ""), w.t.comma) {
		return // a comma inside a link reads badly
	}
	switch u := w.r.Float64(); {
	case u < 0.08:
		toks[i] = "[" + toks[i]
		toks[j-1] += "](https://" + pick(w.r, linkHosts) + "/" + pick(w.r, linkPaths) + "/" + fmt.Sprint(2015+w.r.IntN(11)) + "/" + fmt.Sprint(100+w.r.IntN(900)) + ")"
	case u < 0.12:
		toks[i] = "*" + toks[i] + "*"
	case u < 0.14:
		toks[i] = "**" + toks[i]
		toks[j-1] += "**"
	}
}

// list is a bulleted or numbered list of short items.
func (w *writer) list() string {
	n := 3 + w.r.IntN(4)
	numbered := w.r.Float64() < 0.3
	var b strings.Builder
	for k := range n {
		if numbered {
			fmt.Fprintf(&b, "%d. ", k+1)
		} else {
			b.WriteString("- ")
		}
		toks := w.tokens(3 + w.r.IntN(7))
		w.words += len(toks)
		item := strings.Join(toks, " ")
		if w.t.latin {
			item = capitalize(item)
		}
		b.WriteString(item)
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// body writes a story of about n words: paragraphs, subheadings in longer
// stories, and now and then a list or a block quote.
func (w *writer) body(n int) string {
	var blocks []string
	listAt, quoteAt := -1, -1
	if w.r.Float64() < 0.3 {
		listAt = 1 + w.r.IntN(4)
	}
	if w.r.Float64() < 0.1 {
		quoteAt = 2 + w.r.IntN(4)
	}
	nextHeading := 3 + w.r.IntN(4)
	start := w.words
	for p := 0; w.words-start < n; p++ {
		if n > 350 && p == nextHeading {
			h := pick(w.r, w.t.headings)
			if w.r.Float64() < 0.4 {
				h = pick(w.r, w.t.objects)
				if w.t.latin {
					h = capitalize(h)
				}
			}
			blocks = append(blocks, "## "+h)
			nextHeading += 3 + w.r.IntN(4)
		}
		switch p {
		case listAt:
			blocks = append(blocks, w.list())
		case quoteAt:
			blocks = append(blocks, "> "+w.quote())
		}
		blocks = append(blocks, w.paragraph())
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

// tags picks one to four tags, mostly from the section's own.
func (w *writer) tags(section int) []string {
	n := []int{1, 2, 2, 2, 3, 3, 4, 1, 2, 3}[w.r.IntN(10)]
	prefer := sections[section].preferTags
	var out []string
	for len(out) < n {
		var tag string
		if w.r.Float64() < 0.7 {
			tag = tags[prefer[preferCDFs[len(prefer)].pick(w.r)]]
		} else {
			tag = tags[w.r.IntN(len(tags))]
		}
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out
}

// preferCDFs make a section's first tags its commonest, by list length.
var preferCDFs = func() map[int]*cdf {
	m := map[int]*cdf{}
	for _, s := range sections {
		m[len(s.preferTags)] = newCDF(len(s.preferTags), 1, 1)
	}
	return m
}()

// comment is a reader's comment: often an opener, one to four sentences,
// and now and then a second or third paragraph.
func (w *writer) comment() string {
	var b strings.Builder
	if w.r.Float64() < 0.5 {
		b.WriteString(pick(w.r, w.t.openers))
		b.WriteByte(' ')
	}
	paras := 1
	if u := w.r.Float64(); u < 0.05 {
		paras = 3
	} else if u < 0.15 {
		paras = 2
	}
	for p := range paras {
		if p > 0 {
			b.WriteString("\n\n")
		}
		for k := range 1 + w.r.IntN(4) {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w.sentence(5, 22))
		}
	}
	return b.String()
}
