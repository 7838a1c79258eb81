package article

import (
	"strings"
	"time"
	"unicode/utf8"
)

// NoteKind is what an editor's note on an article says.
type NoteKind string

// The kinds of notes.
const (
	Correction NoteKind = "correction" // something the article got wrong
	Update     NoteKind = "update"     // something that happened since
)

// MaxNote is the longest note, in characters.
const MaxNote = 2000

// Note is a correction or an update, shown at the foot of its article.
type Note struct {
	ID        int64
	ArticleID int64
	Kind      NoteKind
	Body      string // plain text
	At        time.Time
	UserID    int64
	Username  string
	// Article is the article the note belongs to (headline, slug and
	// publication), filled in by site-wide listings.
	Article Article
}

// Label is the note's kind as a heading: "Correction" or "Update".
func (n Note) Label() string {
	if n.Kind == Correction {
		return "Correction"
	}
	return "Update"
}

// ParseNote checks a note typed into the newsroom form and returns what is
// wrong with it, if anything.
func ParseNote(kind, body string) (Note, string) {
	n := Note{Kind: NoteKind(kind), Body: strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))}
	switch {
	case n.Kind != Correction && n.Kind != Update:
		return n, "Choose whether this is a correction or an update."
	case n.Body == "":
		return n, "Please write the note."
	case !utf8.ValidString(n.Body) || utf8.RuneCountInString(n.Body) > MaxNote:
		return n, "Please keep the note to 2,000 characters or fewer."
	}
	return n, ""
}
