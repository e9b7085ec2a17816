package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// imageFunc is what imagetaglint knows about a function, exported as a fact
// so that wrappers in one package are recognised in the packages using them.
type imageFunc struct {
	Producer   int   // result index of the image it returns from a producer, or -1
	Generator  bool  // it returns a generator's result
	DeploySink []int // parameters it passes into a container spec or manifest
	Retag      bool  // it re-tags an image inside the Kind node
}

func (*imageFunc) AFact() {}

func (f *imageFunc) String() string {
	var parts []string
	if f.Producer >= 0 {
		parts = append(parts, fmt.Sprintf("producer(%d)", f.Producer))
	}
	if f.Generator {
		parts = append(parts, "generator")
	}
	if len(f.DeploySink) > 0 {
		parts = append(parts, fmt.Sprintf("deploySink%v", f.DeploySink))
	}
	if f.Retag {
		parts = append(parts, "retag")
	}
	return strings.Join(parts, " ")
}

func (f *imageFunc) empty() bool {
	return f.Producer < 0 && !f.Generator && len(f.DeploySink) == 0 && !f.Retag
}

func factTypes() []analysis.Fact { return []analysis.Fact{new(imageFunc)} }

// funcFact returns the fact of fn: computed in this pass for the package's
// own functions, imported for others.
func (c *checker) funcFact(fn *types.Func) *imageFunc {
	if f, ok := c.facts[fn]; ok {
		return f
	}
	var f *imageFunc
	if fn.Pkg() != c.pass.Pkg {
		f = new(imageFunc)
		if !c.pass.ImportObjectFact(fn, f) {
			f = nil
		}
	}
	c.facts[fn] = f
	return f
}

// producerResult returns the index of the image result of a producer.
func (c *checker) producerResult(fn *types.Func) (int, bool) {
	if matchesAny(c.s.producers, fn) {
		return imageResult(fn), true
	}
	if f := c.funcFact(fn); f != nil && f.Producer >= 0 {
		return f.Producer, true
	}
	return -1, false
}

// imageResult is the first result of fn that is not an error.
func imageResult(fn *types.Func) int {
	res := fn.Type().(*types.Signature).Results()
	for i := range res.Len() {
		if !isError(res.At(i).Type()) {
			return i
		}
	}
	return 0
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func (c *checker) isGenerator(fn *types.Func) bool {
	if matchesAny(c.s.generators, fn) {
		return true
	}
	f := c.funcFact(fn)
	return f != nil && f.Generator
}

func (c *checker) deploySink(fn *types.Func) []int {
	if f := c.funcFact(fn); f != nil {
		return f.DeploySink
	}
	return nil
}

func (c *checker) isRetagHelper(fn *types.Func) bool {
	f := c.funcFact(fn)
	return f != nil && f.Retag
}

// computeFacts derives the facts of the package's functions. Wrappers may
// wrap wrappers in any order, so it iterates to a fixed point.
func (c *checker) computeFacts() {
	type declFlow struct {
		fn *types.Func
		fl *flow
	}
	var decls []declFlow
	for _, fl := range c.flows {
		if fl.decl == nil {
			continue
		}
		if fn, ok := c.pass.TypesInfo.Defs[fl.decl.Name].(*types.Func); ok {
			decls = append(decls, declFlow{fn, fl})
			c.facts[fn] = &imageFunc{Producer: -1}
		}
	}
	for changed, round := true, 0; changed && round < 8; round++ {
		changed = false
		for _, d := range decls {
			clear(d.fl.origins) // facts changed since the last round
			f := c.deriveFact(d.fn, d.fl)
			if !f.equal(c.facts[d.fn]) {
				c.facts[d.fn] = f
				changed = true
			}
		}
	}
	for _, d := range decls {
		clear(d.fl.origins)
		// Other packages can only call exported functions.
		if f := c.facts[d.fn]; d.fn.Exported() && !f.empty() {
			c.pass.ExportObjectFact(d.fn, f)
		}
	}
}

func (f *imageFunc) equal(g *imageFunc) bool {
	return f.Producer == g.Producer && f.Generator == g.Generator && f.Retag == g.Retag && slices.Equal(f.DeploySink, g.DeploySink)
}

func (c *checker) deriveFact(fn *types.Func, fl *flow) *imageFunc {
	f := &imageFunc{Producer: -1}
	sig := fn.Type().(*types.Signature)
	for _, ret := range fl.returns[nil] {
		if len(ret.Results) == 0 && sig.Results().Len() > 0 {
			// bare return: the named results are returned
			for i := range sig.Results().Len() {
				f.merge(i, c.unanimous(fl, fl.defs[sig.Results().At(i)], 0))
			}
			continue
		}
		if len(ret.Results) == 1 && sig.Results().Len() > 1 {
			// return producer(...) forwarding all results
			if call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr); ok {
				if callee := c.callee(fl, call); callee != nil {
					if r, ok := c.producerResult(callee); ok && f.Producer < 0 {
						f.Producer = r
					}
				}
			}
			continue
		}
		for i, res := range ret.Results {
			f.merge(i, c.resolve(fl, res))
		}
	}
	for _, v := range c.deployedValues(fl) {
		if o := c.resolve(fl, v); o.kind == originParam {
			if i := paramIndex(sig, o.param); i >= 0 && !slices.Contains(f.DeploySink, i) {
				f.DeploySink = append(f.DeploySink, i)
			}
		}
	}
	slices.Sort(f.DeploySink)
	for _, call := range c.nodeRetags(fl) {
		if _, ok := c.execArgv(fl, call); ok {
			f.Retag = true // the helper itself; its callers are not helpers
		}
	}
	return f
}

// merge records that result i of the function is o.
func (f *imageFunc) merge(i int, o origin) {
	switch o.kind {
	case originProducer:
		if f.Producer < 0 {
			f.Producer = i
		}
	case originGenerator:
		f.Generator = true
	}
}

func paramIndex(sig *types.Signature, v *types.Var) int {
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}
