// Questions about image parameters that several checks ask of the model:
// which parameters carry an image, and whether one is deployed.

package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// imageParams returns the parameters of fl's function that carry an
// image, by what flows into or out of them, never by their names: a caller
// in the package passes an image, the function builds, loads, re-tags or
// deploys it, or its type is a configured image type.
func (ix *index) imageParams(fl *flow) []*types.Var {
	if fl.fn == nil {
		return nil
	}
	sig := fl.fn.Type().(*types.Signature)
	var params []*types.Var
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		t := p.Type()
		if sig.Variadic() && i == sig.Params().Len()-1 || !(isStringType(t) || ix.s.isImageType(t)) {
			continue
		}
		if ix.s.isImageType(t) || ix.paramEffect(fl.fn, i)&imageEffects != 0 || ix.imagePassed(fl.fn, i) {
			params = append(params, p)
		}
	}
	return params
}

// imagePassed reports whether a caller in the package passes an image as
// argument i of fn: a producer's result, a constant image reference, or a
// value the caller builds, loads or deploys.
func (ix *index) imagePassed(fn *types.Func, i int) bool {
	for _, ref := range ix.callers[fn] {
		call := ref.cs.call
		if i >= len(call.Args) {
			continue
		}
		v := ix.resolve(ref.fl, call.Args[i])
		switch {
		case v.kind == vProduced:
			return true
		case v.kind == vConst:
			if _, ok := candidateImage(v.str); ok {
				return true
			}
		case v.known() && ix.reachesStep(ref.fl, v, call):
			return true
		}
	}
	return false
}

// reachesStep reports whether v is an image of a step of fl other than
// the one made by call.
func (ix *index) reachesStep(fl *flow, v value, call *ast.CallExpr) bool {
	for _, st := range ix.steps(fl) {
		if st.at == call {
			continue
		}
		for _, w := range st.images {
			if w.same(v) {
				return true
			}
		}
	}
	return false
}

// paramDeployed reports whether p reaches a deploy step of fl: as the
// deployed value, or anywhere in the arguments of a deploying call.
func (ix *index) paramDeployed(fl *flow, p *types.Var) bool {
	for _, st := range ix.steps(fl) {
		if st.kind != stepDeploy {
			continue
		}
		if st.opaque() && st.via == nil {
			return true // make deploy, a directory it cannot read: maybe p
		}
		for i, v := range st.images {
			if v.kind == vParam && v.param == p {
				return true
			}
			if e := st.exprs[i]; e != nil && mentions(ix.info, e, p) {
				return true
			}
		}
		if call, ok := st.at.(*ast.CallExpr); ok && st.via != nil {
			for _, arg := range call.Args {
				if ix.mentionsThrough(arg, p, 2) {
					return true
				}
			}
		}
	}
	return false
}

// mentionsThrough reports whether e refers to obj, directly or through the
// definitions of the local variables it reads, depth levels deep: a config
// built from the parameter and handed to a deploy call.
func (ix *index) mentionsThrough(e ast.Expr, obj types.Object, depth int) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || found {
			return !found
		}
		if ix.info.Uses[id] == obj {
			found = true
		} else if v, ok := ix.info.Uses[id].(*types.Var); ok && depth > 0 && ix.paramOf[v] == nil {
			for _, src := range ix.defs[v] {
				if src.rhs != nil && ix.mentionsThrough(src.rhs, obj, depth-1) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// mentions reports whether e refers to obj.
func mentions(info *types.Info, e ast.Expr, obj types.Object) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// useParamFix replaces the constant e with the function's image parameter,
// when there is exactly one, it is deployed nowhere, and e is a single
// constant expression.
func (ix *index) useParamFix(fl *flow, e ast.Expr) []analysis.SuggestedFix {
	if !isStringConst(ix.info, e) {
		return nil
	}
	params := ix.imageParams(fl)
	if len(params) != 1 || ix.paramDeployed(fl, params[0]) {
		return nil
	}
	p := params[0]
	text := p.Name()
	if !isStringType(p.Type()) {
		if !hasStringMethod(p.Type()) {
			return nil
		}
		text += ".String()"
	}
	return replaceFix(fmt.Sprintf("Use the image parameter %s", p.Name()), e, text)
}

func hasStringMethod(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "String")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && isStringType(sig.Results().At(0).Type())
}
