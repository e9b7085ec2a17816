// Questions about what becomes of a value that several checks ask of the
// model: whether it escapes the flow or is lost where it is made.

package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
)

// escapes reports whether v may be deployed outside the flow: it is a
// parameter, a package-level variable, or a local one that is returned,
// stored or passed where imagetaglint does not follow.
func (ix *index) escapes(v value) bool {
	if v.kind == vParam {
		return true
	}
	if call, ok := v.site.(*ast.CallExpr); ok && v.holder == nil {
		// Used where it was made: what receives the call's result?
		if cs := ix.callSite(call); cs != nil {
			anc := ancestorsAt(cs.cur)
			return ix.useFate(nil, call, anc[:], make(map[*types.Var]bool))&(effEscape|effStore) != 0
		}
		return true
	}
	switch h := v.holder.(type) {
	case *types.Var:
		if isPackageLevel(h) || h.IsField() || ix.paramOf[h] != nil || ix.litParams[h] {
			return true
		}
		return ix.fate(h)&(effEscape|effStore) != 0
	case *types.Const:
		return false
	}
	return false
}

// callSite returns the site of call.
func (ix *index) callSite(call *ast.CallExpr) *callSite {
	if ix.siteOf == nil {
		ix.siteOf = make(map[*ast.CallExpr]*callSite)
		for _, fl := range ix.flows {
			for i := range fl.calls {
				ix.siteOf[fl.calls[i].call] = &fl.calls[i]
			}
		}
	}
	return ix.siteOf[call]
}

// discarded says how the result at index result of a producer call is lost,
// or returns "". A variable counts as read when a read follows the call,
// the call is in a loop, or a closure reads it. For "assigned to _" it also
// returns the blank identifier.
func (ix *index) discarded(fl *flow, cs *callSite, result int) (string, *ast.Ident) {
	var lhs []ast.Expr
	switch stmt := cs.stmt().(type) {
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
	v, ok := ix.info.ObjectOf(id).(*types.Var)
	if !ok || !ix.tracksReads(v) || isPackageLevel(v) || isNamedResult(fl, v) || cs.inLoop() {
		return "", nil
	}
	for _, u := range ix.uses[v] {
		if u.id.Pos() > cs.call.End() || u.inLit() {
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
