package manifest

import (
	"cmp"
	"slices"
	"strings"
	"text/template/parse"

	"honnef.co/go/tools/printf"
)

// piece is a segment of the input with its byte range there.
type piece struct {
	Segment
	start, end int
}

// lexer splits the input into text, printf verbs and template actions.
type lexer struct {
	text   string
	printf bool
	argNum int // the argument the next printf verb formats, as fmt counts
	pieces []piece
}

// lex splits text by syntax. It fails, and the caller gives up on the
// text, when the text is not a valid printf format or template.
func lex(text string, syntax Syntax) ([]piece, bool) {
	l := &lexer{text: text, printf: syntax&Printf != 0}
	var actions [][2]int
	if syntax&Template != 0 && strings.Contains(text, "{{") {
		var ok bool
		if actions, ok = templateActions(text); !ok {
			return nil, false
		}
	}
	pos := 0
	for _, a := range actions {
		if !l.lexText(pos, a[0]) {
			return nil, false
		}
		// Verbs inside an action still take their arguments when a
		// format is a template too.
		if l.printf && !l.countVerbs(text[a[0]:a[1]]) {
			return nil, false
		}
		l.pieces = append(l.pieces, piece{Segment{Kind: Action, Text: text[a[0]:a[1]]}, a[0], a[1]})
		pos = a[1]
	}
	if !l.lexText(pos, len(text)) {
		return nil, false
	}
	return l.pieces, true
}

// lexText appends the text and printf verbs of text[start:end].
func (l *lexer) lexText(start, end int) bool {
	for start < end {
		i := end
		if l.printf {
			if j := strings.IndexByte(l.text[start:end], '%'); j >= 0 {
				i = start + j
			}
		}
		if i > start {
			l.addText(l.text[start:i], start, i)
		}
		if i == end {
			break
		}
		v, n, err := printf.ParseVerb(l.text[i:end])
		if err != nil {
			return false
		}
		arg, ok := l.take(v)
		if !ok {
			return false
		}
		if arg < 0 {
			l.addText("%", i, i+n)
		} else {
			l.pieces = append(l.pieces, piece{Segment{Kind: Arg, Text: v.Raw, Arg: arg}, i, i + n})
		}
		start = i + n
	}
	return true
}

// addText appends a text piece. Pieces are not merged: "%%" is a text
// piece of its own, shorter than the input it stands for.
func (l *lexer) addText(text string, start, end int) {
	l.pieces = append(l.pieces, piece{Segment{Kind: Text, Text: text}, start, end})
}

// countVerbs moves the argument count past the verbs in s.
func (l *lexer) countVerbs(s string) bool {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return true
		}
		v, n, err := printf.ParseVerb(s[i:])
		if err != nil {
			return false
		}
		if _, ok := l.take(v); !ok {
			return false
		}
		s = s[i+n:]
	}
}

// take returns the argument index v formats, -1 for "%%", moving the count
// as fmt does: a star takes an argument, an explicit index [n] moves to
// argument n-1. An index of 0 is invalid, as fmt reports.
func (l *lexer) take(v printf.Verb) (int, bool) {
	for _, a := range []printf.Argument{v.Width, v.Precision} {
		if s, ok := a.(printf.Star); ok {
			if s.Index == 0 {
				return 0, false
			}
			if s.Index > 0 {
				l.argNum = s.Index - 1
			}
			l.argNum++
		}
	}
	if v.Letter == '%' {
		return -1, true
	}
	switch {
	case v.Value == 0:
		return 0, false
	case v.Value > 0:
		l.argNum = v.Value - 1
	}
	n := l.argNum
	l.argNum++
	return n, true
}

// templateActions returns the byte ranges of the text/template actions in
// text, in order, consecutive actions as one range. The parser finds the
// text between actions; what is left, whitespace that "{{-" and "-}}" trim
// put aside, is an action.
func templateActions(text string) ([][2]int, bool) {
	trees := map[string]*parse.Tree{}
	root := parse.New("")
	root.Mode = parse.SkipFuncCheck
	if _, err := root.Parse(text, "", "", trees); err != nil {
		return nil, false
	}
	var texts []*parse.TextNode
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.TextNode:
			texts = append(texts, n)
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(root.Root)
	for _, t := range trees {
		if t != root {
			walk(t.Root)
		}
	}
	slices.SortFunc(texts, func(a, b *parse.TextNode) int { return cmp.Compare(a.Pos, b.Pos) })
	var actions [][2]int
	pos := 0
	gap := func(end int) bool {
		if end <= pos {
			return end == pos
		}
		start := pos + len(text[pos:end]) - len(strings.TrimLeft(text[pos:end], spaces))
		stop := pos + len(strings.TrimRight(text[pos:end], spaces))
		if start >= stop {
			return false // only space between two texts
		}
		a := text[start:stop]
		if !strings.HasPrefix(a, "{{") || !strings.HasSuffix(a, "}}") {
			return false
		}
		actions = append(actions, [2]int{start, stop})
		return true
	}
	for _, t := range texts {
		start := int(t.Pos)
		if start < pos || start+len(t.Text) > len(text) || text[start:start+len(t.Text)] != string(t.Text) || !gap(start) {
			return nil, false
		}
		pos = start + len(t.Text)
	}
	if !gap(len(text)) {
		return nil, false
	}
	return actions, true
}

// spaces are the characters "{{-" and "-}}" trim.
const spaces = " \t\r\n"

// Unconditional returns the byte ranges of the text of a text/template
// template that every execution writes as is: the text outside if, range,
// with and define blocks. A template that does not parse has none.
func Unconditional(text string) ([][2]int, bool) {
	if len(text) > maxSize {
		return nil, false
	}
	trees := map[string]*parse.Tree{}
	root := parse.New("")
	root.Mode = parse.SkipFuncCheck
	if _, err := root.Parse(text, "", "", trees); err != nil || root.Root == nil {
		return nil, false
	}
	var spans [][2]int
	for _, n := range root.Root.Nodes {
		if t, ok := n.(*parse.TextNode); ok {
			start := int(t.Pos)
			spans = append(spans, [2]int{start, start + len(t.Text)})
		}
	}
	return spans, true
}
