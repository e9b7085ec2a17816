package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// checkImageMismatch reports deploy calls of a setup flow whose image does
// not come from what the flow built and loaded: a constant with another tag
// or another spelling of the repository, or a freshly generated tag that
// never reached any build, load or producer. Values of unknown origin and
// constants unrelated to anything built are not reported.
func checkImageMismatch(c *checker) {
	for _, fl := range c.flows {
		steps := c.imageSteps(fl)
		var built []imageRef
		hasBuild := false
		for _, step := range steps {
			if step.kind == stepRetag {
				continue
			}
			hasBuild = true
			if step.kind == stepProduce {
				continue
			}
			for _, w := range step.images {
				if o := c.wordOrigin(fl, w); o.kind == originConst {
					if ref, ok := looksLikeImage(o.value); ok {
						built = append(built, ref)
					}
				}
			}
		}
		if !hasBuild {
			continue
		}
		for _, cs := range fl.calls {
			fn, ok := c.isDeployCall(fl, cs.call)
			if !ok {
				continue
			}
			for _, arg := range deployArgs(c, fn, cs.call) {
				c.checkDeployedArg(fl, cs.call, arg, built, steps)
			}
		}
	}
}

// deployArgs returns the arguments of a deploy call that may be its image:
// the deploy-sink parameters when known, else every argument.
func deployArgs(c *checker, fn *types.Func, call *ast.CallExpr) []ast.Expr {
	sink := c.deploySink(fn)
	if len(sink) == 0 {
		return call.Args
	}
	var args []ast.Expr
	for _, i := range sink {
		if i < len(call.Args) {
			args = append(args, call.Args[i])
		}
	}
	return args
}

func (c *checker) checkDeployedArg(fl *flow, deploy *ast.CallExpr, arg ast.Expr, built []imageRef, steps []imageStep) {
	o := c.resolve(fl, arg)
	switch o.kind {
	case originConst:
		ref, ok := looksLikeImage(o.value)
		if !ok {
			return
		}
		var closest *imageRef
		for i, b := range built {
			if sameImage(b, ref) {
				return
			}
			if b.path == ref.path || (closest == nil && similarRepository(b.path, ref.path)) {
				closest = &built[i]
			}
		}
		if closest != nil {
			c.reportNode(CheckImageMismatch, arg, nil,
				"deployed image %q is not the image built and loaded here (%q)", o.value, closest.raw)
		}
	case originGenerator:
		if o.call.Pos() >= deploy.Pos() && o.call.End() <= deploy.End() {
			return // generated in the deploy call itself: deploy-time-tag
		}
		if c.regenerated[o.call] || c.reachedStep(fl, o, steps) || c.usedBeyondDeploy(fl, o) {
			return
		}
		c.reportNode(CheckImageMismatch, arg, nil,
			"deployed image comes from %s (line %d), which never reached a build or load", o.fn.Name(), c.line(o.call.Pos()))
	}
}

// reachedStep reports whether the value o reaches any step's arguments,
// also inside composite literals such as an image config.
func (c *checker) reachedStep(fl *flow, o origin, steps []imageStep) bool {
	for _, step := range steps {
		for _, w := range step.images {
			if w.expr == nil {
				continue
			}
			found := false
			ast.Inspect(w.expr, func(n ast.Node) bool {
				if e, ok := n.(ast.Expr); ok && !found {
					switch e.(type) {
					case *ast.Ident, *ast.SelectorExpr, *ast.CallExpr, *ast.IndexExpr:
						found = c.resolve(fl, e).same(o)
					}
				}
				return !found
			})
			if found {
				return true
			}
		}
	}
	return false
}

// usedBeyondDeploy reports whether the variable a generator call is
// assigned to is read anywhere but in deploy calls, log output and copies
// of itself: such a read may carry it to a build we cannot see.
func (c *checker) usedBeyondDeploy(fl *flow, o origin) bool {
	for _, cs := range fl.calls {
		if cs.call != o.call {
			continue
		}
		var lhs ast.Expr
		switch stmt := cs.stmt.(type) {
		case *ast.AssignStmt:
			if len(stmt.Lhs) == 1 {
				lhs = stmt.Lhs[0]
			}
		case *ast.ValueSpec:
			if len(stmt.Names) == 1 {
				lhs = stmt.Names[0]
			}
		}
		if id, ok := lhs.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var); ok {
				return c.readBeyondDeploy(fl, v, o, make(map[*types.Var]bool))
			}
		}
	}
	return true // stored somewhere we do not follow
}

func (c *checker) readBeyondDeploy(fl *flow, v *types.Var, o origin, seen map[*types.Var]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	if !tracksReads(v) {
		return true
	}
	for _, pos := range fl.reads[v] {
		if c.inDeployOrLog(fl, pos) {
			continue
		}
		copyVar := c.copyOf(fl, pos, o)
		if copyVar == nil || c.readBeyondDeploy(fl, copyVar, o, seen) {
			return true
		}
	}
	return false
}

// copyOf returns the variable whose assignment at pos holds the same value
// o (a copy or normalisation), or nil.
func (c *checker) copyOf(fl *flow, pos token.Pos, o origin) *types.Var {
	for w, srcs := range fl.defs {
		for _, src := range srcs {
			if src.rhs != nil && src.rhs.Pos() <= pos && pos < src.rhs.End() && c.resolve(fl, src.rhs).same(o) {
				return w
			}
		}
	}
	return nil
}

// inDeployOrLog reports whether pos lies in the arguments of a deploy call
// or of a call that only prints.
func (c *checker) inDeployOrLog(fl *flow, pos token.Pos) bool {
	for _, cs := range fl.calls {
		if pos < cs.call.Lparen || pos > cs.call.Rparen {
			continue
		}
		if _, ok := c.isDeployCall(fl, cs.call); ok {
			return true
		}
		if fn := c.callee(fl, cs.call); fn != nil && fn.Pkg() != nil {
			switch fn.Pkg().Path() {
			case "fmt", "log", "log/slog":
				if fn.Name() != "Sprintf" && fn.Name() != "Sprint" {
					return true
				}
			}
		}
	}
	return false
}
