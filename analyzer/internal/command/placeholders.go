package command

import (
	"strconv"
	"strings"
)

// placeholders stand for the run-time parts of a word while a parser that
// knows nothing of slots (the shell's, helm's strvals) reads its text. A
// placeholder is letters, digits and an underscore, which both keep as
// literal text, so each comes back whole and maps to its part: a slot is
// never split or merged with another.
type placeholders struct {
	prefix string
	parts  []Part
	text   string // the word with each run-time part replaced by its placeholder
	spans  []span // where the placeholders are in text, in order
}

type span struct{ at, n int }

func newPlaceholders(w Word) *placeholders {
	// The prefix occurs in no literal text, even with its backslashes
	// removed by unquoting, and its first letter occurs in it only once, so
	// no literal text next to a placeholder can form a false one.
	ph := &placeholders{prefix: "Zq"}
	for clash := true; clash; {
		clash = false
		for _, p := range w {
			if p.literal() && (strings.Contains(p.Text, ph.prefix) ||
				strings.Contains(strings.ReplaceAll(p.Text, `\`, ""), ph.prefix)) {
				ph.prefix += "q"
				clash = true
				break
			}
		}
	}
	var b strings.Builder
	for _, p := range w {
		if p.literal() {
			b.WriteString(p.Text)
			continue
		}
		name := ph.prefix + strconv.Itoa(len(ph.parts)) + "_"
		ph.spans = append(ph.spans, span{b.Len(), len(name)})
		b.WriteString(name)
		ph.parts = append(ph.parts, p)
	}
	ph.text = b.String()
	return ph
}

// restore maps the placeholders in s back to their parts.
func (ph *placeholders) restore(s string) Word {
	var out Word
	for {
		i := strings.Index(s, ph.prefix)
		if i < 0 || len(ph.parts) == 0 {
			break
		}
		j := i + len(ph.prefix)
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		n, err := strconv.Atoi(s[j:k])
		if err != nil || k == len(s) || s[k] != '_' || n >= len(ph.parts) {
			out = append(out, Part{Text: s[:j], Slot: Literal})
			s = s[j:]
			continue
		}
		out = append(out, Part{Text: s[:i], Slot: Literal}, ph.parts[n])
		s = s[k+1:]
	}
	return normal(append(out, Part{Text: s, Slot: Literal}))
}

// has reports whether s holds a placeholder.
func (ph *placeholders) has(s string) bool {
	return len(ph.parts) > 0 && strings.Contains(s, ph.prefix)
}

// offset maps an offset in text to one in the word's literal text, where
// run-time parts take no bytes; an offset inside a placeholder maps to its
// start.
func (ph *placeholders) offset(i int) int {
	out := i
	for _, s := range ph.spans {
		if s.at >= i {
			break
		}
		out -= min(s.n, i-s.at)
	}
	return out
}
