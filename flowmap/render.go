package flowmap

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// renderers are the formats, in the order Formats lists them.
var renderers = []struct {
	name   string
	render func(*bytes.Buffer, *Map) error
}{
	{"text", renderText},
	{"mermaid", renderMermaid},
	{"dot", renderDOT},
	{"json", renderJSON},
}

// Formats lists the formats Render knows, the default first.
func Formats() []string {
	names := make([]string, len(renderers))
	for i, r := range renderers {
		names[i] = r.name
	}
	return names
}

// Render writes m to w in format: "text", "mermaid", "dot" or "json"
// (see Formats). It validates m first and writes nothing when m is not
// valid. The output depends only on m.
func Render(w io.Writer, format string, m *Map) error {
	for _, r := range renderers {
		if r.name != format {
			continue
		}
		if err := m.Validate(); err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := r.render(&buf, m); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	return fmt.Errorf("flowmap: unknown format %q (known: %s)", format, strings.Join(Formats(), ", "))
}

// noImage stands for the images of a step that names none it can show,
// such as a deploy by a helper whose body is not available.
const noImage = "(no image named)"

// printable returns s safe to show on one line of a terminal or a label:
// invalid UTF-8 becomes U+FFFD and control and bidirectional formatting
// characters become escapes such as \n or \x1b, so that text read from
// the analysed files can neither break the layout nor steer a terminal.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || hidden(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				b.WriteRune(unicode.ReplacementChar)
			} else {
				b.WriteRune(r) // a real U+FFFD
			}
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case hidden(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// wrap splits printable text into lines of at most width runes at spaces;
// a longer word keeps a line of its own.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for word := range strings.FieldsSeq(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" || lines == nil {
		lines = append(lines, line)
	}
	return lines
}

// image returns the flow's image id; on a valid map it exists.
func (fl *Flow) image(id string) *Image {
	for i := range fl.Images {
		if fl.Images[i].ID == id {
			return &fl.Images[i]
		}
	}
	return &Image{}
}

// partNotes says what a reference's parts default to and why they are
// unknown: "$IMG defaults to ctl:dev", "<tag>: assigned in two ways".
func partNotes(r Ref) []string {
	var notes []string
	for _, p := range r.Parts {
		if p.Default != "" {
			notes = append(notes, p.String()+" defaults to "+p.Default)
		}
		if p.Reason != "" {
			notes = append(notes, p.String()+": "+p.Reason)
		}
	}
	return notes
}
