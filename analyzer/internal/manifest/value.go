package manifest

import (
	"fmt"
	"strings"
)

// SegmentKind tells what a part of a manifest value is.
type SegmentKind int

const (
	Text   SegmentKind = iota // written out
	Arg                       // a printf verb, filled by an argument of the call
	Action                    // a text/template action, filled when the template runs
)

func (k SegmentKind) String() string {
	switch k {
	case Text:
		return "Text"
	case Arg:
		return "Arg"
	case Action:
		return "Action"
	}
	return fmt.Sprintf("SegmentKind(%d)", int(k))
}

// Segment is one part of a manifest value.
type Segment struct {
	Kind SegmentKind
	Text string // the text, or the verb or action as written ("%[1]s", "{{ .Image }}")
	Arg  int    // for Arg, the printf argument index (0 = first after the format)
}

// Value is a manifest value: text, printf verbs and template actions in
// the order written. Adjacent text is one segment; an empty value has none.
type Value []Segment

// Literal returns the value when it is written out in full.
func (v Value) Literal() (string, bool) {
	var b strings.Builder
	for _, s := range v {
		if s.Kind != Text {
			return "", false
		}
		b.WriteString(s.Text)
	}
	return b.String(), true
}

// Args returns the printf arguments that fill the value, in order.
func (v Value) Args() []int {
	var args []int
	for _, s := range v {
		if s.Kind == Arg {
			args = append(args, s.Arg)
		}
	}
	return args
}

// Dynamic reports whether a template action fills part of the value.
func (v Value) Dynamic() bool {
	for _, s := range v {
		if s.Kind == Action {
			return true
		}
	}
	return false
}

// String returns the value as written, verbs and actions included.
func (v Value) String() string {
	var b strings.Builder
	for _, s := range v {
		b.WriteString(s.Text)
	}
	return b.String()
}

// appendText adds text to v, merging it with a text segment before it.
func (v Value) appendText(text string) Value {
	if text == "" {
		return v
	}
	if n := len(v); n > 0 && v[n-1].Kind == Text {
		v[n-1].Text += text
		return v
	}
	return append(v, Segment{Kind: Text, Text: text})
}
