package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/printf"
)

// index is the shared model of one package that every check queries: one
// flow per function, every assignment to every variable, and the image
// summaries of the package's functions and of the functions it calls. It is
// built by one walk of the files; what it derives later (resolved values,
// steps, summaries) is memoised, deterministic and independent of which
// check asks first.
type index struct {
	pass   *analysis.Pass
	info   *types.Info
	s      *settings
	printf *printf.Result
	files  []*ast.File

	flows  []*flow
	flowOf map[*types.Func]*flow
	siteOf map[*ast.CallExpr]*callSite // memo: every call's site

	defs      map[*types.Var][]valueSource // every assignment to a variable, package-level ones included
	paramOf   map[*types.Var]*flow         // parameters and receivers of declared functions
	litParams map[*types.Var]bool          // parameters of function literals
	uses      map[*types.Var][]use         // reads of variables that can hold an image, see tracksReads
	callers   map[*types.Func][]callRef    // calls of the package's own functions, for parameter identity

	values      map[ast.Expr]value       // memo of resolve
	fresh       map[*types.Var]bool      // memo of freshVar
	summaries   map[*types.Func]*summary // memo: the package's own (computed) and imported ones
	computing   map[*types.Func]bool     // summaries being computed, to cut recursion
	manifests   map[manifestKey][]manifest.Container
	root        *string                     // memo of moduleRoot
	tokenFiles  map[string]*token.File      // module files added to the file set
	written     map[*ast.Ident]bool         // scratch set of walk
	printfKinds map[*types.Func]printf.Kind // memo of printfKind
	classes     map[*types.Func]funcClass   // memo of classOf
	// Memo of built: what the package builds or loads.
	builtRepos   map[string]bool
	holdersBuilt map[types.Object]bool
	pkgImages    *[]imageOf // memo of packageImages
}

// A flow is one top-level function with its closures (a setup flow shares
// variables with the goroutines it starts), or a file's package-level
// declarations.
type flow struct {
	file *ast.File
	decl *ast.FuncDecl // nil for package-level declarations
	fn   *types.Func   // nil for package-level declarations

	calls      []callSite
	containers []containerImage
	strings    []ast.Expr                         // maximal constant string expressions holding a manifest image key
	returns    map[*ast.FuncLit][]*ast.ReturnStmt // nil key: decl's own returns
	fieldDefs  map[*types.Var][]valueSource       // assignments to struct fields, any instance
	mapDefs    map[mapKey][]valueSource           // m["const"] = v

	steps *[]step // memo of imageSteps
}

// manifestKey is a text scanned with a syntax.
type manifestKey struct {
	text   string
	syntax manifest.Syntax
}

// valueSource is one assignment. rhs is nil when the assigned value is not
// an expression we can follow (range variables, op-assignments, &x).
type valueSource struct {
	rhs   ast.Expr
	index int   // result index when rhs is a multi-valued call, else -1
	fl    *flow // where the assignment is
	// external marks a value a flag parser or the environment stores
	// through a pointer (flag.StringVar(&v, ...)).
	external ast.Expr
}

type mapKey struct {
	m   *types.Var
	key string
}

// use is one read of a variable, with what receives the value.
type use struct {
	id        *ast.Ident
	ancestors [maxAncestors]ast.Node // the nodes enclosing the identifier, innermost first
	fl        *flow
	inLit     bool // inside a function literal, which may run any time
}

// maxAncestors is how far up a read's context is kept: enough to see
// through a conversion or a concatenation to the call or assignment.
const maxAncestors = 8

// callRef is one call of a package function, for parameter identity.
type callRef struct {
	cs *callSite
	fl *flow
}

// callSite is a call with the statement that holds it, when that statement
// decides what happens to its results.
type callSite struct {
	call      *ast.CallExpr
	fl        *flow
	ancestors [maxAncestors]ast.Node // the nodes enclosing the call, innermost first
	stmt      ast.Node               // *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt, *ast.AssignStmt, *ast.ValueSpec or nil
	branches  *branches              // the if/else arms and case clauses that enclose the call
	inLoop    bool                   // a for or range statement encloses the call
	inReturn  bool                   // the call is in a return statement of the declared function
}

// branches is the stack of the arms enclosing a node, innermost first,
// shared by every node inside them.
type branches struct {
	branch
	up *branches
}

// branch is one arm of a conditional: calls in different arms of the same
// owner never both run.
type branch struct {
	owner, arm ast.Node
}

// containerImage is the Image of a corev1 container, from a composite
// literal or an assignment to its Image field.
type containerImage struct {
	value     ast.Expr
	pullNever bool
}

func exclusive(a, b *callSite) bool {
	for x := a.branches; x != nil; x = x.up {
		for y := b.branches; y != nil; y = y.up {
			if x.owner == y.owner && x.arm != y.arm {
				return true
			}
		}
	}
	return false
}

func newIndex(pass *analysis.Pass, s *settings) *index {
	ix := &index{
		pass:        pass,
		info:        pass.TypesInfo,
		s:           s,
		flowOf:      make(map[*types.Func]*flow),
		defs:        make(map[*types.Var][]valueSource),
		paramOf:     make(map[*types.Var]*flow),
		litParams:   make(map[*types.Var]bool),
		uses:        make(map[*types.Var][]use),
		callers:     make(map[*types.Func][]callRef),
		values:      make(map[ast.Expr]value),
		fresh:       make(map[*types.Var]bool),
		tokenFiles:  make(map[string]*token.File),
		written:     make(map[*ast.Ident]bool),
		printfKinds: make(map[*types.Func]printf.Kind),
		classes:     make(map[*types.Func]funcClass),
		summaries:   make(map[*types.Func]*summary),
		computing:   make(map[*types.Func]bool),
		manifests:   make(map[manifestKey][]manifest.Container),
	}
	if r, ok := pass.ResultOf[printf.Analyzer].(*printf.Result); ok {
		ix.printf = r
	}
	for _, file := range pass.Files {
		if !s.generated && isGenerated(file) {
			continue
		}
		ix.files = append(ix.files, file)
		var pkgLevel *flow
		for _, decl := range file.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				fl := &flow{file: file, decl: decl}
				fl.fn, _ = ix.info.Defs[decl.Name].(*types.Func)
				if fl.fn != nil {
					ix.flowOf[fl.fn] = fl
				}
				ix.addParams(fl, decl.Recv, decl.Type.Params)
				if decl.Body != nil {
					ix.walk(fl, decl.Body)
				}
				ix.flows = append(ix.flows, fl)
			case *ast.GenDecl:
				if decl.Tok == token.VAR || decl.Tok == token.CONST {
					if pkgLevel == nil {
						pkgLevel = &flow{file: file}
						ix.flows = append(ix.flows, pkgLevel)
					}
					ix.walk(pkgLevel, decl)
				}
			}
		}
	}
	for _, fl := range ix.flows {
		for i := range fl.calls {
			if fn := ix.staticCallee(fl.calls[i].call); fn != nil && ix.flowOf[fn] != nil {
				ix.callers[fn] = append(ix.callers[fn], callRef{&fl.calls[i], fl})
			}
		}
	}
	return ix
}

func (ix *index) addParams(fl *flow, lists ...*ast.FieldList) {
	for _, list := range lists {
		if list == nil {
			continue
		}
		for _, field := range list.List {
			for _, name := range field.Names {
				if v, ok := ix.info.Defs[name].(*types.Var); ok {
					if fl != nil {
						ix.paramOf[v] = fl
					} else {
						ix.litParams[v] = true
					}
				}
			}
		}
	}
}

// isParam reports whether v is a parameter or receiver of fl's function.
func (ix *index) isParam(fl *flow, v *types.Var) bool { return fl != nil && ix.paramOf[v] == fl }

// walk adds root to fl in one pass.
func (ix *index) walk(fl *flow, root ast.Node) {
	info := ix.info
	var (
		stack []ast.Node
		lits  []*ast.FuncLit // enclosing function literals
		arms  *branches
		loops int
	)
	// Identifiers that are assigned or discarded, not read.
	written := ix.written
	defer clear(written)
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if lit, ok := top.(*ast.FuncLit); ok && len(lits) > 0 && lits[len(lits)-1] == lit {
				lits = lits[:len(lits)-1]
			}
			if arms != nil && arms.arm == top {
				arms = arms.up
			}
			switch top.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops--
			}
			return true
		}
		var parent ast.Node
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, n)
		if owner := armOwner(parent, n, stack); owner != nil {
			arms = &branches{branch{owner, n}, arms}
		}

		switch n := n.(type) {
		case *ast.ForStmt:
			loops++
		case *ast.FuncLit:
			lits = append(lits, n)
			ix.addParams(nil, n.Type.Params)
		case *ast.ReturnStmt:
			var lit *ast.FuncLit
			if len(lits) > 0 {
				lit = lits[len(lits)-1]
			}
			if fl.returns == nil {
				fl.returns = make(map[*ast.FuncLit][]*ast.ReturnStmt)
			}
			fl.returns[lit] = append(fl.returns[lit], n)
		case *ast.AssignStmt:
			ix.recordAssign(fl, n, written)
		case *ast.ValueSpec:
			for i, name := range n.Names {
				v, _ := info.Defs[name].(*types.Var)
				if v == nil {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					ix.def(v, valueSource{rhs: n.Values[i], index: -1, fl: fl})
				case len(n.Values) == 1:
					ix.def(v, valueSource{rhs: n.Values[0], index: i, fl: fl})
				}
			}
		case *ast.RangeStmt:
			loops++
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					if v, ok := info.ObjectOf(id).(*types.Var); ok {
						ix.def(v, valueSource{index: -1, fl: fl})
						written[id] = true
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						src := valueSource{index: -1, fl: fl} // may be written through the pointer
						if call, ok := parent.(*ast.CallExpr); ok && ix.isFlagVar(call, n) {
							src.external = call
						}
						ix.def(v, src)
						written[id] = true
					}
				}
			}
		case *ast.CompositeLit:
			ix.recordCompositeLit(fl, n)
		case *ast.CallExpr:
			cs := callSite{call: n, fl: fl, stmt: resultStmt(parent, n), branches: arms, inLoop: loops > 0, inReturn: inReturn(stack)}
			ancestorsOf(stack, &cs.ancestors)
			fl.calls = append(fl.calls, cs)
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && !written[n] && ix.tracksReads(v) {
				u := use{id: n, fl: fl, inLit: len(lits) > 0}
				ancestorsOf(stack, &u.ancestors)
				ix.uses[v] = append(ix.uses[v], u)
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			if e := n.(ast.Expr); isStringConst(info, e) && !isStringConst(info, asExpr(parent)) {
				if s := constant.StringVal(info.Types[e].Value); strings.Contains(s, "image") && manifestImageKey.MatchString(s) {
					fl.strings = append(fl.strings, e)
				}
			}
		}
		return true
	})
}

func asExpr(n ast.Node) ast.Expr {
	switch n := n.(type) {
	case *ast.BinaryExpr, *ast.ParenExpr:
		return n.(ast.Expr)
	}
	return nil
}

func isStringConst(info *types.Info, e ast.Expr) bool {
	if e == nil {
		return false
	}
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.String
}

func isStringType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isPackageLevel(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// inReturn reports whether the declared function returns the node on top
// of stack: a return of a function literal lets the flow go on.
func inReturn(stack []ast.Node) bool {
	for _, n := range stack {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			return true
		}
	}
	return false
}

// armOwner returns the conditional of which n is an arm, or nil.
func armOwner(parent, n ast.Node, stack []ast.Node) ast.Node {
	switch p := parent.(type) {
	case *ast.IfStmt:
		if n == p.Body || (p.Else != nil && n == p.Else) {
			return p
		}
	case *ast.BlockStmt:
		switch n.(type) {
		case *ast.CaseClause, *ast.CommClause:
			if len(stack) >= 3 {
				return stack[len(stack)-3] // the switch or select statement
			}
		}
	}
	return nil
}

// resultStmt returns the statement that receives call's results.
func resultStmt(parent ast.Node, call *ast.CallExpr) ast.Node {
	switch p := parent.(type) {
	case *ast.ExprStmt:
		return p
	case *ast.GoStmt:
		if p.Call == call {
			return p
		}
	case *ast.DeferStmt:
		if p.Call == call {
			return p
		}
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && p.Rhs[0] == call {
			return p
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && p.Values[0] == call {
			return p
		}
	}
	return nil
}

func (ix *index) recordAssign(fl *flow, as *ast.AssignStmt, written map[*ast.Ident]bool) {
	info := ix.info
	for i, lhs := range as.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" && len(as.Lhs) == len(as.Rhs) {
			if rid, ok := ast.Unparen(as.Rhs[i]).(*ast.Ident); ok {
				written[rid] = true // "_ = x" silences the compiler, it does not use x
			}
		}
		src := valueSource{index: -1, fl: fl}
		switch {
		case as.Tok != token.ASSIGN && as.Tok != token.DEFINE:
			// op-assignment: the result is not the right-hand side
		case len(as.Lhs) == len(as.Rhs):
			src.rhs = as.Rhs[i]
		case len(as.Rhs) == 1:
			src.rhs, src.index = as.Rhs[0], i
		}
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if as.Tok == token.ASSIGN || as.Tok == token.DEFINE {
				written[lhs] = true
			}
			if v, ok := info.ObjectOf(lhs).(*types.Var); ok {
				ix.def(v, src)
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[lhs]; sel != nil && sel.Kind() == types.FieldVal {
				field := sel.Obj().(*types.Var)
				if fl.fieldDefs == nil {
					fl.fieldDefs = make(map[*types.Var][]valueSource)
				}
				fl.fieldDefs[field] = append(fl.fieldDefs[field], src)
				if field.Name() == "Image" && isContainerType(sel.Recv()) && src.rhs != nil {
					fl.containers = append(fl.containers, containerImage{value: src.rhs})
				}
			}
		case *ast.IndexExpr:
			if m := mapVar(info, lhs.X); m != nil {
				if key, ok := constString(info, lhs.Index); ok {
					if fl.mapDefs == nil {
						fl.mapDefs = make(map[mapKey][]valueSource)
					}
					fl.mapDefs[mapKey{m, key}] = append(fl.mapDefs[mapKey{m, key}], src)
				}
			}
		}
	}
}

func (ix *index) recordCompositeLit(fl *flow, lit *ast.CompositeLit) {
	info := ix.info
	tv, ok := info.Types[lit]
	if !ok {
		return
	}
	st, ok := tv.Type.Underlying().(*types.Struct)
	if !ok {
		return
	}
	var image ast.Expr
	pullNever := false
	for i, elt := range lit.Elts {
		var field *types.Var
		value := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			id, _ := kv.Key.(*ast.Ident)
			if id == nil {
				continue
			}
			field, _ = info.Uses[id].(*types.Var)
			value = kv.Value
		} else if i < st.NumFields() {
			field = st.Field(i)
		}
		if field == nil {
			continue
		}
		if fl.fieldDefs == nil {
			fl.fieldDefs = make(map[*types.Var][]valueSource)
		}
		fl.fieldDefs[field] = append(fl.fieldDefs[field], valueSource{rhs: value, index: -1, fl: fl})
		switch field.Name() {
		case "Image":
			image = value
		case "ImagePullPolicy":
			s, ok := constString(info, value)
			pullNever = ok && s == "Never"
		}
	}
	if image != nil && isContainerType(tv.Type) {
		fl.containers = append(fl.containers, containerImage{value: image, pullNever: pullNever})
	}
}

// isContainerType reports whether t is (a pointer to) a corev1 type whose
// Image field names the image a pod runs.
func isContainerType(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	if !isPath(n.Obj().Pkg().Path(), corev1Path) {
		return false
	}
	switch n.Obj().Name() {
	case "Container", "EphemeralContainer", "EphemeralContainerCommon":
		return true
	}
	return false
}

const corev1Path = "k8s.io/api/core/v1"

// isPath reports whether path is want, also vendored.
func isPath(path, want string) bool {
	return path == want || strings.HasSuffix(path, "/vendor/"+want)
}

func mapVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return nil
	}
	if _, isMap := v.Type().Underlying().(*types.Map); !isMap {
		return nil
	}
	return v
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	if !isStringConst(info, e) {
		return "", false
	}
	return constant.StringVal(info.Types[e].Value), true
}

// isGenerated reports whether file is generated. Files of cgo packages
// arrive translated by cmd/cgo, marked generated, yet they are the user's.
func isGenerated(file *ast.File) bool {
	if !ast.IsGenerated(file) {
		return false
	}
	for _, group := range file.Comments {
		if group.Pos() >= file.Package {
			break
		}
		if strings.Contains(group.Text(), "Code generated by cmd/cgo") {
			return false
		}
	}
	return true
}

// line returns the line of pos, for messages.
func (ix *index) line(pos token.Pos) int { return ix.pass.Fset.Position(pos).Line }

// ancestorsOf copies the nodes enclosing the top of stack, innermost first.
func ancestorsOf(stack []ast.Node, out *[maxAncestors]ast.Node) {
	for i := range out {
		if j := len(stack) - 2 - i; j >= 0 {
			out[i] = stack[j]
		}
	}
}

// def records an assignment to v, for variables that can hold what the
// checks follow: numbers, booleans and errors never do, and they are most
// of a program's assignments.
func (ix *index) def(v *types.Var, src valueSource) {
	switch t := v.Type().Underlying().(type) {
	case *types.Basic:
		if t.Info()&types.IsString == 0 {
			return
		}
	case *types.Chan:
		return
	}
	if isError(v.Type()) {
		return
	}
	ix.defs[v] = append(ix.defs[v], src)
}
