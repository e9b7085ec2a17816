package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// CheckDiscardedImage: the image a producer built and loaded is thrown
// away, so the caller deploys some other name.
const CheckDiscardedImage = "discarded-image"

var discardedImage = register(&check{
	name:    CheckDiscardedImage,
	trigger: flowTrigger,
	rank:    100,
	run:     runDiscardedImage,
})

func runDiscardedImage(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		for i := range fl.calls {
			cs := &fl.calls[i]
			fn := ix.callee(fl, cs.call)
			if fn == nil {
				continue
			}
			result, ok := ix.producerResult(fn)
			if !ok {
				continue
			}
			how, blank := ix.discarded(fl, cs, result)
			if how == "" {
				continue
			}
			f := newFinding(CheckDiscardedImage, cs.call, "the image returned by %s is %s; bind it and deploy that value", fn.Name(), how)
			if blank != nil {
				f.fixes = ix.bindImageFix(fl, cs, blank)
			}
			// The image is lost here, not undeployed later.
			f.subject = subject{cs.call.Pos(), value{kind: vProduced, site: cs.call, fn: fn}}
			f.explains = buildsAndLoadsAt(ix.steps(fl), cs.call)
			out = append(out, f)
		}
	}
	return out
}

// bindImageFix names the discarded image and deploys it, when a later
// deploy call in the same block deploys a constant or a generated decoy.
// Only "_, err := producer(...)" statements qualify: binding with "="
// could need a declaration, and "if _, err := ...; ..." scopes the name to
// the if statement.
func (ix *index) bindImageFix(fl *flow, cs *callSite, blank *ast.Ident) []analysis.SuggestedFix {
	as, ok := cs.stmt().(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return nil
	}
	scope := ix.pass.Pkg.Scope().Innermost(as.Pos())
	if scope == nil {
		return nil
	}
	name := freshName(scope, as.Pos(), "builtImage")
	for _, st := range ix.steps(fl) {
		call, ok := st.at.(*ast.CallExpr)
		if st.kind != stepDeploy || !ok || call.Pos() <= as.End() || !within(scope, call.Pos()) {
			continue
		}
		for i, arg := range st.exprs {
			if arg == nil || !isArgOf(call, arg) || !isDecoy(st.images[i]) || ix.onlyRead(arg) {
				continue
			}
			return []analysis.SuggestedFix{{
				Message: fmt.Sprintf("Bind the image to %s and deploy it", name),
				TextEdits: []analysis.TextEdit{
					{Pos: blank.Pos(), End: blank.End(), NewText: []byte(name)},
					{Pos: arg.Pos(), End: arg.End(), NewText: []byte(name)},
				},
			}}
		}
	}
	return nil
}

// isDecoy reports whether a deployed value is an image constant or a
// generator result: never what a producer built.
func isDecoy(v value) bool {
	switch v.kind {
	case vConst:
		_, ok := candidateImage(v.str)
		return ok
	case vGenerated:
		return true
	}
	return false
}

func isArgOf(call *ast.CallExpr, e ast.Expr) bool { return argIndex(call, e) >= 0 }

// onlyRead reports whether arg is a variable read nowhere else: replacing
// it would leave it declared and not used.
func (ix *index) onlyRead(arg ast.Expr) bool {
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	return ok && (!ix.tracksReads(v) || len(ix.uses[v]) <= 1)
}

// within reports whether pos lies in scope or one of its children.
func within(scope *types.Scope, pos token.Pos) bool {
	return scope.Pos() <= pos && pos < scope.End()
}

// freshName returns base, or base with a number, that is declared
// neither in scope nor visible at pos.
func freshName(scope *types.Scope, pos token.Pos, base string) string {
	name := base
	for i := 2; ; i++ {
		if _, obj := scope.LookupParent(name, pos); obj == nil && scope.Lookup(name) == nil {
			return name
		}
		name = fmt.Sprintf("%s%d", base, i)
	}
}
