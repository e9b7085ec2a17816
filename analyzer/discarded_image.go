package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkDiscardedImage reports producer calls whose image result is lost:
// assigned to _, dropped by a call, go or defer statement, or stored in a
// variable that is never read. The caller then deploys some other name.
func checkDiscardedImage(c *checker) {
	for _, fl := range c.flows {
		for _, cs := range fl.calls {
			fn := c.callee(fl, cs.call)
			if fn == nil {
				continue
			}
			result, ok := c.producerResult(fn)
			if !ok {
				continue
			}
			how, blank := c.discarded(fl, cs, result)
			if how == "" {
				continue
			}
			var fixes []analysis.SuggestedFix
			if blank != nil {
				fixes = c.bindImageFix(fl, cs, blank)
			}
			c.reportNode(CheckDiscardedImage, cs.call, fixes,
				"the image returned by %s is %s; bind it and deploy that value", fn.Name(), how)
		}
	}
}

// discarded says how the result at index result of a producer call is lost,
// or returns "". A variable counts as read when a read follows the call,
// the call is in a loop, or a closure reads it. For "assigned to _" it also returns the blank identifier.
func (c *checker) discarded(fl *flow, cs callSite, result int) (string, *ast.Ident) {
	var lhs []ast.Expr
	switch stmt := cs.stmt.(type) {
	case *ast.ExprStmt:
		return "dropped by the call statement", nil
	case *ast.GoStmt:
		return "dropped by the go statement", nil
	case *ast.DeferStmt:
		return "dropped by the defer statement", nil
	case *ast.AssignStmt:
		lhs = stmt.Lhs
	case *ast.ValueSpec:
		for _, name := range stmt.Names {
			lhs = append(lhs, name)
		}
	default:
		return "", nil
	}
	if result >= len(lhs) {
		return "", nil
	}
	id, ok := ast.Unparen(lhs[result]).(*ast.Ident)
	if !ok {
		return "", nil // stored in a field, map or slice: it may travel on
	}
	if id.Name == "_" {
		return "assigned to _", id
	}
	v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || !tracksReads(v) || isNamedResult(fl, v) || fl.readInLit[v] || cs.inLoop {
		return "", nil
	}
	for _, pos := range fl.reads[v] {
		if pos > cs.call.End() {
			return "", nil
		}
	}
	return fmt.Sprintf("stored in %s but never read", id.Name), nil
}

func isNamedResult(fl *flow, v *types.Var) bool {
	if fl.decl == nil || fl.decl.Type.Results == nil {
		return false
	}
	for _, field := range fl.decl.Type.Results.List {
		for _, name := range field.Names {
			if name.Pos() == v.Pos() {
				return true
			}
		}
	}
	return false
}

// bindImageFix names the discarded image and deploys it, when a later
// deploy call in the same block deploys a constant or a generated decoy.
// Only "_, err := producer(...)" statements qualify: binding with "="
// could need a declaration, and "if _, err := ...; ..." scopes the name to
// the if statement.
func (c *checker) bindImageFix(fl *flow, cs callSite, blank *ast.Ident) []analysis.SuggestedFix {
	as, ok := cs.stmt.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return nil
	}
	scope := c.pass.Pkg.Scope().Innermost(as.Pos())
	if scope == nil {
		return nil
	}
	name := freshName(scope, as.Pos(), "builtImage")
	for _, later := range fl.calls {
		if later.call.Pos() <= as.End() || !within(scope, later.call.Pos()) {
			continue
		}
		if _, ok := c.isDeployCall(fl, later.call); !ok {
			continue
		}
		for _, arg := range later.call.Args {
			if !c.isWrongDeployArg(fl, arg) || c.onlyRead(fl, arg) {
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

// isWrongDeployArg reports whether arg, passed to a deploy call, is an
// image constant or a generator result: never what a producer built.
func (c *checker) isWrongDeployArg(fl *flow, arg ast.Expr) bool {
	switch o := c.resolve(fl, arg); o.kind {
	case originConst:
		_, ok := looksLikeImage(o.value)
		return ok
	case originGenerator:
		return true
	}
	return false
}

// onlyRead reports whether arg is a variable read nowhere else: replacing
// it would leave it declared and not used.
func (c *checker) onlyRead(fl *flow, arg ast.Expr) bool {
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	return ok && (!tracksReads(v) || len(fl.reads[v]) <= 1)
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
