package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// checkRegeneratedTag reports a generator called again for the same image
// in one setup flow (same function, same arguments), and a generator result
// that replaces a tag that already reached a build or load. Build, load and
// deploy then see different tags. Calls in exclusive branches, calls after
// one that returns, and calls already reported as deploy-time-tag are not
// reported.
func checkRegeneratedTag(c *checker) {
	for _, fl := range c.flows {
		var gens []*callSite
		for i := range fl.calls {
			cs := &fl.calls[i]
			if c.generatorOf(fl, cs.call) != nil {
				gens = append(gens, cs)
			}
		}
		if len(gens) == 0 {
			continue
		}
		steps := c.imageSteps(fl)
		for i, cs := range gens {
			if c.deployTimeCalls[cs.call] {
				continue
			}
			fn := c.generatorOf(fl, cs.call)
			if first := c.earlierSameTag(fl, gens[:i], cs, fn); first != nil {
				c.regenerated[cs.call] = true
				c.reportNode(CheckRegeneratedTag, cs.call, nil,
					"%s called again for the same image (first at line %d); reuse the first result so build, load and deploy see one tag",
					fn.Name(), c.line(first.call.Pos()))
				continue
			}
			if v, step := c.replacedTag(fl, cs, steps); step != nil {
				c.regenerated[cs.call] = true
				c.reportNode(CheckRegeneratedTag, cs.call, nil,
					"%s called again replaces the tag in %s, which already reached %s at line %d; reuse that tag",
					fn.Name(), v.Name(), stepName(c, fl, step), c.line(step.call.Pos()))
			}
		}
	}
}

func (c *checker) earlierSameTag(fl *flow, earlier []*callSite, cs *callSite, fn *types.Func) *callSite {
	for _, prev := range earlier {
		if c.generatorOf(fl, prev.call) == fn && c.sameArgs(prev.call, cs.call) && !fl.exclusive(prev, cs) && !prev.inReturn {
			return prev
		}
	}
	return nil
}

// replacedTag returns the variable a generator call assigns with "=" and
// the earlier build or load step that already used that variable.
func (c *checker) replacedTag(fl *flow, cs *callSite, steps []imageStep) (*types.Var, *imageStep) {
	as, ok := cs.stmt.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 {
		return nil, nil
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, nil
	}
	for i := range steps {
		step := &steps[i]
		if step.call.Pos() >= cs.call.Pos() || (step.kind != stepBuild && step.kind != stepLoad && step.kind != stepProduce) {
			continue
		}
		for _, w := range step.images {
			if w.expr != nil && mentions(c.pass.TypesInfo, w.expr, v) {
				return v, step
			}
		}
	}
	return nil, nil
}

// stepName names the function or command of a step, for messages.
func stepName(c *checker, fl *flow, step *imageStep) string {
	if fn := c.callee(fl, step.call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() != "os/exec" {
		return fn.Name()
	}
	if argv, ok := c.execArgv(fl, step.call); ok && len(argv) > 1 {
		return argv[0].word + " " + argv[1].word
	}
	return "a build or load"
}
