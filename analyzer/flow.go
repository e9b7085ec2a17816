package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// A flow is the index of one top-level declaration: a function with all of
// its closures (a setup flow shares variables with the goroutines it starts),
// or a package-level declaration. It is built by a single walk and answers
// every later question about the declaration without walking it again.
type flow struct {
	file *ast.File
	decl *ast.FuncDecl // nil for package-level declarations

	params    map[*types.Var]bool                // parameters and receiver of decl
	litParams map[*types.Var]bool                // parameters of function literals
	defs      map[*types.Var][]valueSource       // assignments to local variables
	fieldDefs map[*types.Var][]valueSource       // assignments to struct fields, any instance
	mapDefs   map[mapKey][]valueSource           // m["const"] = v
	reads     map[*types.Var][]token.Pos         // reads of local variables, see tracksReads
	readInLit map[*types.Var]bool                // read inside a function literal, which may run any time
	returns   map[*ast.FuncLit][]*ast.ReturnStmt // nil key: decl's own returns

	calls      []callSite
	containers []containerImage
	strings    []ast.Expr // maximal constant string expressions mentioning "image"

	origins map[ast.Expr]origin // memo of resolve
	specs   *[]specImage        // memo of specImages
	steps   *[]imageStep        // memo of imageSteps, valid once facts are final
}

// valueSource is one assignment. rhs is nil when the assigned value is not
// an expression we can follow (range variables, op-assignments, &x).
type valueSource struct {
	rhs   ast.Expr
	index int // result index when rhs is a multi-valued call, else -1
}

type mapKey struct {
	m   *types.Var
	key string
}

// callSite is a call with the statement that holds it, when that statement
// decides what happens to its results.
type callSite struct {
	call     *ast.CallExpr
	stmt     ast.Node // *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt, *ast.AssignStmt, *ast.ValueSpec or nil
	branches []branch // the if/else arms and case clauses that enclose the call
	inLoop   bool     // a for or range statement encloses the call
	inReturn bool     // the call is in a return statement: nothing after it runs
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

func (fl *flow) exclusive(a, b *callSite) bool {
	for _, x := range a.branches {
		for _, y := range b.branches {
			if x.owner == y.owner && x.arm != y.arm {
				return true
			}
		}
	}
	return false
}

// newFlow returns the empty index of a function declaration (decl non-nil)
// or of a file's package-level declarations.
func (c *checker) newFlow(file *ast.File, decl *ast.FuncDecl) *flow {
	fl := &flow{
		file:      file,
		decl:      decl,
		params:    make(map[*types.Var]bool),
		litParams: make(map[*types.Var]bool),
		defs:      make(map[*types.Var][]valueSource),
		fieldDefs: make(map[*types.Var][]valueSource),
		mapDefs:   make(map[mapKey][]valueSource),
		reads:     make(map[*types.Var][]token.Pos),
		readInLit: make(map[*types.Var]bool),
		returns:   make(map[*ast.FuncLit][]*ast.ReturnStmt),
		origins:   make(map[ast.Expr]origin),
	}
	if decl != nil {
		c.addParams(fl.params, decl.Recv, decl.Type.Params)
	}
	return fl
}

func (c *checker) addParams(set map[*types.Var]bool, lists ...*ast.FieldList) {
	for _, list := range lists {
		if list == nil {
			continue
		}
		for _, field := range list.List {
			for _, name := range field.Names {
				if v, ok := c.pass.TypesInfo.Defs[name].(*types.Var); ok {
					set[v] = true
				}
			}
		}
	}
}

// index adds root to fl in one walk.
func (c *checker) index(fl *flow, root ast.Node) {
	info := c.pass.TypesInfo
	var (
		stack    []ast.Node
		lits     []*ast.FuncLit // enclosing function literals
		branches []branch
		loops    int
		written  = c.written // identifiers assigned or discarded, not read
	)
	defer clear(written)
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if lit, ok := top.(*ast.FuncLit); ok && len(lits) > 0 && lits[len(lits)-1] == lit {
				lits = lits[:len(lits)-1]
			}
			if len(branches) > 0 && branches[len(branches)-1].arm == top {
				branches = branches[:len(branches)-1]
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
			branches = append(branches, branch{owner, n})
		}

		switch n := n.(type) {
		case *ast.ForStmt:
			loops++
		case *ast.FuncLit:
			lits = append(lits, n)
			c.addParams(fl.litParams, n.Type.Params)
		case *ast.ReturnStmt:
			var lit *ast.FuncLit
			if len(lits) > 0 {
				lit = lits[len(lits)-1]
			}
			fl.returns[lit] = append(fl.returns[lit], n)
		case *ast.AssignStmt:
			fl.recordAssign(c, n, written)
		case *ast.ValueSpec:
			for i, name := range n.Names {
				v, _ := info.Defs[name].(*types.Var)
				if v == nil || isPackageLevel(v) {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					fl.defs[v] = append(fl.defs[v], valueSource{n.Values[i], -1})
				case len(n.Values) == 1:
					fl.defs[v] = append(fl.defs[v], valueSource{n.Values[0], i})
				}
			}
		case *ast.RangeStmt:
			loops++
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					if v, ok := info.ObjectOf(id).(*types.Var); ok {
						fl.defs[v] = append(fl.defs[v], valueSource{index: -1})
						written[id] = true
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						fl.defs[v] = append(fl.defs[v], valueSource{index: -1}) // may be written through the pointer
					}
				}
			}
		case *ast.CompositeLit:
			fl.recordCompositeLit(c, n)
		case *ast.CallExpr:
			fl.calls = append(fl.calls, callSite{call: n, stmt: resultStmt(parent, n), branches: slices.Clone(branches), inLoop: loops > 0, inReturn: inReturn(stack)})
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && !written[n] && tracksReads(v) {
				fl.reads[v] = append(fl.reads[v], n.Pos())
				if len(lits) > 0 {
					fl.readInLit[v] = true
				}
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			if e := n.(ast.Expr); isStringConst(info, e) && !isStringConst(info, asExpr(parent)) {
				if strings.Contains(strings.ToLower(constant.StringVal(info.Types[e].Value)), "image") {
					fl.strings = append(fl.strings, e)
				}
			}
		}
		return true
	})
}

// tracksReads reports whether the reads of v are recorded: local variables
// that can hold an image, a string or a value of a type named like one.
// Recording every read of every variable would dominate the walk.
func tracksReads(v *types.Var) bool {
	return !v.IsField() && !isPackageLevel(v) && (isStringType(v.Type()) || isImageType(v.Type()))
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

func (fl *flow) recordAssign(c *checker, as *ast.AssignStmt, written map[*ast.Ident]bool) {
	info := c.pass.TypesInfo
	for i, lhs := range as.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" && len(as.Lhs) == len(as.Rhs) {
			if rid, ok := ast.Unparen(as.Rhs[i]).(*ast.Ident); ok {
				written[rid] = true // "_ = x" silences the compiler, it does not use x
			}
		}
		src := valueSource{index: -1}
		switch {
		case as.Tok != token.ASSIGN && as.Tok != token.DEFINE:
			// op-assignment: the result is not the right-hand side
		case len(as.Lhs) == len(as.Rhs):
			src.rhs = as.Rhs[i]
		case len(as.Rhs) == 1:
			src = valueSource{as.Rhs[0], i}
		}
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if as.Tok == token.ASSIGN || as.Tok == token.DEFINE {
				written[lhs] = true
			}
			if v, ok := info.ObjectOf(lhs).(*types.Var); ok && !isPackageLevel(v) {
				fl.defs[v] = append(fl.defs[v], src)
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[lhs]; sel != nil && sel.Kind() == types.FieldVal {
				field := sel.Obj().(*types.Var)
				fl.fieldDefs[field] = append(fl.fieldDefs[field], src)
				if field.Name() == "Image" && isContainerType(sel.Recv()) && src.rhs != nil {
					fl.containers = append(fl.containers, containerImage{value: src.rhs})
				}
			}
		case *ast.IndexExpr:
			if m := mapVar(info, lhs.X); m != nil {
				if key, ok := constString(info, lhs.Index); ok {
					fl.mapDefs[mapKey{m, key}] = append(fl.mapDefs[mapKey{m, key}], src)
				}
			}
		}
	}
}

func (fl *flow) recordCompositeLit(c *checker, lit *ast.CompositeLit) {
	info := c.pass.TypesInfo
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
		fl.fieldDefs[field] = append(fl.fieldDefs[field], valueSource{value, -1})
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
	path := n.Obj().Pkg().Path()
	if path != corev1Path && !strings.HasSuffix(path, "/vendor/"+corev1Path) {
		return false
	}
	switch n.Obj().Name() {
	case "Container", "EphemeralContainer", "EphemeralContainerCommon":
		return true
	}
	return false
}

const corev1Path = "k8s.io/api/core/v1"

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
