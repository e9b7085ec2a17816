// Package testdiff shows where two texts differ, for the errors of tests
// that compare generated or printed text with what is checked in.
package testdiff

import (
	"fmt"
	"strings"
)

// FirstLine returns the first line where a and b differ, each shown under
// its name, or "" when they are equal. A text that has ended shows as
// (end), so a missing trailing newline is a difference too.
func FirstLine(a, b, aName, bName string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	line := func(ls []string, i int) string {
		if i < len(ls) {
			return fmt.Sprintf("%q", ls[i])
		}
		return "(end)"
	}
	for i := range max(len(as), len(bs)) {
		if al, bl := line(as, i), line(bs, i); al != bl {
			w := max(len(aName), len(bName)) + 1
			return fmt.Sprintf("line %d:\n\t%-*s %s\n\t%-*s %s", i+1, w, aName+":", al, w, bName+":", bl)
		}
	}
	return ""
}
