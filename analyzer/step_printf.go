// Manifests in Go strings: printf templates filled by a call, constant
// manifests, and where a value inside a string is in the source.

package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
)

// printfSteps adds the container images of a manifest template filled by
// a printf-like call: fmt's functions and wrappers of them.
func (ix *index) printfSteps(fl *flow, call *ast.CallExpr, add func(step)) {
	format, args := ix.printfArgs(fl, call)
	if !manifestImageKey.MatchString(format) {
		return
	}
	for _, c := range ix.containers(format, manifest.Printf) {
		v, e, ok := ix.fillValue(fl, c.Image, args)
		if !ok {
			continue
		}
		add(deployStep(e, "manifest", deployInfo{spec: true, pullNever: pullNever(c)}).withImage(v, e))
	}
}

// constContainers returns the containers of a constant string, which may
// be a printf format or a template as well as a manifest: the images it
// writes out in full are found either way.
func (ix *index) constContainers(text string) []manifest.Container {
	syntax := manifest.Plain
	if strings.Contains(text, "{{") {
		syntax |= manifest.Template
	}
	if strings.Contains(text, "%") {
		if cs := ix.containers(text, syntax|manifest.Printf); cs != nil {
			return cs
		}
	}
	return ix.containers(text, syntax)
}

func pullNever(c manifest.Container) bool {
	policy, ok := c.PullPolicy.Literal()
	return ok && policy == "Never"
}

// fillValue resolves a manifest value filled by printf arguments: a
// constant when all of them are, else its single run-time argument. It
// returns the expression to report (the first argument), and false for a
// value written out in full or filled by a template action.
func (ix *index) fillValue(fl *flow, image manifest.Value, args []ast.Expr) (value, ast.Expr, bool) {
	if len(image.Args()) == 0 || image.Dynamic() {
		return value{}, nil, false
	}
	var text strings.Builder
	var first, dynamic ast.Expr
	for _, seg := range image {
		if seg.Kind != manifest.Arg {
			text.WriteString(seg.Text)
			continue
		}
		if seg.Arg >= len(args) {
			return value{}, nil, false
		}
		arg := args[seg.Arg]
		if first == nil {
			first = arg
		}
		if s, ok := ix.constFill(arg); ok {
			text.WriteString(s)
			continue
		}
		if dynamic != nil {
			return value{}, first, true // two run-time parts: no single origin
		}
		dynamic = arg
	}
	if dynamic == nil {
		return value{kind: vConst, str: text.String(), site: first}, first, true
	}
	return ix.resolve(fl, dynamic), dynamic, true
}

func (ix *index) constFill(arg ast.Expr) (string, bool) {
	tv := ix.info.Types[arg]
	if tv.Value == nil {
		return "", false
	}
	if s, ok := constString(ix.info, arg); ok {
		return s, true
	}
	return tv.Value.ExactString(), true
}

// printfArgs returns the constant format of a call of a printf-like
// function (fmt's, or a wrapper the printf analyzer found) and the
// arguments it formats.
func (ix *index) printfArgs(fl *flow, call *ast.CallExpr) (string, []ast.Expr) {
	fn := ix.callee(fl, call)
	if fn == nil || call.Ellipsis.IsValid() || !ix.isPrintf(fn) {
		return "", nil
	}
	sig := fn.Type().(*types.Signature)
	i := sig.Params().Len() - 2 // the format precedes the ...any
	if i < 0 || i >= len(call.Args) {
		return "", nil
	}
	format, ok := constString(ix.info, call.Args[i])
	if !ok {
		return "", nil
	}
	return format, call.Args[i+1:]
}

// containers scans text once per pass: a format literal is both a string
// constant and a printf template, and templates are reused.
func (ix *index) containers(text string, syntax manifest.Syntax) []manifest.Container {
	key := manifestKey{text, syntax}
	cs, ok := ix.manifests[key]
	if !ok {
		cs = slices.DeleteFunc(manifest.Containers(text, syntax), func(c manifest.Container) bool {
			return c.List == "" && !ix.ownKinds()[c.Group+"/"+c.Kind]
		})
		ix.manifests[key] = cs
	}
	return cs
}

// stringSpan maps the byte range [offset, end) of the value of the
// constant string expression e to source: exact inside raw string
// literals, the whole literal piece otherwise.
func (ix *index) stringSpan(e ast.Expr, offset, end int) span {
	var pieces []ast.Expr
	var flatten func(ast.Expr)
	flatten = func(e ast.Expr) {
		if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.ADD {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		pieces = append(pieces, e)
	}
	flatten(e)
	// at maps the byte off of the value; the last byte of a range ends it.
	at := func(off int, isEnd bool) token.Pos {
		start := 0
		for _, p := range pieces {
			s, _ := constString(ix.info, p)
			if off < start+len(s) || isEnd && off == start+len(s) || p == pieces[len(pieces)-1] {
				if lit, ok := ast.Unparen(p).(*ast.BasicLit); ok && strings.HasPrefix(lit.Value, "`") && !strings.Contains(lit.Value, "\r") {
					return lit.Pos() + 1 + token.Pos(min(max(off-start, 0), len(s)))
				}
				if isEnd {
					return p.End()
				}
				return p.Pos()
			}
			start += len(s)
		}
		return e.Pos()
	}
	return span{at(offset, false), max(at(end, true), at(offset, false))}
}
