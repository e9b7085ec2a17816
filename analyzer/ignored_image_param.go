package analyzer

import (
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
		var images []value // the constant of each of consts
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
						images = append(images, v)
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
			f.subject = subject{p.Pos(), value{kind: vParam, param: p}}
			for k, st := range consts {
				f.relate(ix.constSpan(st), "deploys %s here", strconv.Quote(values[0]))
				// The literal is explained here; reported alone it would say less.
				f.explains = append(f.explains, subject{st.at.Pos(), images[k]})
			}
			// The callers' images go undeployed, or mismatch what this
			// function deploys, because of this parameter.
			for _, ref := range ix.callers[fl.fn] {
				if i := paramIndex(fl.fn.Type().(*types.Signature), p); i < len(ref.cs.call.Args) {
					f.explains = append(f.explains, buildsAndLoads(ix.flowSteps(ref.fl), ix.resolve(ref.fl, ref.cs.call.Args[i]))...)
				}
				for _, v := range images {
					f.explains = append(f.explains, subject{ref.cs.call.Pos(), v})
				}
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
