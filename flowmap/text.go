package flowmap

import (
	"bytes"
	"fmt"
	"strings"
)

// renderText writes one block per flow: its images, its numbered steps
// with their findings, and its unknowns.
func renderText(b *bytes.Buffer, m *Map) error {
	if len(m.Flows) == 0 {
		b.WriteString("no image flows\n")
		return nil
	}
	for i := range m.Flows {
		if i > 0 {
			b.WriteByte('\n')
		}
		textFlow(b, &m.Flows[i])
	}
	return nil
}

func textFlow(b *bytes.Buffer, fl *Flow) {
	line(b, 0, "flow "+fl.Name, "("+string(fl.Kind)+")", fl.Pos.String())
	if len(fl.Images) > 0 {
		line(b, 1, "images")
		for _, im := range fl.Images {
			own := ""
			if im.Own {
				own = "(built by this repository)"
			}
			line(b, 2, im.ID, im.Ref.Text, own)
			for _, note := range partNotes(im.Ref) {
				line(b, 4, note)
			}
		}
	}
	if len(fl.Steps) == 0 {
		line(b, 1, "no image steps")
	} else {
		line(b, 1, "steps")
	}
	for i := range fl.Steps {
		textStep(b, fl, i)
	}
	if len(fl.Unknowns) > 0 {
		line(b, 1, "unknowns")
		numbers := stepNumbers(fl)
		for _, u := range fl.Unknowns {
			at := ""
			if u.Step != "" {
				at = fmt.Sprintf("(step %d)", numbers[u.Step])
			}
			line(b, 2, u.What+": "+u.Reason, u.Pos.String(), at)
		}
	}
}

func textStep(b *bytes.Buffer, fl *Flow, i int) {
	st := &fl.Steps[i]
	line(b, 2, fmt.Sprintf("%d. %s", i+1, st.Kind), stepImages(st), st.Where, st.Pos.String())
	for _, si := range st.Images {
		if si.Ref.Text != "" {
			line(b, 4, si.ID+" written as "+si.Ref.Text)
		}
	}
	if st.Command != "" {
		line(b, 4, "$ "+st.Command)
	}
	for _, c := range st.Via {
		line(b, 4, strings.TrimSpace("via "+c.Callee), c.Pos.String()) // a Makefile rule line has no callee
	}
	for _, f := range st.Findings {
		line(b, 4, "finding ["+f.Check+"] "+f.Message, f.Pos.String())
	}
}

// line writes the non-empty fields, made printable, two spaces apart,
// indented by depth steps of two spaces.
func line(b *bytes.Buffer, depth int, fields ...string) {
	b.WriteString(strings.Repeat("  ", depth))
	first := true
	for _, f := range fields {
		if f == "" {
			continue
		}
		if !first {
			b.WriteString("  ")
		}
		first = false
		b.WriteString(printable(f))
	}
	b.WriteByte('\n')
}

// stepImages shows a step's images as IDs: "i1", "i1, i2", or "i2 -> i3"
// for a re-tag.
func stepImages(st *Step) string {
	if len(st.Images) == 0 {
		return noImage
	}
	ids := make([]string, len(st.Images))
	for i, si := range st.Images {
		ids[i] = si.ID
	}
	if st.Kind.retag() {
		return strings.Join(ids, " -> ")
	}
	return strings.Join(ids, ", ")
}

// stepNumbers maps a flow's step IDs to their numbers, 1-based.
func stepNumbers(fl *Flow) map[string]int {
	n := make(map[string]int, len(fl.Steps))
	for i, st := range fl.Steps {
		n[st.ID] = i + 1
	}
	return n
}
