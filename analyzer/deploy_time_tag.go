package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkDeployTimeTag reports generator calls made while deploying: inside
// the arguments of a deploy call, or as a container's image. A time- or
// random-based generator then yields a tag that was never built or loaded.
func checkDeployTimeTag(c *checker) {
	for _, fl := range c.flows {
		for _, cs := range fl.calls {
			if fn, ok := c.isDeployCall(fl, cs.call); ok {
				for _, arg := range deployArgs(c, fn, cs.call) {
					c.reportGeneratorsIn(fl, arg, fn.Name())
				}
			}
		}
		for _, si := range c.specImages(fl) {
			if si.expr != nil {
				c.reportGeneratorsIn(fl, si.expr, si.where())
			}
			for _, fill := range si.fills {
				c.reportGeneratorsIn(fl, fill, si.where())
			}
		}
	}
}

// reportGeneratorsIn reports the generator calls in e, outside function
// literals, once each.
func (c *checker) reportGeneratorsIn(fl *flow, e ast.Expr, deploying string) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			fn := c.generatorOf(fl, n)
			if fn == nil || c.deployTimeCalls[n] {
				return true
			}
			c.deployTimeCalls[n] = true
			c.reportNode(CheckDeployTimeTag, n, c.reuseTagFix(fl, n, fn),
				"%s called while deploying (%s) makes a tag that was never built or loaded; generate it once before the build and pass that value", fn.Name(), deploying)
		}
		return true
	})
}

// reuseTagFix replaces a generator call with the variable in scope that
// already holds that generator's result for the same arguments, when
// exactly one does: other arguments name another image.
func (c *checker) reuseTagFix(fl *flow, call *ast.CallExpr, fn *types.Func) []analysis.SuggestedFix {
	scope := c.pass.Pkg.Scope().Innermost(call.Pos())
	if scope == nil {
		return nil
	}
	var same []*types.Var
	for v, srcs := range fl.defs {
		if len(srcs) != 1 || v.Pos() >= call.Pos() {
			continue
		}
		if _, obj := scope.LookupParent(v.Name(), call.Pos()); obj != v {
			continue
		}
		o := c.resolveSource(fl, srcs[0], 0)
		if o.kind == originGenerator && o.fn == fn && o.call != call && c.sameArgs(o.call, call) {
			same = append(same, v)
		}
	}
	if len(same) != 1 {
		return nil
	}
	return replaceFix(fmt.Sprintf("Deploy %s, generated before the build", same[0].Name()), call, same[0].Name())
}

// sameArgs reports whether two calls pass equal constants or the same
// variables, argument by argument.
func (c *checker) sameArgs(a, b *ast.CallExpr) bool {
	if len(a.Args) != len(b.Args) {
		return false
	}
	info := c.pass.TypesInfo
	for i := range a.Args {
		x, y := ast.Unparen(a.Args[i]), ast.Unparen(b.Args[i])
		tx, ty := info.Types[x], info.Types[y]
		switch {
		case tx.Value != nil && ty.Value != nil:
			if tx.Value.ExactString() != ty.Value.ExactString() {
				return false
			}
		default:
			ix, ok1 := x.(*ast.Ident)
			iy, ok2 := y.(*ast.Ident)
			if !ok1 || !ok2 || info.Uses[ix] == nil || info.Uses[ix] != info.Uses[iy] {
				return false
			}
		}
	}
	return true
}
