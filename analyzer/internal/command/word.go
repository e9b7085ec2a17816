// Package command recognises the image steps of a command line: builds,
// re-tags, loads into Kind, deploys with kubectl, kustomize, helm or make,
// and the script files it runs.
//
// The caller resolves a Go call such as exec.Command into an argv whose words
// may hold run-time values it tracks itself; those are opaque slots here and
// come back unchanged in the steps' values, so the caller can follow them.
// Script walks a script file (or a make recipe) the same way. Inside
// scripts, a variable the script never sets is a Var part: the value the
// environment gives it, with the script's ${NAME:-default}.
package command

import (
	"slices"
	"strconv"
	"strings"
)

// Slot values of a Part that are not caller slots.
const (
	// Literal marks a Part whose Text is literal text.
	Literal = -1
	// Unknown marks a run-time value that is neither a caller slot nor a
	// variable: a command substitution, a tilde, a script variable set to
	// something unknown. Text holds its source, for messages only.
	Unknown = -2
	// Var marks the value of the environment (or make) variable named Text
	// at run time; Default, when not nil, is its value when unset.
	Var = -3
)

// Part is a piece of a word: literal text (Slot == Literal), a caller slot
// (Slot >= 0; Text is the caller's and kept as given), a variable (Var) or
// an Unknown value. Use the predicates rather than comparing Slot.
type Part struct {
	Text string
	Slot int
	// Default is a Var's value when the variable is unset (${NAME:-d},
	// make's NAME ?= d); nil when it has none. A pointer keeps Part
	// comparable: compare words with Equal.
	Default *Word
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

// EnvVar returns the word that is the value of variable name at run time,
// empty when unset.
func EnvVar(name string) Word { return Word{{Text: name, Slot: Var}} }

// EnvVarOr returns the word that is the value of variable name at run
// time, def when unset.
func EnvVarOr(name string, def Word) Word {
	d := normal(def)
	return Word{{Text: name, Slot: Var, Default: &d}}
}

// Opaque returns a word whose value cannot be known before run time; src
// says what it is, for messages ("$(shell git describe)").
func Opaque(src string) Word { return unknown(src) }

func unknown(src string) Word { return Word{{Text: src, Slot: Unknown}} }

// IsLiteral reports whether p is literal text.
func (p Part) IsLiteral() bool { return p.literal() }

// IsSlot reports whether p is a caller slot.
func (p Part) IsSlot() bool { return p.Slot >= 0 }

// IsVar reports whether p is the value of variable p.Text at run time.
func (p Part) IsVar() bool { return p.Slot == Var }

// IsUnknown reports whether p is a value nothing here can name.
func (p Part) IsUnknown() bool { return p.Slot == Unknown }

// literal also takes for literal the other negative slots, which callers
// building parts by hand may use.
func (p Part) literal() bool { return p.Slot < 0 && p.Slot != Unknown && p.Slot != Var }

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

// Known reports whether the word has no Unknown part, defaults included:
// it is literal text, caller slots and variables only.
func (w Word) Known() bool {
	for _, p := range w {
		switch {
		case p.IsUnknown():
			return false
		case p.Default != nil && !p.Default.Known():
			return false
		}
	}
	return true
}

// Equal reports whether two words are the same, comparing variables'
// defaults by value.
func (w Word) Equal(o Word) bool {
	return slices.EqualFunc(w, o, func(a, b Part) bool {
		if a.Text != b.Text || a.Slot != b.Slot || (a.Default == nil) != (b.Default == nil) {
			return false
		}
		return a.Default == nil || a.Default.Equal(*b.Default)
	})
}

// String renders the word for messages: slots as their Text or <slot N>,
// variables as ${NAME} or ${NAME:-default}, Unknown parts as their source.
func (w Word) String() string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.Slot >= 0 && p.Text == "":
			b.WriteString("<slot " + strconv.Itoa(p.Slot) + ">")
		case p.IsVar() && p.Default != nil:
			b.WriteString("${" + p.Text + ":-" + p.Default.String() + "}")
		case p.IsVar():
			b.WriteString("${" + p.Text + "}")
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
