package workflow

import (
	"sort"
	"strings"
)

// Pos is a position in the workflow file: 1-based line and byte column.
type Pos struct {
	Line, Col int
}

// IsValid reports whether p is a position at all.
func (p Pos) IsValid() bool { return p.Line > 0 }

// lineMap maps byte offsets in a YAML string's value back to the file: the
// value of a block scalar (| or >) or a multi-line plain one is its source
// lines without their indentation, joined by newlines or, folded, spaces.
type lineMap struct {
	segs []segment // by offset
}

// segment says that the value from offset off on is the file text at pos.
type segment struct {
	off int
	pos Pos
}

// newLineMap finds the source lines of value, a YAML scalar that starts at
// start (its first character, or its | or > indicator) in the file whose
// lines are given. Each source line is matched in order against the value:
// where one cannot be (an escape sequence in a quoted string), the rest of
// the value maps to the last line found, approximately.
func newLineMap(lines []string, value string, start Pos) lineMap {
	if start.Line < 1 || start.Line > len(lines) {
		return lineMap{segs: []segment{{0, start}}}
	}
	head := lines[start.Line-1]
	col := start.Col - 1
	if col < 0 || col > len(head) {
		return lineMap{segs: []segment{{0, start}}}
	}
	m := lineMap{}
	cursor := 0
	next := start.Line // index of the line after the first one
	switch rest := head[col:]; {
	case strings.HasPrefix(rest, "|") || strings.HasPrefix(rest, ">"):
		// A block scalar: the value starts on the next line.
	case strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "'"):
		m.segs = append(m.segs, segment{0, Pos{start.Line, start.Col + 1}})
		cursor = commonPrefix(value, rest[1:])
	default:
		m.segs = append(m.segs, segment{0, start})
		cursor = commonPrefix(value, rest)
	}
	for l := next; l < len(lines) && cursor < len(value); l++ {
		line := lines[l]
		text := strings.TrimLeft(line, " \t")
		if text == "" {
			continue
		}
		at := strings.Index(value[cursor:], text)
		if at < 0 {
			// A quoted scalar's closing line ("...end") or a line with
			// escapes: match its text up to the first difference.
			at = strings.IndexFunc(value[cursor:], func(r rune) bool { return r != ' ' && r != '\n' && r != '\t' })
			if at < 0 || commonPrefix(value[cursor+at:], text) == 0 {
				break
			}
		}
		if strings.TrimLeft(value[cursor:cursor+at], " \t\n") != "" {
			break // not the next line of the value
		}
		off := cursor + at
		m.segs = append(m.segs, segment{off, Pos{l + 1, len(line) - len(text) + 1}})
		cursor = off + commonPrefix(value[off:], text)
	}
	if len(m.segs) == 0 { // an empty block scalar
		m.segs = []segment{{0, start}}
	}
	return m
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// at returns the file position of offset off of the value.
func (m lineMap) at(off int) Pos {
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].off > off }) - 1
	if i < 0 {
		i = 0
	}
	s := m.segs[i]
	return Pos{s.pos.Line, s.pos.Col + off - s.off}
}
