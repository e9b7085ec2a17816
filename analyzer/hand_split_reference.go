package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// CheckHandSplitReference: an image reference split by hand on ":" or "/"
// flows into a repository or tag: wrong for registries with a port and for
// digests.
const CheckHandSplitReference = "hand-split-reference"

var handSplitReference = register(&check{
	name:    CheckHandSplitReference,
	trigger: flowTrigger,
	rank:    50,
	run:     runHandSplitReference,
})

// runHandSplitReference reports strings.Split, SplitN, SplitAfter, Cut,
// Index and LastIndex on ":" or "/" whose parts reach a repository or tag
// sink: a helm repository, tag or registry key, or a container image put
// together by concatenation or Sprintf.
func runHandSplitReference(ix *index) []finding {
	var out []finding
	seen := make(map[*ast.CallExpr]bool)
	for _, fl := range ix.flows {
		for _, sink := range ix.referenceSinks(fl) {
			call := ix.splitIn(fl, sink.expr, 0)
			if call == nil || seen[call] {
				continue
			}
			seen[call] = true
			fn := ix.callee(fl, call)
			sep, _ := constString(ix.info, call.Args[1])
			f := newFinding(CheckHandSplitReference, call,
				"strings.%s splits an image reference on %q by hand, and its parts become %s: a registry with a port (localhost:5000/app:e2e) or a digest breaks it; parse the reference with github.com/distribution/reference",
				fn.Name(), sep, sink.what)
			f.relate(spanOf(sink.expr), "used as %s here", sink.what)
			f.fixes = ix.splitFix(fl, call, fn, sep)
			out = append(out, f)
		}
	}
	return out
}

// referenceSink is an expression whose value becomes part of an image.
type referenceSink struct {
	expr ast.Expr
	what string
}

// referenceSinks returns the repository and tag parts the flow deploys: a
// helm install's image keys, and the operands of a container image or
// deploy value concatenated or formatted from parts.
func (ix *index) referenceSinks(fl *flow) []referenceSink {
	var sinks []referenceSink
	for _, st := range ix.steps(fl) {
		if st.kind != stepDeploy {
			continue
		}
		if st.deploy.helm != nil {
			for _, e := range st.deploy.helm.partExprs {
				sinks = append(sinks, referenceSink{e, "a helm image value"})
			}
		}
		for _, e := range st.exprs {
			if e == nil {
				continue
			}
			for _, part := range ix.concatParts(fl, e, 0) {
				sinks = append(sinks, referenceSink{part, "part of a deployed image"})
			}
		}
	}
	return sinks
}

// concatParts returns the run-time operands of an image built by "+" or
// fmt.Sprintf, through local variables.
func (ix *index) concatParts(fl *flow, e ast.Expr, depth int) []ast.Expr {
	if depth > maxResolveDepth {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return append(ix.concatParts(fl, x.X, depth+1), ix.concatParts(fl, x.Y, depth+1)...)
		}
	case *ast.CallExpr:
		if fn := ix.callee(fl, x); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "fmt" && fn.Name() == "Sprintf" && len(x.Args) > 1 {
			return x.Args[1:]
		}
	case *ast.Ident:
		if v, ok := ix.info.Uses[x].(*types.Var); ok && ix.paramOf[v] == nil {
			if srcs := ix.defs[v]; len(srcs) == 1 && srcs[0].rhs != nil && srcs[0].index < 0 {
				if parts := ix.concatParts(srcs[0].fl, srcs[0].rhs, depth+1); len(parts) > 1 {
					return parts
				}
			}
		}
		return []ast.Expr{x}
	}
	if isStringConst(ix.info, e) {
		return nil
	}
	return []ast.Expr{e}
}

// splitIn returns the hand split e's value is a part of: parts[i] of a
// Split, a result of Cut, or a slice of the reference at an Index.
func (ix *index) splitIn(fl *flow, e ast.Expr, depth int) *ast.CallExpr {
	if depth > maxResolveDepth {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.IndexExpr: // strings.Split(ref, ":")[1], parts[1]
		if call := ix.splitCall(fl, x.X, depth); call != nil {
			return call
		}
	case *ast.SliceExpr: // ref[:strings.LastIndex(ref, ":")], ref[i+1:]
		for _, bound := range []ast.Expr{x.Low, x.High} {
			if call := ix.indexSplit(fl, bound, depth+1); call != nil {
				return call
			}
		}
	case *ast.BinaryExpr: // ref := name + ":e2e", name a part
		if x.Op == token.ADD {
			if call := ix.splitIn(fl, x.X, depth+1); call != nil {
				return call
			}
			return ix.splitIn(fl, x.Y, depth+1)
		}
	case *ast.Ident:
		v, ok := ix.info.Uses[x].(*types.Var)
		if !ok || ix.paramOf[v] != nil {
			return nil
		}
		for _, src := range ix.defs[v] {
			if src.rhs == nil {
				continue
			}
			if call, ok := ast.Unparen(src.rhs).(*ast.CallExpr); ok && src.index >= 0 && ix.isSplit(src.fl, call, "Cut") {
				return call // repo, tag, _ := strings.Cut(ref, ":")
			}
			if call := ix.splitIn(src.fl, src.rhs, depth+1); call != nil {
				return call
			}
		}
	case *ast.CallExpr: // strings.TrimPrefix(parts[0], ...) and the like
		fn := ix.callee(fl, x)
		if fn == nil || fn.Pkg() == nil || len(x.Args) == 0 {
			break
		}
		switch {
		case fn.Pkg().Path() == "strings":
			return ix.splitIn(fl, x.Args[0], depth+1)
		case fn.Pkg().Path() == "fmt" && fn.Name() == "Sprintf": // ref := fmt.Sprintf("%s:e2e", name)
			for _, arg := range x.Args[1:] {
				if call := ix.splitIn(fl, arg, depth+1); call != nil {
					return call
				}
			}
		}
	}
	return nil
}

// indexSplit returns the Index or LastIndex call a slice bound is computed
// from, directly, by arithmetic or through local variables: i+1 where
// i := strings.LastIndex(ref, ":").
func (ix *index) indexSplit(fl *flow, e ast.Expr, depth int) *ast.CallExpr {
	if e == nil || depth > maxResolveDepth {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if ix.isSplit(fl, x, "Index", "LastIndex") {
			return x
		}
	case *ast.BinaryExpr:
		if call := ix.indexSplit(fl, x.X, depth+1); call != nil {
			return call
		}
		return ix.indexSplit(fl, x.Y, depth+1)
	case *ast.Ident:
		// Integers have no recorded assignments: the one that defines
		// the index, when it is its only one.
		if v, ok := ix.info.Uses[x].(*types.Var); ok && ix.paramOf[v] == nil && fl != nil && fl.decl != nil {
			if rhs := onlyAssignment(ix.info, fl.decl.Body, v); rhs != nil {
				return ix.indexSplit(fl, rhs, depth+1)
			}
		}
	}
	return nil
}

// onlyAssignment returns the value of the one plain assignment to v in
// body, or nil when v is assigned otherwise or more than once.
func onlyAssignment(info *types.Info, body *ast.BlockStmt, v *types.Var) ast.Expr {
	var rhs ast.Expr
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		switch s := node.(type) {
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && info.ObjectOf(id) == v {
					n++
					if len(s.Lhs) == len(s.Rhs) && (s.Tok == token.DEFINE || s.Tok == token.ASSIGN) {
						rhs = s.Rhs[i]
					} else {
						n++ // op-assignment or a multi-valued call
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := s.X.(*ast.Ident); ok && info.ObjectOf(id) == v {
				n += 2
			}
		case *ast.UnaryExpr:
			if id, ok := s.X.(*ast.Ident); ok && s.Op == token.AND && info.ObjectOf(id) == v {
				n += 2 // written through a pointer
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if info.ObjectOf(name) == v {
					n++
					if len(s.Values) == len(s.Names) {
						rhs = s.Values[i]
					} else {
						n++
					}
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok && info.ObjectOf(id) == v {
					n += 2
				}
			}
		}
		return n < 2
	})
	if n != 1 {
		return nil
	}
	return rhs
}

// splitCall returns the Split call a slice expression is, or holds.
func (ix *index) splitCall(fl *flow, e ast.Expr, depth int) *ast.CallExpr {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if ix.isSplit(fl, x, "Split", "SplitN", "SplitAfter", "SplitAfterN") {
			return x
		}
	case *ast.Ident:
		if v, ok := ix.info.Uses[x].(*types.Var); ok && ix.paramOf[v] == nil && depth < maxResolveDepth {
			for _, src := range ix.defs[v] {
				if src.rhs != nil && src.index < 0 {
					if call := ix.splitCall(src.fl, src.rhs, depth+1); call != nil {
						return call
					}
				}
			}
		}
	}
	return nil
}

// isSplit reports whether call is one of the strings functions names,
// separating at ":" or "/".
func (ix *index) isSplit(fl *flow, call *ast.CallExpr, names ...string) bool {
	fn := ix.callee(fl, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "strings" || len(call.Args) < 2 {
		return false
	}
	match := false
	for _, n := range names {
		match = match || fn.Name() == n
	}
	sep, ok := constString(ix.info, call.Args[1])
	return match && ok && (sep == ":" || sep == "/")
}

// splitFix replaces strings.Cut(ref, ":") with a function that splits with
// github.com/distribution/reference, added to the file with its import.
// Other splits have no one-expression equivalent: no fix.
func (ix *index) splitFix(fl *flow, call *ast.CallExpr, fn *types.Func, sep string) []analysis.SuggestedFix {
	if fn.Name() != "Cut" || sep != ":" || fl.file == nil {
		return nil
	}
	name := "splitImageReference"
	if ix.pass.Pkg.Scope().Lookup(name) != nil {
		return nil // added already, by a fix of another call
	}
	ref := "reference"
	edits := []analysis.TextEdit{{Pos: call.Pos(), End: call.End(),
		NewText: fmt.Appendf(nil, "%s(%s)", name, ix.sourceOf(call.Args[0]))}}
	if imp := importEdit(fl.file, "github.com/distribution/reference"); imp != nil {
		edits = append(edits, *imp)
	}
	if del := ix.dropImportIfLast(fl.file, call, "strings"); del != nil {
		edits = append(edits, *del)
	}
	edits = append(edits, analysis.TextEdit{Pos: fl.file.End(), End: fl.file.End(), NewText: []byte(`
// ` + name + ` splits an image reference into its repository and tag, as
// registries read it: "localhost:5000/app:e2e" is repository
// "localhost:5000/app" and tag "e2e". ok is false when there is no tag.
func ` + name + `(s string) (repository, tag string, ok bool) {
	named, err := ` + ref + `.ParseNormalizedNamed(s)
	if err != nil {
		return s, "", false
	}
	tagged, ok := named.(` + ref + `.Tagged)
	if !ok {
		return ` + ref + `.FamiliarName(named), "", false
	}
	return ` + ref + `.FamiliarName(named), tagged.Tag(), true
}
`)})
	return []analysis.SuggestedFix{{Message: "Split the reference with github.com/distribution/reference", TextEdits: edits}}
}

// sourceOf returns the source text of e.
func (ix *index) sourceOf(e ast.Expr) string {
	p, q := ix.pass.Fset.Position(e.Pos()), ix.pass.Fset.Position(e.End())
	src, err := ix.pass.ReadFile(p.Filename)
	if err != nil || q.Offset > len(src) {
		return types.ExprString(e)
	}
	return string(src[p.Offset:q.Offset])
}

// dropImportIfLast removes the import of path from file when call holds
// its only use: the fix would leave it unused.
func (ix *index) dropImportIfLast(file *ast.File, call *ast.CallExpr, path string) *analysis.TextEdit {
	quoted := strconv.Quote(path)
	var spec *ast.ImportSpec
	for _, imp := range file.Imports {
		if imp.Path.Value == quoted {
			spec = imp
		}
	}
	if spec == nil {
		return nil
	}
	uses := 0
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if pn, ok := ix.info.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == path && !containsNode(call, id) {
				uses++
			}
		}
		return true
	})
	if uses > 0 {
		return nil
	}
	// The spec with the line it stands on.
	tf := ix.pass.Fset.File(spec.Pos())
	start := tf.LineStart(tf.Line(spec.Pos()))
	end := spec.End()
	if line := tf.Line(spec.End()); line < tf.LineCount() {
		end = tf.LineStart(line + 1)
	}
	return &analysis.TextEdit{Pos: start, End: end}
}

// importEdit adds an import of path to file, unless it has one.
func importEdit(file *ast.File, path string) *analysis.TextEdit {
	quoted := strconv.Quote(path)
	for _, imp := range file.Imports {
		if imp.Path.Value == quoted {
			return nil
		}
	}
	for _, decl := range file.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && gd.Lparen.IsValid() {
			return &analysis.TextEdit{Pos: gd.Lparen + 1, End: gd.Lparen + 1, NewText: []byte("\n\t" + quoted)}
		}
	}
	return &analysis.TextEdit{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + quoted + "\n")}
}
