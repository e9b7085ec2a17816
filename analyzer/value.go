package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// valueKind says where a string value comes from.
type valueKind uint8

const (
	vUnknown   valueKind = iota // run-time data: files, computation
	vConst                      // a string constant
	vProduced                   // the image a producer built and loaded, returned by a call
	vGenerated                  // a fresh name or tag, returned by a generator call
	vParam                      // a parameter of the enclosing declared function
	vExternal                   // a flag or environment variable: the project's image, tag unknown
)

// value answers "where did this string come from" for every check.
type value struct {
	kind  valueKind
	str   string      // vConst: the constant; vExternal: the flag or variable name, if constant
	site  ast.Expr    // vConst: the constant expression; vProduced, vGenerated, vExternal: the call
	fn    *types.Func // vProduced, vGenerated: the function called
	param *types.Var  // vParam
	// repo is the repository the value names when only its tag is a
	// run-time value: "localhost/app" for "localhost/app:" + tag.
	repo string
	// prefix and suffix are the constant text around the run-time part
	// ("quay.io/org/app:" + tag + "-amd64"), where the code writes them:
	// one run-time part with two different prefixes is two images.
	prefix, suffix string
	// holder is the variable or constant the value was read from, nearest
	// to where it was assigned: two reads of one holder are one value even
	// when its origin is unknown.
	holder types.Object
	// envValues are the references an environment read (vExternal) is known
	// to have: what the go test runs of the package that the repository
	// model knows give the variable (testEnvOf).
	envValues []string
}

func (v value) known() bool { return v.kind != vUnknown || v.holder != nil }

// same reports whether v and w are the same value.
func (v value) same(w value) bool {
	if v.kind != w.kind || v.kind != vConst && !sameDecoration(v, w) {
		return false
	}
	switch v.kind {
	case vConst:
		return v.str == w.str
	case vExternal:
		if v.str != "" || w.str != "" {
			return v.str == w.str // two reads of one variable
		}
		return v.site == w.site
	case vProduced, vGenerated:
		return v.site == w.site
	case vParam:
		return v.param == w.param
	}
	return v.holder != nil && v.holder == w.holder
}

// sameDecoration reports whether the constant text around two values'
// run-time parts may be the same: it differs only when both write a
// prefix (or both a suffix) and those differ. A part alone (a tag passed
// to --set image.tag=) may be either.
func sameDecoration(v, w value) bool {
	if v.prefix != "" && w.prefix != "" && !samePrefix(v.prefix, w.prefix) {
		return false
	}
	return v.suffix == "" || w.suffix == "" || v.suffix == w.suffix
}

// samePrefix compares two constant prefixes: their repositories in normal
// form ("app:" is "docker.io/library/app:"), the rest as written.
func samePrefix(a, b string) bool {
	if a == b {
		return true
	}
	ca, cb := strings.LastIndexByte(a, ':'), strings.LastIndexByte(b, ':')
	if ca < strings.LastIndexByte(a, '/') || cb < strings.LastIndexByte(b, '/') || a[ca:] != b[cb:] {
		return false
	}
	ra, ea := imageref.Parse(a[:ca])
	rb, eb := imageref.Parse(b[:cb])
	return ea == nil && eb == nil && imageref.Same(ra, rb)
}

// withPrefix records the constant prefix written before v's run-time
// part, and the repository it names.
func withPrefix(v value, prefix string) value {
	if v.kind == vConst {
		return v
	}
	v.prefix = prefix + v.prefix
	return withRepo(v, prefix)
}

// withRepo records on v the repository a constant prefix names, when the
// prefix is "repository:" or "repository:tag-prefix" and v fills in (the
// rest of) the tag.
func withRepo(v value, prefix string) value {
	if v.repo != "" || v.kind == vConst {
		return v
	}
	colon := strings.LastIndexByte(prefix, ':')
	if colon < 0 || colon < strings.LastIndexByte(prefix, '/') {
		return v
	}
	repo := prefix[:colon]
	if ref, err := imageref.Parse(repo); err == nil && ref.Tag == "" && ref.Digest == "" {
		v.repo = repo
	}
	return v
}

// maxResolveDepth bounds how many assignments resolve follows.
const maxResolveDepth = 24

// resolve reports where the string value of e, evaluated in fl, comes from.
// It follows variables (package-level ones too), struct fields, maps with
// constant keys, conversions, the normalisations real setup code applies
// (Sprintf with one run-time argument, TrimPrefix, concatenation with a
// constant) and calls of functions whose summary says what they return. A
// value assigned in more than one way resolves only when every assignment
// agrees.
func (ix *index) resolve(fl *flow, e ast.Expr) value {
	return ix.resolveDepth(fl, e, 0)
}

func (ix *index) resolveDepth(fl *flow, e ast.Expr, depth int) value {
	if e == nil || depth > maxResolveDepth {
		return value{}
	}
	e = ast.Unparen(e)
	if v, ok := ix.values[e]; ok {
		return v
	}
	if fl != nil && fl.lane != nil {
		fl = ix.flowAt(e.Pos()) // a lane holds no assignments: e's own flow does
	}
	ix.values[e] = value{} // breaks cycles through self-referencing assignments
	v := ix.resolveUncached(fl, e, depth)
	ix.values[e] = v
	return v
}

func (ix *index) resolveUncached(fl *flow, e ast.Expr, depth int) value {
	info := ix.info
	if s, ok := constString(info, e); ok {
		v := value{kind: vConst, str: s, site: e}
		if id, ok := e.(*ast.Ident); ok {
			v.holder = info.Uses[id]
		}
		return v
	}
	switch e := e.(type) {
	case *ast.Ident:
		obj, ok := info.Uses[e].(*types.Var)
		if !ok {
			return value{}
		}
		return ix.resolveVar(fl, obj, depth)
	case *ast.StarExpr:
		// *p where p := flag.String(...)
		if v := ix.resolveDepth(fl, e.X, depth+1); v.kind == vExternal {
			return v
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			field := sel.Obj().(*types.Var)
			if ix.fromOutside(fl, e.X) || fl == nil {
				return value{holder: field} // the caller filled it
			}
			v := ix.unanimous(fl.fieldDefs[field], depth)
			if v.holder == nil {
				v.holder = field
			}
			return v
		}
	case *ast.IndexExpr:
		return ix.resolveMapIndex(fl, e, depth)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			// "localhost/" + name: the constant side is decoration.
			if prefix, ok := constString(info, e.X); ok {
				return withPrefix(ix.resolveDepth(fl, e.Y, depth+1), prefix)
			}
			if suffix, ok := constString(info, e.Y); ok {
				v := ix.resolveDepth(fl, e.X, depth+1)
				if v.kind != vConst {
					v.suffix += suffix
				}
				return v
			}
			// repo + ":" + tag of variables that each hold a constant.
			if s, ok := ix.exactString(fl, e, depth); ok {
				return value{kind: vConst, str: s, site: e}
			}
		}
	case *ast.CallExpr:
		return ix.resolveCall(fl, e, depth)
	}
	return value{}
}

// exactString returns the string a concatenation evaluates to when every
// operand is a constant or a variable assigned only constants that agree.
// Unlike resolve, it keeps every part: resolve names a value's origin.
func (ix *index) exactString(fl *flow, e ast.Expr, depth int) (string, bool) {
	if s, ok := constString(ix.info, e); ok {
		return s, true
	}
	if depth > maxResolveDepth {
		return "", false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := ix.exactString(fl, e.X, depth+1)
		if !ok {
			return "", false
		}
		y, ok := ix.exactString(fl, e.Y, depth+1)
		return x + y, ok
	case *ast.Ident:
		v, ok := ix.info.Uses[e].(*types.Var)
		if !ok || ix.paramOf[v] != nil || ix.litParams[v] || len(ix.defs[v]) == 0 {
			return "", false
		}
		var common string
		for i, src := range ix.defs[v] {
			if src.rhs == nil || src.index >= 0 || src.external != nil {
				return "", false
			}
			s, ok := ix.exactString(src.fl, src.rhs, depth+1)
			if !ok || (i > 0 && s != common) {
				return "", false
			}
			common = s
		}
		return common, true
	}
	return "", false
}

func (ix *index) resolveVar(fl *flow, obj *types.Var, depth int) value {
	if pfl := ix.paramOf[obj]; pfl != nil {
		if len(ix.defs[obj]) == 0 && pfl == fl {
			return value{kind: vParam, param: obj, holder: obj}
		}
		return value{holder: obj} // another function's, or the caller's value or a default
	}
	if ix.litParams[obj] {
		return value{holder: obj}
	}
	v := ix.unanimous(ix.defs[obj], depth)
	if v.holder == nil {
		v.holder = obj
	}
	return v
}

// fromOutside reports whether the struct e is a parameter, receiver or
// package-level variable: its fields were set outside the flow. Fields are
// tracked per field, not per value, so they are only trusted on local
// values.
func (ix *index) fromOutside(fl *flow, e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.Ident:
			v, ok := ix.info.Uses[x].(*types.Var)
			return ok && (ix.paramOf[v] != nil || ix.litParams[v] || isPackageLevel(v))
		}
		return false
	}
}

// unanimous resolves every assignment and returns their common value. A
// variable assigned a constant and, elsewhere, a flag or environment value
// is that flag: the constant is its default.
func (ix *index) unanimous(srcs []valueSource, depth int) value {
	var common value
	for i, src := range srcs {
		v := ix.resolveSource(src, depth+1)
		switch {
		case i == 0:
			common = v
		case v.same(common):
		case v.kind == vExternal && common.kind == vConst:
			common = v
		case v.kind == vConst && common.kind == vExternal:
		default:
			return value{}
		}
		if !common.known() && len(srcs) > 1 {
			return value{}
		}
	}
	return common // one assignment of unknown origin keeps what is known of it (repo)
}

func (ix *index) resolveSource(src valueSource, depth int) value {
	if src.external != nil {
		return ix.externalValue(src.external)
	}
	if src.rhs == nil {
		return value{}
	}
	if src.index < 0 {
		return ix.resolveDepth(src.fl, src.rhs, depth)
	}
	call, ok := ast.Unparen(src.rhs).(*ast.CallExpr)
	if !ok {
		return value{} // v, ok := m[k] and friends
	}
	return ix.callResult(src.fl, call, src.index, depth)
}

func (ix *index) resolveMapIndex(fl *flow, e *ast.IndexExpr, depth int) value {
	info := ix.info
	m := mapVar(info, e.X)
	key, ok := constString(info, e.Index)
	if m == nil || !ok || fl == nil {
		return value{}
	}
	srcs := fl.mapDefs[mapKey{m, key}]
	// Entries of a map literal assigned to m.
	for _, def := range ix.defs[m] {
		lit, ok := ast.Unparen(def.rhs).(*ast.CompositeLit)
		if !ok {
			continue
		}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if k, ok := constString(info, kv.Key); ok && k == key {
					srcs = append(srcs, valueSource{rhs: kv.Value, index: -1, fl: def.fl})
				}
			}
		}
	}
	return ix.unanimous(srcs, depth)
}

func (ix *index) resolveCall(fl *flow, call *ast.CallExpr, depth int) value {
	info := ix.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return ix.resolveDepth(fl, call.Args[0], depth+1) // string(x), Image(x)
	}
	if lit := ix.calleeLit(fl, call); lit != nil {
		return ix.resolveReturns(fl, lit, depth)
	}
	return ix.callResult(fl, call, 0, depth)
}

// callResult resolves result i of a call of a declared function.
func (ix *index) callResult(fl *flow, call *ast.CallExpr, i int, depth int) value {
	fn := ix.callee(fl, call)
	if fn == nil {
		return value{}
	}
	if r, ok := ix.producerResult(fn); ok && r == i {
		return value{kind: vProduced, site: call, fn: fn}
	}
	if i == 0 && ix.isGenerator(fn) {
		return value{kind: vGenerated, site: call, fn: fn}
	}
	if isEnvRead(fn) && i == 0 {
		return ix.externalValue(call)
	}
	if sum := ix.summary(fn); sum != nil && i < len(sum.Results) {
		switch r := sum.Results[i]; r.Kind {
		case resultParam:
			if r.Param < len(call.Args) && !(call.Ellipsis.IsValid() && r.Param == len(call.Args)-1) {
				return ix.resolveDepth(fl, call.Args[r.Param], depth+1)
			}
		case resultExternal:
			return value{kind: vExternal, site: call}
		case resultConst:
			return value{kind: vConst, str: r.Const, site: call}
		}
	}
	if fn.Pkg() == nil || i != 0 || len(call.Args) == 0 {
		return value{}
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "strings.TrimPrefix", "strings.TrimSuffix", "strings.TrimSpace", "strings.ToLower", "path.Clean":
		return ix.resolveDepth(fl, call.Args[0], depth+1)
	case "fmt.Sprintf":
		return ix.resolveSprintf(fl, call, depth)
	case "path/filepath.Join", "path.Join":
		// A constant path: the manifest a call reads or applies. A
		// run-time root before constant elements is the module's one
		// file or directory ending in them.
		if call.Ellipsis.IsValid() {
			return value{}
		}
		elems := make([]string, len(call.Args))
		root := 0 // elements before root are run-time values
		for i, arg := range call.Args {
			v := ix.resolveDepth(fl, arg, depth+1)
			switch {
			case v.kind == vConst:
				elems[i] = v.str
			case root == i:
				root++
			default:
				return value{} // a run-time element after a constant one
			}
		}
		if root == 0 {
			return value{kind: vConst, str: path.Join(elems...), site: call}
		}
		if p, ok := ix.uniqueModulePath(elems[root:]); ok {
			return value{kind: vConst, str: p, site: call}
		}
	}
	return value{}
}

// externalValue is the value a flag or environment read returns, named by
// its constant flag or variable name. A flag whose default is an
// environment read, which no go test run the model knows of sets, is
// that read.
func (ix *index) externalValue(call ast.Expr) value {
	v := value{kind: vExternal, site: call}
	if c, ok := call.(*ast.CallExpr); ok && len(c.Args) > 0 {
		name := 0
		if u, ok := ast.Unparen(c.Args[0]).(*ast.UnaryExpr); ok && u.Op == token.AND && len(c.Args) > 1 {
			name = 1 // StringVar(&v, name, ...)
		}
		v.str, _ = constString(ix.info, c.Args[name])
		switch {
		case v.str == "":
		case ix.isOSEnvRead(c):
			v.envValues = ix.testEnvOf(v.str).values
		default:
			def := name + 1
			if fn := ix.staticCallee(c); fn != nil && strings.HasSuffix(fn.Name(), "P") {
				def++ // StringP(name, shorthand, value, usage)
			}
			rs := ix.repository()
			if d, ok := ast.Unparen(argAt(c, def)).(*ast.CallExpr); ok && ix.isOSEnvRead(d) && rs.model != nil && rs.model.FlagUnset(ix.packageDir(), v.str) {
				return ix.externalValue(d)
			}
		}
	}
	return v
}

// argAt is argument i of call, nil past its last.
func argAt(call *ast.CallExpr, i int) ast.Expr {
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

// isEnvRead reports whether fn reads the environment or defines a string
// flag: its result is the user's value.
func isEnvRead(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os":
		return fn.Name() == "Getenv" || fn.Name() == "LookupEnv"
	case "flag", "github.com/spf13/pflag":
		switch fn.Name() {
		case "String", "StringP":
			return true
		}
	}
	return false
}

// isFlagVar reports whether the pointer argument ptr of call is the target
// of a string flag: flag.StringVar(&v, ...), fs.StringVar(&v, ...).
func (ix *index) isFlagVar(call *ast.CallExpr, ptr ast.Expr) bool {
	fn, ok := typeutil.Callee(ix.info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || len(call.Args) == 0 || call.Args[0] != ptr {
		return false
	}
	switch fn.Pkg().Path() {
	case "flag", "github.com/spf13/pflag":
		return fn.Name() == "StringVar" || fn.Name() == "StringVarP"
	}
	return false
}

// resolveSprintf follows fmt.Sprintf("localhost/%s", x) to x, and computes
// Sprintf of constants.
func (ix *index) resolveSprintf(fl *flow, call *ast.CallExpr, depth int) value {
	info := ix.info
	if len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return value{}
	}
	format, ok := constString(info, call.Args[0])
	if !ok {
		return value{}
	}
	var dynamic ast.Expr
	var values []any
	for _, arg := range call.Args[1:] {
		tv := info.Types[arg]
		if tv.Value == nil {
			if dynamic != nil {
				return value{} // two run-time parts: not one value's origin
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
			return value{}
		}
	}
	if dynamic != nil {
		v := ix.resolveDepth(fl, dynamic, depth+1)
		segs := printfSegments(format)
		if len(segs) > 0 && segs[0].arg < 0 {
			if len(call.Args) == 2 {
				v = withPrefix(v, segs[0].text)
			} else {
				v = withRepo(v, segs[0].text) // constants between: not the prefix as written
			}
		}
		if n := len(segs); len(call.Args) == 2 && n > 1 && segs[n-1].arg < 0 && v.kind != vConst {
			v.suffix += segs[n-1].text
		}
		return v
	}
	return value{kind: vConst, str: fmt.Sprintf(format, values...), site: call}
}

// resolveReturns resolves a call of a function literal through its returns.
func (ix *index) resolveReturns(fl *flow, lit *ast.FuncLit, depth int) value {
	if fl == nil {
		return value{}
	}
	var srcs []valueSource
	for _, ret := range fl.returns[lit] {
		if len(ret.Results) != 1 {
			return value{}
		}
		srcs = append(srcs, valueSource{rhs: ret.Results[0], index: -1, fl: fl})
	}
	return ix.unanimous(srcs, depth)
}

// staticCallee returns the declared function or method call invokes
// directly, without following variables.
func (ix *index) staticCallee(call *ast.CallExpr) *types.Func {
	if fn, ok := typeutil.Callee(ix.info, call).(*types.Func); ok {
		return fn.Origin()
	}
	return nil
}

// callee returns the function call invokes: a declared function or method,
// also through a local variable holding a function or method value.
func (ix *index) callee(fl *flow, call *ast.CallExpr) *types.Func {
	if fn := ix.staticCallee(call); fn != nil {
		return fn
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if v, ok := ix.info.Uses[id].(*types.Var); ok {
			if srcs := ix.defs[v]; len(srcs) == 1 && srcs[0].index < 0 {
				return ix.funcValue(srcs[0].rhs)
			}
		}
	}
	return nil
}

// funcValue returns the function a function-valued expression denotes.
func (ix *index) funcValue(e ast.Expr) *types.Func {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if fn, ok := ix.info.Uses[e].(*types.Func); ok {
			return fn.Origin()
		}
	case *ast.SelectorExpr:
		if fn, ok := ix.info.Uses[e.Sel].(*types.Func); ok {
			return fn.Origin()
		}
	case *ast.IndexExpr:
		return ix.funcValue(e.X)
	case *ast.IndexListExpr:
		return ix.funcValue(e.X)
	}
	return nil
}

// calleeLit returns the function literal a call invokes directly or
// through a local variable.
func (ix *index) calleeLit(fl *flow, call *ast.CallExpr) *ast.FuncLit {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		return fun
	case *ast.Ident:
		if v, ok := ix.info.Uses[fun].(*types.Var); ok {
			if srcs := ix.defs[v]; len(srcs) == 1 && srcs[0].index < 0 && srcs[0].fl == fl {
				lit, _ := ast.Unparen(srcs[0].rhs).(*ast.FuncLit)
				return lit
			}
		}
	}
	return nil
}

// generatorOf returns the generator a call runs: the callee itself, or the
// generator a called function literal returns the result of.
func (ix *index) generatorOf(fl *flow, call *ast.CallExpr) *types.Func {
	if fn := ix.callee(fl, call); fn != nil {
		if ix.isGenerator(fn) {
			return fn
		}
		return nil
	}
	if lit := ix.calleeLit(fl, call); lit != nil {
		if v := ix.resolveReturns(fl, lit, 0); v.kind == vGenerated {
			return v.fn
		}
	}
	return nil
}
