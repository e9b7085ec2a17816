package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

const directivePrefix = "//imagetaglint:ignore"

// directive is a "//imagetaglint:ignore CHECK[,CHECK] reason" comment. At
// the end of a line it suppresses findings of its checks on that line; on a
// line of its own, on the next line.
type directive struct {
	pos, end token.Pos
	filename string
	line     int // the line it applies to
	checks   []string
	reason   string
	used     bool
}

func parseDirectives(pass *analysis.Pass, files []*ast.File) []*directive {
	var dirs []*directive
	for _, f := range files {
		for _, group := range f.Comments {
			for _, com := range group.List {
				rest, ok := strings.CutPrefix(com.Text, directivePrefix)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue
				}
				fields := strings.Fields(rest)
				d := &directive{pos: com.Pos(), end: com.End()}
				p := pass.Fset.Position(com.Pos())
				d.filename, d.line = p.Filename, p.Line
				if ownLine(pass, p) {
					d.line++
				}
				if len(fields) > 0 {
					d.checks = strings.Split(fields[0], ",")
					d.reason = strings.Join(fields[1:], " ")
				}
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

// ownLine reports whether only blanks precede position p on its line.
func ownLine(pass *analysis.Pass, p token.Position) bool {
	src, err := pass.ReadFile(p.Filename)
	if err != nil || p.Offset > len(src) {
		return false
	}
	lineStart := bytes.LastIndexByte(src[:p.Offset], '\n') + 1
	return len(bytes.TrimSpace(src[lineStart:p.Offset])) == 0
}

// suppress reports whether a directive suppresses a finding of check at
// pos or anchor, and marks that directive used.
func suppress(fset *token.FileSet, dirs []*directive, check string, pos, anchor token.Pos) bool {
	p, a := fset.Position(pos), fset.Position(anchor)
	for _, d := range dirs {
		if d.filename == p.Filename && (d.line == p.Line || d.line == a.Line) && slices.Contains(d.checks, check) && d.reason != "" {
			d.used = true
			return true
		}
	}
	return false
}

// problem describes what is wrong with d, or returns "".
func (d *directive) problem(s *settings) string {
	if len(d.checks) == 0 {
		return "imagetaglint:ignore needs a check name and a reason: //imagetaglint:ignore CHECK reason"
	}
	for _, name := range d.checks {
		if !isCheck(name) {
			return fmt.Sprintf("imagetaglint:ignore names unknown check %q (checks: %s)", name, strings.Join(Checks, ", "))
		}
	}
	if d.reason == "" {
		return fmt.Sprintf("imagetaglint:ignore %s needs a reason after the check name", strings.Join(d.checks, ","))
	}
	if d.used {
		return ""
	}
	for _, name := range d.checks {
		if !s.enabled[name] {
			return "" // cannot tell whether it would suppress something
		}
	}
	return fmt.Sprintf("imagetaglint:ignore %s suppresses nothing; remove it", strings.Join(d.checks, ","))
}
