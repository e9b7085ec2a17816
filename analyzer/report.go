package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
)

// A finding is what a check returns: a diagnostic not yet reported.
type finding struct {
	check    string
	pos, end token.Pos
	// anchor is a second position a suppression directive may name, for
	// findings inside a string a directive cannot sit in.
	anchor  token.Pos
	message string // without the trailing "[check]"
	related []analysis.RelatedInformation
	fixes   []analysis.SuggestedFix
	// subject is what the finding is about (zero for a finding about no
	// step's image: a split reference, an environment variable); explains
	// are the images of other steps it accounts for (the build a wrong
	// deploy left undeployed). The precedence table reads both.
	subject  subject
	explains []subject
}

// A span is the source range a finding or a related location names: the
// whole expression, or the value as written inside a string or a file.
type span struct{ pos, end token.Pos }

func spanOf(n ast.Node) span { return span{n.Pos(), n.End()} }

func (s span) valid() bool { return s.pos.IsValid() }

// newFinding returns a finding of check at n.
func newFinding(check string, n ast.Node, format string, args ...any) finding {
	return finding{check: check, pos: n.Pos(), end: n.End(), message: fmt.Sprintf(format, args...)}
}

// spanFinding returns a finding of check at s.
func spanFinding(check string, s span, format string, args ...any) finding {
	return finding{check: check, pos: s.pos, end: s.end, message: fmt.Sprintf(format, args...)}
}

// relate adds a related location to f, unless it is invalid or f has it
// already: one call may be several steps of the same image.
func (f *finding) relate(s span, format string, args ...any) {
	r := analysis.RelatedInformation{Pos: s.pos, End: s.end, Message: fmt.Sprintf(format, args...)}
	if s.valid() && !slices.Contains(f.related, r) {
		f.related = append(f.related, r)
	}
}

// precedenceHook, when set by a test, sees every finding precedence drops
// and the reported finding that drops it.
var precedenceHook func(dropped, by finding)

// reportAll runs the enabled checks on ix and reports what survives
// suppression, then precedence: a finding is dropped in favour of another
// about the same subject only when that other one is reported. Directives that are malformed or
// suppress nothing are reported last. It returns the reported findings.
func reportAll(ix *index, checks []*check, directives []*directive) []finding {
	type ranked struct {
		finding
		rank int
	}
	var all []ranked
	for _, c := range checks {
		if !ix.s.enabled[c.name] {
			continue
		}
		for _, f := range c.run(ix) {
			f.check = c.name
			all = append(all, ranked{f, c.rank})
		}
	}
	var kept []ranked
	for _, f := range all {
		if !suppress(ix.pass.Fset, directives, f.check, f.pos, f.anchor) {
			kept = append(kept, f)
		}
	}
	// Highest rank first: whether a finding is reported is known before
	// any finding it may drop is considered.
	slices.SortStableFunc(kept, func(a, b ranked) int { return cmp.Compare(b.rank, a.rank) })
	var reported []finding
	for i := range kept {
		f := &kept[i].finding
		if j := slices.IndexFunc(reported, func(by finding) bool { return by.drops(f) }); j >= 0 {
			if precedenceHook != nil {
				precedenceHook(*f, reported[j])
			}
			continue
		}
		reported = append(reported, *f)
	}
	slices.SortStableFunc(reported, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.check, b.check))
	})
	// A suite's setup is in each of its lanes: what is wrong in it is
	// found once per lane, and reported once.
	reported = slices.CompactFunc(reported, func(a, b finding) bool {
		return a.check == b.check && a.pos == b.pos && a.message == b.message
	})
	for _, f := range reported {
		ix.pass.Report(analysis.Diagnostic{
			Pos:            f.pos,
			End:            f.end,
			Category:       f.check,
			Message:        f.message + " [" + f.check + "]",
			URL:            DocURL + "#" + f.check,
			SuggestedFixes: f.fixes,
			Related:        f.related,
		})
	}
	for _, dir := range directives {
		if msg := dir.problem(ix.s); msg != "" {
			ix.pass.Report(analysis.Diagnostic{
				Pos:      dir.pos,
				End:      dir.end,
				Category: checkDirective,
				Message:  msg + " [" + checkDirective + "]",
				URL:      DocURL + "#suppressing-findings",
			})
		}
	}
	return reported
}

// replaceFix is a suggested fix that replaces n with text.
func replaceFix(message string, n ast.Node, text string) []analysis.SuggestedFix {
	return []analysis.SuggestedFix{{
		Message:   message,
		TextEdits: []analysis.TextEdit{{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}},
	}}
}
