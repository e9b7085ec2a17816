package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// CheckRegeneratedTag: the tag is generated twice for one image in one
// setup flow.
const CheckRegeneratedTag = "regenerated-tag"

var regeneratedTag = register(&check{
	name:    CheckRegeneratedTag,
	trigger: flowTrigger,
	rank:    70,
	run:     runRegeneratedTag,
})

// runRegeneratedTag reports a generator called again for the same image in
// one flow (same function, same arguments), and a generator result that
// replaces a tag that already reached a build or load. Calls in exclusive
// branches and calls after one that returns are not reported. A generator
// found by its summary (not configured) counts only when one of its results
// reaches an image step: fresh names also name namespaces and releases.
func runRegeneratedTag(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		var gens []*callSite
		for i := range fl.calls {
			if ix.generatorOf(fl, fl.calls[i].call) != nil {
				gens = append(gens, &fl.calls[i])
			}
		}
		if len(gens) == 0 {
			continue
		}
		steps := ix.steps(fl)
		for i, cs := range gens {
			fn := ix.generatorOf(fl, cs.call)
			if first := ix.earlierSameTag(fl, gens[:i], cs, fn); first != nil {
				if !matchesAny(ix.s.generators, fn) && !ix.generatedReachesStep(steps, first.call, cs.call) {
					continue
				}
				f := newFinding(CheckRegeneratedTag, cs.call, "%s called again for the same image (first at line %d); reuse the first result so build, load and deploy see one tag",
					fn.Name(), ix.line(first.call.Pos()))
				f.relate(spanOf(first.call), "first generated here")
				f.subject = subject{cs.call.Pos(), value{kind: vGenerated, site: cs.call, fn: fn}}
				f.explains = append(deploysOf(steps, cs.call), buildsAndLoads(steps, value{})...)
				out = append(out, f)
				continue
			}
			if v, st := ix.replacedTag(cs, steps); st != nil {
				f := newFinding(CheckRegeneratedTag, cs.call, "%s called again replaces the tag in %s, which already reached %s at line %d; reuse that tag",
					fn.Name(), v.Name(), st.where, ix.line(st.at.Pos()))
				f.relate(spanOf(st.at), "the first tag reached %s here", st.where)
				f.subject = subject{cs.call.Pos(), value{kind: vGenerated, site: cs.call, fn: fn}}
				f.explains = append(deploysOf(steps, cs.call), buildsAndLoads(steps, value{})...)
				out = append(out, f)
			}
		}
	}
	return out
}

// generatedReachesStep reports whether the result of any of calls is an
// image of a step.
func (ix *index) generatedReachesStep(steps []step, calls ...*ast.CallExpr) bool {
	for _, st := range steps {
		for _, v := range st.images {
			for _, call := range calls {
				if v.kind == vGenerated && v.site == call {
					return true
				}
			}
		}
	}
	return false
}

// deploysOf returns the deploys of call's result: regenerating explains
// why they deploy a tag never built.
func deploysOf(steps []step, call *ast.CallExpr) []subject {
	var keys []subject
	for _, st := range steps {
		if st.kind != stepDeploy {
			continue
		}
		for i, v := range st.images {
			if v.kind == vGenerated && v.site == call && st.exprs[i] != nil {
				keys = append(keys, subject{st.at.Pos(), v})
			}
		}
	}
	return keys
}

func (ix *index) earlierSameTag(fl *flow, earlier []*callSite, cs *callSite, fn *types.Func) *callSite {
	for _, prev := range earlier {
		if ix.generatorOf(fl, prev.call) == fn && ix.sameArgs(prev.call, cs.call) && !prev.inReturn() && !exclusive(prev, cs) {
			return prev
		}
	}
	return nil
}

// replacedTag returns the variable a generator call assigns with "=" and
// the earlier build or load step that already used that variable.
func (ix *index) replacedTag(cs *callSite, steps []step) (*types.Var, *step) {
	as, ok := cs.stmt().(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 {
		return nil, nil
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok {
		return nil, nil
	}
	for i := range steps {
		st := &steps[i]
		if st.at.Pos() >= cs.call.Pos() || (st.kind != stepBuild && st.kind != stepLoad) {
			continue
		}
		for _, e := range st.exprs {
			if e != nil && mentions(ix.info, e, v) {
				return v, st
			}
		}
		if call, ok := st.at.(*ast.CallExpr); ok {
			for _, arg := range call.Args {
				if mentions(ix.info, arg, v) {
					return v, st
				}
			}
		}
	}
	return nil, nil
}
