package manifest

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rewrite is a text made from another one, with a map back: each span of
// the new text is either copied from the old one or stands for a place in
// it.
type rewrite struct {
	text   string
	spans  []span // ordered by at
	oldLen int    // the length of the old text
}

type span struct {
	at, from int  // start in the new and in the old text
	copied   bool // the span is a copy, byte for byte
}

// origin maps an offset in the new text to one in the old text.
func (r *rewrite) origin(off int) int {
	i := sort.Search(len(r.spans), func(i int) bool { return r.spans[i].at > off }) - 1
	if i < 0 {
		return 0
	}
	s := r.spans[i]
	if s.copied {
		return s.from + off - s.at
	}
	return s.from
}

// originEnd maps an offset that ends a range in the new text to the one
// that ends it in the old text: past the whole of a stand-in.
func (r *rewrite) originEnd(end int) int {
	if end <= 0 {
		return r.origin(0)
	}
	i := sort.Search(len(r.spans), func(i int) bool { return r.spans[i].at > end-1 }) - 1
	switch {
	case i < 0:
		return 0
	case r.spans[i].copied:
		return r.spans[i].from + end - r.spans[i].at
	case i+1 < len(r.spans):
		return r.spans[i+1].from
	}
	return r.oldLen
}

// builder makes a rewrite.
type builder struct {
	b     strings.Builder
	spans []span
}

func (b *builder) copy(s string, from int) {
	b.spans = append(b.spans, span{at: b.b.Len(), from: from, copied: true})
	b.b.WriteString(s)
}

func (b *builder) stand(s string, from int) {
	b.spans = append(b.spans, span{at: b.b.Len(), from: from})
	b.b.WriteString(s)
}

func (b *builder) rewrite(oldLen int) *rewrite {
	return &rewrite{text: b.b.String(), spans: b.spans, oldLen: oldLen}
}

// markers writes placeholders as plain YAML scalars and reads them back
// from values. A marker is the piece's index between two copies of a
// separator that the text does not contain, so markers cannot be confused
// with the text: the separator has "Q" only as its first letter, so no
// occurrence of it can straddle a marker and its neighbours.
type markers struct {
	sep    string
	pieces []piece
}

func newMarkers(text string, pieces []piece) *markers {
	longest := 0
	for s := text; ; {
		i := strings.Index(s, "Qz")
		if i < 0 {
			break
		}
		s = s[i+2:]
		run := len(s) - len(strings.TrimLeft(s, "k"))
		longest = max(longest, run)
	}
	return &markers{sep: "Qz" + strings.Repeat("k", longest+1), pieces: pieces}
}

// toYAML replaces the placeholders of the pieces with markers. An
// action's newlines follow its marker, so that lines after it keep their
// numbers. An action alone on its lines, such as {{ if }}, {{ end }} or
// {{ range }}, leaves just its newlines: the YAML around it stays valid.
func (m *markers) toYAML() *rewrite {
	var b builder
	for i, p := range m.pieces {
		switch {
		case p.Kind == Text && len(p.Text) == p.end-p.start:
			b.copy(p.Text, p.start)
		case p.Kind == Action:
			newlines := strings.Repeat("\n", strings.Count(p.Text, "\n"))
			if m.aloneOnLine(i) {
				b.stand(newlines, p.start)
			} else {
				b.stand(m.marker(i)+newlines, p.start)
			}
		case p.Kind == Arg:
			b.stand(m.marker(i), p.start)
		default: // "%%"
			b.stand(p.Text, p.start)
		}
	}
	oldLen := 0
	if len(m.pieces) > 0 {
		oldLen = m.pieces[len(m.pieces)-1].end
	}
	return b.rewrite(oldLen)
}

// aloneOnLine reports whether only blanks surround piece i on its lines.
// Text pieces are split only at placeholders and "%%", which are not blank.
func (m *markers) aloneOnLine(i int) bool {
	if i > 0 {
		before := m.pieces[i-1]
		j := strings.LastIndexByte(before.Text, '\n')
		if before.Kind != Text || j < 0 && i > 1 || strings.Trim(before.Text[j+1:], " \t") != "" {
			return false
		}
	}
	if i+1 < len(m.pieces) {
		after := m.pieces[i+1]
		line, _, found := strings.Cut(after.Text, "\n")
		if after.Kind != Text || !found && i+2 < len(m.pieces) || strings.Trim(line, " \t\r") != "" {
			return false
		}
	}
	return true
}

func (m *markers) marker(i int) string { return m.sep + strconv.Itoa(i) + m.sep }

// value turns a scalar with markers into a Value. Text that only looks
// like a marker (YAML escapes can spell one) stays text.
func (m *markers) value(s string) Value {
	v := Value{}
	for {
		i := strings.Index(s, m.sep)
		if i < 0 {
			return v.appendText(s)
		}
		rest := s[i+len(m.sep):]
		digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
		n, err := strconv.Atoi(rest[:digits])
		if err != nil || n >= len(m.pieces) || m.pieces[n].Kind == Text || !strings.HasPrefix(rest[digits:], m.sep) {
			v = v.appendText(s[:i+len(m.sep)])
			s = rest
			continue
		}
		v = append(v.appendText(s[:i]), m.pieces[n].Segment)
		s = rest[digits+len(m.sep):]
	}
}

// dedent removes the indentation common to all non-blank lines, so that a
// manifest indented with the Go code around it parses as YAML. Lines stay
// where they are.
func dedent(text string) *rewrite {
	prefix, first := "", true
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if first {
			prefix, first = indent, false
			continue
		}
		for !strings.HasPrefix(indent, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	var b builder
	if prefix == "" {
		b.copy(text, 0)
		return b.rewrite(len(text))
	}
	from := 0
	for line := range strings.SplitSeq(text, "\n") {
		cut := 0
		if strings.HasPrefix(line, prefix) {
			cut = len(prefix)
		}
		b.copy(line[cut:], from+cut)
		from += len(line)
		if from < len(text) {
			b.copy("\n", from)
			from++
		}
	}
	return b.rewrite(len(text))
}

// yamlText maps the positions gopkg.in/yaml.v3 reports in a text, 1-based
// lines and columns in characters, to byte offsets. Its scanner breaks lines
// at "\r\n", "\r", "\n", NEL, LS and PS, and a byte order mark at the start
// is not part of line 1.
type yamlText struct {
	text  string
	lines []int // byte offsets where lines start
}

func newYAMLText(text string) *yamlText {
	lines := []int{0}
	if strings.HasPrefix(text, "\uFEFF") {
		lines[0] = len("\uFEFF")
	}
	for off := lines[0]; off < len(text); {
		r, n := utf8.DecodeRuneInString(text[off:])
		off += n
		switch r {
		case '\r':
			if strings.HasPrefix(text[off:], "\n") {
				off++
			}
		case '\n', '\u0085', '\u2028', '\u2029':
		default:
			continue
		}
		lines = append(lines, off)
	}
	return &yamlText{text, lines}
}

func (y *yamlText) offset(line, col int) int {
	if line < 1 || line > len(y.lines) {
		return 0
	}
	off := y.lines[line-1]
	for c := 1; c < col && off < len(y.text); c++ {
		_, n := utf8.DecodeRuneInString(y.text[off:])
		off += n
	}
	return off
}

// valueEnd returns the end of the scalar written at off in YAML text: its
// closing quote, or the end of a plain scalar's line before a comment or a
// flow indicator (no image holds one). A block scalar ends at its
// indicator's line.
func valueEnd(text string, off int) int {
	if off >= len(text) {
		return len(text)
	}
	switch text[off] {
	case '"':
		for i := off + 1; i < len(text); i++ {
			switch text[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(text)
	case '\'':
		for i := off + 1; i < len(text); i++ {
			if text[i] == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(text)
	}
	end := off
	for i := off; i < len(text); i++ {
		c := text[i]
		if c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == '#' && i > off && (text[i-1] == ' ' || text[i-1] == '\t') {
			break
		}
		if c != ' ' && c != '\t' {
			end = i + 1
		}
	}
	return end
}

// lineStarts returns the byte offsets at which the lines of text start, as
// go/token counts lines.
func lineStarts(text string) []int {
	lines := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// lineCol returns the 1-based line and byte column of off.
func lineCol(lines []int, off int) (line, col int) {
	line = sort.SearchInts(lines, off+1)
	return line, off - lines[line-1] + 1
}
