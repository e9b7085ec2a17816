package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// checkIgnoredImageParam reports functions that receive an image parameter
// and deploy a locally built constant image instead of it. The parameter
// may still be used for something else, such as logging or loading.
func checkIgnoredImageParam(c *checker) {
	for _, fl := range c.flows {
		params := c.imageParams(fl)
		if len(params) == 0 {
			continue
		}
		var literals []specImage
		var values []string
		for _, si := range c.specImages(fl) {
			if o := c.imageOrigin(fl, si); o.kind == originConst {
				if _, local := c.isLocal(o.value, si.pullNever); local {
					literals = append(literals, si)
					values = append(values, o.value)
				}
			}
		}
		if len(literals) == 0 {
			continue
		}
		for _, p := range params {
			if c.deploysParam(fl, p) {
				continue
			}
			for _, si := range literals {
				c.named[si.pos] = p.Name()
			}
			fixes := c.useParamFix(fl, literals[0])
			c.report(CheckIgnoredImageParam, p.Pos(), p.Pos()+token.Pos(len(p.Name())), fixes,
				"%s receives image parameter %s but deploys %q; use %s", fl.decl.Name.Name, p.Name(), values[0], p.Name())
		}
	}
}

// deploysParam reports whether p reaches a container spec, a manifest or a
// deploy call in fl.
func (c *checker) deploysParam(fl *flow, p *types.Var) bool {
	var exprs []ast.Expr
	for _, si := range c.specImages(fl) {
		if si.expr != nil {
			exprs = append(exprs, si.expr)
		}
		exprs = append(exprs, si.fills...)
	}
	for _, cs := range fl.calls {
		if _, ok := c.isDeployCall(fl, cs.call); ok {
			exprs = append(exprs, cs.call.Args...)
		}
	}
	for _, e := range exprs {
		if o := c.resolve(fl, e); o.kind == originParam && o.param == p {
			return true
		}
		if mentions(c.pass.TypesInfo, e, p) {
			return true
		}
	}
	return false
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
