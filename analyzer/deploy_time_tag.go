package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// CheckDeployTimeTag: a generator called while deploying makes a tag that
// was never built or loaded.
const CheckDeployTimeTag = "deploy-time-tag"

var deployTimeTag = register(&check{
	name:    CheckDeployTimeTag,
	trigger: flowTrigger,
	rank:    90,
	run:     runDeployTimeTag,
})

// runDeployTimeTag reports generator calls inside what a deploy step
// deploys: the argument of a parameter a summary says is deployed, a
// container's image, a manifest fill or a deploy command's image.
func runDeployTimeTag(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		var seen map[*ast.CallExpr]bool
		steps := ix.steps(fl)
		for _, st := range steps {
			if st.kind != stepDeploy {
				continue
			}
			for k, e := range st.exprs {
				if e == nil {
					continue
				}
				ast.Inspect(e, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false
					case *ast.CallExpr:
						fn := ix.generatorOf(fl, n)
						if fn == nil || seen[n] {
							return true
						}
						if seen == nil {
							seen = make(map[*ast.CallExpr]bool)
						}
						seen[n] = true
						f := newFinding(CheckDeployTimeTag, n, "%s called while deploying (%s) makes a tag that was never built or loaded; generate it once before the build and pass that value", fn.Name(), st.where)
						f.fixes = ix.reuseTagFix(fl, n, fn)
						// The tag made here is what the deploy deploys, and why
						// nothing built was deployed.
						f.subject = subject{n.Pos(), value{kind: vGenerated, site: n, fn: fn}}
						f.explains = append(buildsAndLoads(steps, value{}), subject{st.at.Pos(), st.images[k]})
						out = append(out, f)
					}
					return true
				})
			}
		}
	}
	return out
}

// reuseTagFix replaces a generator call with the variable in scope that
// already holds that generator's result for the same arguments, when
// exactly one does: other arguments name another image.
func (ix *index) reuseTagFix(fl *flow, call *ast.CallExpr, fn *types.Func) []analysis.SuggestedFix {
	scope := ix.pass.Pkg.Scope().Innermost(call.Pos())
	if scope == nil {
		return nil
	}
	var same []*types.Var
	for _, name := range localNames(scope, ix.pass.Pkg) {
		_, obj := scope.LookupParent(name, call.Pos())
		v, ok := obj.(*types.Var)
		if !ok || isPackageLevel(v) || v.Pos() >= call.Pos() {
			continue
		}
		srcs := ix.defs[v]
		if len(srcs) != 1 {
			continue
		}
		o := ix.resolveSource(srcs[0], 0)
		if o.kind == vGenerated && o.fn == fn && o.site != call && ix.sameArgs(o.site.(*ast.CallExpr), call) {
			same = append(same, v)
		}
	}
	if len(same) != 1 {
		return nil
	}
	return replaceFix(fmt.Sprintf("Deploy %s, generated before the build", same[0].Name()), call, same[0].Name())
}

// localNames returns the names declared in scope and its enclosing scopes
// up to the function's.
func localNames(scope *types.Scope, pkg *types.Package) []string {
	var names []string
	for s := scope; s != nil && s != pkg.Scope() && s.Parent() != pkg.Scope(); s = s.Parent() {
		names = append(names, s.Names()...)
	}
	return names
}
