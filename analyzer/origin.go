package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// originKind says where a string value comes from.
type originKind int

const (
	originUnknown   originKind = iota // run-time data: environment, files, computation
	originConst                       // a string constant
	originProducer                    // the image returned by a producer call
	originGenerator                   // the result of a generator call
	originParam                       // a parameter of the enclosing function
)

// origin answers "where did this string come from" for every check.
type origin struct {
	kind  originKind
	value string        // originConst
	call  *ast.CallExpr // originProducer, originGenerator
	fn    *types.Func   // the producer or generator called
	param *types.Var    // originParam
	expr  ast.Expr      // for originConst: the constant expression, for reports
}

func (o origin) same(p origin) bool {
	if o.kind != p.kind {
		return false
	}
	switch o.kind {
	case originConst:
		return o.value == p.value
	case originProducer, originGenerator:
		return o.call == p.call
	case originParam:
		return o.param == p.param
	}
	return false
}

// maxResolveDepth bounds how many assignments resolve follows.
const maxResolveDepth = 24

// resolve reports where the string value of e, evaluated in fl, comes from.
// It follows local variables, struct fields, maps with constant keys,
// conversions and the normalisations real setup code applies (Sprintf with
// one dynamic argument, TrimPrefix, concatenation with a constant). A value
// assigned in more than one way resolves only when every assignment agrees.
func (c *checker) resolve(fl *flow, e ast.Expr) origin {
	return c.resolveDepth(fl, e, 0)
}

func (c *checker) resolveDepth(fl *flow, e ast.Expr, depth int) origin {
	if e == nil || depth > maxResolveDepth {
		return origin{}
	}
	e = ast.Unparen(e)
	if o, ok := fl.origins[e]; ok {
		return o
	}
	fl.origins[e] = origin{} // breaks cycles through self-referencing assignments
	o := c.resolveUncached(fl, e, depth)
	fl.origins[e] = o
	return o
}

func (c *checker) resolveUncached(fl *flow, e ast.Expr, depth int) origin {
	info := c.pass.TypesInfo
	if s, ok := constString(info, e); ok {
		return origin{kind: originConst, value: s, expr: e}
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return origin{}
		}
		if fl.params[v] {
			if len(fl.defs[v]) == 0 {
				return origin{kind: originParam, param: v}
			}
			return origin{} // the caller's value or a default: no single origin
		}
		return c.unanimous(fl, fl.defs[v], depth)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if c.fromOutside(fl, e.X) {
				return origin{} // the caller filled it
			}
			return c.unanimous(fl, fl.fieldDefs[sel.Obj().(*types.Var)], depth)
		}
	case *ast.IndexExpr:
		return c.resolveMapIndex(fl, e, depth)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			// "localhost/" + name: the constant side is decoration.
			if isStringConst(info, e.X) {
				return c.resolveDepth(fl, e.Y, depth+1)
			}
			if isStringConst(info, e.Y) {
				return c.resolveDepth(fl, e.X, depth+1)
			}
		}
	case *ast.CallExpr:
		return c.resolveCall(fl, e, depth)
	}
	return origin{}
}

// fromOutside reports whether the struct e is a parameter, receiver or
// package-level variable: its fields were set outside the flow. Fields are tracked per
// field, not per value, so they are only trusted on local values.
func (c *checker) fromOutside(fl *flow, e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.Ident:
			v, ok := c.pass.TypesInfo.Uses[x].(*types.Var)
			return ok && (fl.params[v] || fl.litParams[v] || isPackageLevel(v))
		}
		return false
	}
}

// unanimous resolves every assignment and returns their common origin.
func (c *checker) unanimous(fl *flow, srcs []valueSource, depth int) origin {
	var common origin
	for i, src := range srcs {
		o := c.resolveSource(fl, src, depth+1)
		if o.kind == originUnknown || (i > 0 && !o.same(common)) {
			return origin{}
		}
		common = o
	}
	return common
}

func (c *checker) resolveSource(fl *flow, src valueSource, depth int) origin {
	if src.rhs == nil {
		return origin{}
	}
	if src.index < 0 {
		return c.resolveDepth(fl, src.rhs, depth)
	}
	call, ok := ast.Unparen(src.rhs).(*ast.CallExpr)
	if !ok {
		return origin{} // v, ok := m[k] and friends
	}
	if fn := c.callee(fl, call); fn != nil {
		if r, ok := c.producerResult(fn); ok && r == src.index {
			return origin{kind: originProducer, call: call, fn: fn}
		}
	}
	return origin{}
}

func (c *checker) resolveMapIndex(fl *flow, e *ast.IndexExpr, depth int) origin {
	info := c.pass.TypesInfo
	m := mapVar(info, e.X)
	key, ok := constString(info, e.Index)
	if m == nil || !ok {
		return origin{}
	}
	srcs := fl.mapDefs[mapKey{m, key}]
	// Entries of a map literal assigned to m.
	for _, def := range fl.defs[m] {
		lit, ok := ast.Unparen(def.rhs).(*ast.CompositeLit)
		if !ok {
			continue
		}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if k, ok := constString(info, kv.Key); ok && k == key {
					srcs = append(srcs, valueSource{kv.Value, -1})
				}
			}
		}
	}
	return c.unanimous(fl, srcs, depth)
}

func (c *checker) resolveCall(fl *flow, call *ast.CallExpr, depth int) origin {
	info := c.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return c.resolveDepth(fl, call.Args[0], depth+1) // string(x), Image(x)
	}
	if lit := c.calleeLit(fl, call); lit != nil {
		return c.resolveReturns(fl, lit, depth)
	}
	fn := c.callee(fl, call)
	if fn == nil {
		return origin{}
	}
	if r, ok := c.producerResult(fn); ok && r == 0 {
		return origin{kind: originProducer, call: call, fn: fn}
	}
	if c.isGenerator(fn) {
		return origin{kind: originGenerator, call: call, fn: fn}
	}
	if fn.Pkg() == nil {
		return origin{}
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "strings.TrimPrefix", "strings.TrimSuffix", "strings.TrimSpace", "strings.ToLower", "path.Clean":
		return c.resolveDepth(fl, call.Args[0], depth+1)
	case "fmt.Sprintf":
		return c.resolveSprintf(fl, call, depth)
	}
	return origin{}
}

// resolveSprintf follows fmt.Sprintf("localhost/%s", x) to x, and computes
// Sprintf of constants.
func (c *checker) resolveSprintf(fl *flow, call *ast.CallExpr, depth int) origin {
	info := c.pass.TypesInfo
	if len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return origin{}
	}
	format, ok := constString(info, call.Args[0])
	if !ok {
		return origin{}
	}
	var dynamic ast.Expr
	var values []any
	for _, arg := range call.Args[1:] {
		tv := info.Types[arg]
		if tv.Value == nil {
			if dynamic != nil {
				return origin{} // two run-time parts: not one value's origin
			}
			dynamic = arg
			continue
		}
		switch tv.Value.Kind() {
		case constant.String:
			values = append(values, constant.StringVal(tv.Value))
		case constant.Int:
			n, _ := constant.Int64Val(tv.Value)
			values = append(values, n)
		default:
			return origin{}
		}
	}
	if dynamic != nil {
		return c.resolveDepth(fl, dynamic, depth+1)
	}
	return origin{kind: originConst, value: fmt.Sprintf(format, values...), expr: call}
}

// resolveReturns resolves a call of a function literal through its returns.
func (c *checker) resolveReturns(fl *flow, lit *ast.FuncLit, depth int) origin {
	var srcs []valueSource
	for _, ret := range fl.returns[lit] {
		if len(ret.Results) != 1 {
			return origin{}
		}
		srcs = append(srcs, valueSource{ret.Results[0], -1})
	}
	return c.unanimous(fl, srcs, depth)
}

// callee returns the function call invokes: a declared function or method,
// also through a local variable holding a function or method value.
func (c *checker) callee(fl *flow, call *ast.CallExpr) *types.Func {
	info := c.pass.TypesInfo
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		switch obj := info.Uses[fun].(type) {
		case *types.Func:
			return obj.Origin()
		case *types.Var:
			if srcs := fl.defs[obj]; len(srcs) == 1 && srcs[0].index < 0 {
				return c.funcValue(srcs[0].rhs)
			}
		}
	case *ast.SelectorExpr:
		if fn, ok := info.Uses[fun.Sel].(*types.Func); ok {
			return fn.Origin()
		}
	case *ast.IndexExpr, *ast.IndexListExpr: // explicit instantiation
		if fn, ok := typeutil.Callee(info, call).(*types.Func); ok {
			return fn.Origin()
		}
	}
	return nil
}

// funcValue returns the function a function-valued expression denotes.
func (c *checker) funcValue(e ast.Expr) *types.Func {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if fn, ok := info.Uses[e].(*types.Func); ok {
			return fn.Origin()
		}
	case *ast.SelectorExpr:
		if fn, ok := info.Uses[e.Sel].(*types.Func); ok {
			return fn.Origin()
		}
	}
	return nil
}

// calleeLit returns the function literal a local variable call invokes.
func (c *checker) calleeLit(fl *flow, call *ast.CallExpr) *ast.FuncLit {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		return fun
	case *ast.Ident:
		if v, ok := c.pass.TypesInfo.Uses[fun].(*types.Var); ok {
			if srcs := fl.defs[v]; len(srcs) == 1 && srcs[0].index < 0 {
				lit, _ := ast.Unparen(srcs[0].rhs).(*ast.FuncLit)
				return lit
			}
		}
	}
	return nil
}

// generatorOf returns the generator a call runs: the callee itself, or the
// generator a called function literal returns the result of.
func (c *checker) generatorOf(fl *flow, call *ast.CallExpr) *types.Func {
	if fn := c.callee(fl, call); fn != nil {
		if c.isGenerator(fn) {
			return fn
		}
		return nil
	}
	if lit := c.calleeLit(fl, call); lit != nil {
		if o := c.resolveReturns(fl, lit, 0); o.kind == originGenerator {
			return o.fn
		}
	}
	return nil
}
