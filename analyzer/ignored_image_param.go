package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// CheckIgnoredImageParam: a function receives the image but deploys
// something else.
const CheckIgnoredImageParam = "ignored-image-param"

var ignoredImageParam = register(&check{
	name:    CheckIgnoredImageParam,
	trigger: flowTrigger,
	rank:    80,
	run:     runIgnoredImageParam,
})

// runIgnoredImageParam reports image parameters that reach no deploy step
// of a function that deploys a constant: a literal of any registry,
// written in its spec or passed to a helper that deploys it. The parameter
// may still be logged, labelled or loaded.
func runIgnoredImageParam(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		params := ix.imageParams(fl)
		if len(params) == 0 {
			continue
		}
		var consts []*step
		var values []string
		steps := ix.steps(fl)
		for i := range steps {
			st := &steps[i]
			if st.kind != stepDeploy {
				continue
			}
			for _, v := range st.images {
				if v.kind == vConst {
					if _, ok := candidateImage(v.str); ok {
						consts = append(consts, st)
						values = append(values, v.str)
						break
					}
				}
			}
		}
		if len(consts) == 0 {
			continue
		}
		for _, p := range params {
			// Returned or handed to code imagetaglint cannot see, it may be
			// deployed there; stored in a label or a log line, it is not.
			if ix.paramDeployed(fl, p) || ix.fate(p)&effEscape != 0 || ix.callersPass(fl.fn, p, values) || ix.onlyTag(fl, p) {
				continue
			}
			f := finding{
				check: CheckIgnoredImageParam, pos: p.Pos(), end: p.Pos() + token.Pos(len(p.Name())),
			}
			f.message = fl.decl.Name.Name + " receives image parameter " + p.Name() + " but deploys " + strconv.Quote(values[0]) + "; use " + p.Name()
			for _, st := range consts {
				f.relate(ix.constSpan(st), "deploys %s here", strconv.Quote(values[0]))
				// The literal is explained here; reported alone it would say less.
				f.covers = append(f.covers, findingKey{CheckHardcodedImage, ix.constSpan(st).pos})
			}
			// The callers' images go undeployed, or mismatch what this
			// function deploys, because of this parameter.
			for _, ref := range ix.callers[fl.fn] {
				if i := paramIndex(fl.fn.Type().(*types.Signature), p); i < len(ref.cs.call.Args) {
					f.covers = append(f.covers, coverUndeployed(ix.flowSteps(ref.fl), ix.resolve(ref.fl, ref.cs.call.Args[i]))...)
				}
				f.covers = append(f.covers, findingKey{CheckImageMismatch, ref.cs.call.Pos()})
			}
			if e := consts[0].exprs[0]; e != nil && consts[0].via == nil {
				f.fixes = ix.useParamFix(fl, e)
			}
			out = append(out, f)
		}
	}
	return out
}

// onlyTag reports whether p is the tag of an image whose repository the
// function names itself, "localhost/app:" + tag: it builds or loads that
// image, so a different deploy is a mismatch of what it built, not a
// parameter it ignores.
func (ix *index) onlyTag(fl *flow, p *types.Var) bool {
	for _, st := range ix.steps(fl) {
		if st.kind != stepBuild && st.kind != stepLoad {
			continue
		}
		for _, v := range st.images {
			if v.kind == vParam && v.param == p && v.repo != "" {
				return true
			}
		}
	}
	return false
}

// callersPass reports whether every caller passes p one of the images the
// function deploys: it deploys what it is given, written twice.
func (ix *index) callersPass(fn *types.Func, p *types.Var, images []string) bool {
	i := paramIndex(fn.Type().(*types.Signature), p)
	refs := ix.callers[fn]
	for _, ref := range refs {
		if i >= len(ref.cs.call.Args) {
			return false
		}
		v := ix.resolve(ref.fl, ref.cs.call.Args[i])
		same := false
		for _, image := range images {
			same = same || (v.kind == vConst && sameImage(v, value{kind: vConst, str: image}))
		}
		if !same {
			return false
		}
	}
	return len(refs) > 0
}

// constSpan is where hardcoded-image reports the constant of a step.
func (ix *index) constSpan(st *step) span {
	for _, e := range st.exprs {
		if e != nil {
			return spanOf(e)
		}
	}
	return st.span()
}

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
