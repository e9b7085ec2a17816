// Package command recognises the image steps of a command line: builds,
// re-tags, loads into Kind, deploys with kubectl, kustomize, helm or make.
//
// The caller resolves a Go call such as exec.Command into an argv whose words
// may hold run-time values it tracks itself; those are opaque slots here and
// come back unchanged in the steps' values, so the caller can follow them.
package command

import (
	"strconv"
	"strings"
)

// Slot values of a Part that are not caller slots.
const (
	// Literal marks a Part whose Text is literal text.
	Literal = -1
	// Unknown marks a run-time value that is not a caller slot: a variable,
	// a command substitution or a tilde inside a shell script. Text holds its
	// shell source, for messages only.
	Unknown = -2
)

// Part is a piece of a word: literal text (Slot == Literal), a caller slot
// (Slot >= 0; Text is the caller's and kept as given), or an Unknown value.
type Part struct {
	Text string
	Slot int
}

// Word is one argv word. fmt.Sprintf("IMG=%s", img) is
// Word{{"IMG=", Literal}, {"", 0}}.
type Word []Part

// Value is what a step names, with the tool syntax ("IMG=", "--tag=",
// "name=") stripped. A nil Value means absent; an empty non-nil one is "".
type Value = Word

// Lit returns the literal word s.
func Lit(s string) Word { return Word{{Text: s, Slot: Literal}} }

// Dyn returns a word that is caller slot slot.
func Dyn(slot int) Word { return Word{{Slot: slot}} }

func unknown(src string) Word { return Word{{Text: src, Slot: Unknown}} }

func (p Part) literal() bool { return p.Slot != Unknown && p.Slot < 0 }

// Literal returns the word's text when it has no run-time part.
func (w Word) Literal() (string, bool) {
	var b strings.Builder
	for _, p := range w {
		if !p.literal() {
			return "", false
		}
		b.WriteString(p.Text)
	}
	return b.String(), true
}

// Known reports whether the word has no Unknown part: it is literal text and
// caller slots only.
func (w Word) Known() bool {
	for _, p := range w {
		if p.Slot == Unknown {
			return false
		}
	}
	return true
}

// String renders the word for messages: slots as their Text or <slot N>,
// Unknown parts as their shell source.
func (w Word) String() string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.Slot >= 0 && p.Text == "":
			b.WriteString("<slot " + strconv.Itoa(p.Slot) + ">")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// normal merges adjacent literal parts and drops empty literal ones, so that
// equal words compare equal. The empty word is a non-nil empty slice.
func normal(w Word) Word {
	out := make(Word, 0, len(w))
	for _, p := range w {
		if p.literal() {
			p.Slot = Literal
			if p.Text == "" {
				continue
			}
			if n := len(out); n > 0 && out[n-1].Slot == Literal {
				out[n-1].Text += p.Text
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// Concat joins words into one, merging adjacent literal text.
func Concat(ws ...Word) Word {
	var out Word
	for _, w := range ws {
		out = append(out, w...)
	}
	return normal(out)
}

// is reports whether w is exactly the literal s.
func (w Word) is(s string) bool {
	t, ok := w.Literal()
	return ok && t == s
}

// head returns the literal text at the start of w, before any run-time part.
func (w Word) head() string {
	if len(w) > 0 && w[0].literal() {
		return w[0].Text
	}
	return ""
}

// cut splits w around the first sep found in its literal parts.
func (w Word) cut(sep string) (before, after Word, found bool) {
	for i, p := range w {
		if !p.literal() {
			continue
		}
		if j := strings.Index(p.Text, sep); j >= 0 {
			before = Concat(w[:i], Lit(p.Text[:j]))
			after = Concat(Lit(p.Text[j+len(sep):]), w[i+1:])
			return before, after, true
		}
	}
	return w, nil, false
}

// cutPrefix removes the literal prefix s from w.
func (w Word) cutPrefix(s string) (Word, bool) {
	if !strings.HasPrefix(w.head(), s) {
		return w, false
	}
	return Concat(Lit(w[0].Text[len(s):]), w[1:]), true
}

// splitCommas splits w at the commas of its literal parts, as a
// comma-separated list flag does; a slot is never split.
func (w Word) splitCommas() []Word {
	var out []Word
	rest := w
	for {
		before, after, found := rest.cut(",")
		if !found {
			return append(out, rest)
		}
		out = append(out, before)
		rest = after
	}
}
