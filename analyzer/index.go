package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/repo"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/passes/printf"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
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
	freshOpen   map[*types.Var]bool      // variables freshVar is answering
	freshNested []*types.Var             // "no" answers given under the one asked
	freshCycle  bool                     // one of them read an open variable
	summaries   map[*types.Func]*summary // memo: the package's own (computed) and imported ones
	computing   map[*types.Func]bool     // summaries being computed, to cut recursion
	seed        map[*types.Func]*summary // the previous round's summaries, see newModel
	provisional map[*types.Func]bool     // functions whose seed answered a recursive call
	manifests   map[manifestKey][]manifest.Container
	root        *string                     // memo of moduleRoot
	tree        *[]string                   // memo of moduleTree
	kinds       *map[string]bool            // memo of ownKinds
	tokenFiles  map[string]*token.File      // module files added to the file set
	embeds      *map[*types.Var]string      // memo of embeddedManifests
	printfKinds map[*types.Func]printf.Kind // memo of printfKind
	unwalked    map[*types.Func]bool        // functions of the package walk skipped: nothing to do with images
	classes     map[*types.Func]funcClass   // memo of classOf
	// Memo of built: what the package builds or loads.
	builtRepos   map[string]bool
	holdersBuilt map[types.Object]bool
	madeRepos    map[string]bool // memo of madeHere: repositories the package builds, loads or re-tags
	pkgImages    *[]imageOf      // memo of packageImages
	repo         *repoState      // memo of repository
	// repoUnknowns are what the followed make runs and scripts of a Go
	// call do that cannot be known, for the flow map.
	repoUnknowns map[*ast.CallExpr][]repo.Unknown
	suite        *suite // the test suite's run order, nil outside tests
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

	inPlace *[]fileEvent // memo of fileEvents
	steps   *[]step      // memo of flowSteps, or of a lane's steps
	own     *[]step      // memo of steps: those the suite does not run elsewhere
	lane    *lane        // a lane of the package's test suite, see suite.go
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
	id  *ast.Ident
	cur inspector.Cursor // where it is: its ancestors, on demand
	fl  *flow
}

// maxAncestors is how far up a read's context is kept: enough to see
// through a conversion or a concatenation to the call or assignment.
const maxAncestors = 6

// callRef is one call of a package function, for parameter identity.
type callRef struct {
	cs *callSite
	fl *flow
}

// callSite is a call and where it is; what encloses it is asked of its
// cursor when a check needs it.
type callSite struct {
	call *ast.CallExpr
	cur  inspector.Cursor
	fl   *flow
}

// stmt returns the statement that receives the call's results, when that
// statement decides what happens to them: *ast.ExprStmt, *ast.GoStmt,
// *ast.DeferStmt, *ast.AssignStmt, *ast.ValueSpec, or nil.
func (cs *callSite) stmt() ast.Node { return resultStmt(cs.cur.Parent().Node(), cs.call) }

// inLoop reports whether a for or range statement encloses the call.
func (cs *callSite) inLoop() bool { return inLoop(cs.cur) }

// inReturn reports whether the call is in a return statement of the
// declared function: nothing after it runs.
func (cs *callSite) inReturn() bool { return inReturn(cs.cur) }

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

// exclusive reports whether a and b sit in different arms of one
// conditional: they never both run.
func exclusive(a, b *callSite) bool {
	bs := armsOf(b.cur)
	for _, x := range armsOf(a.cur) {
		for _, y := range bs {
			if x.owner == y.owner && x.arm != y.arm {
				return true
			}
		}
	}
	return false
}

func newIndex(pass *analysis.Pass, s *settings) *index {
	ix := &index{
		pass:         pass,
		info:         pass.TypesInfo,
		s:            s,
		flowOf:       make(map[*types.Func]*flow),
		defs:         make(map[*types.Var][]valueSource),
		paramOf:      make(map[*types.Var]*flow),
		litParams:    make(map[*types.Var]bool),
		uses:         make(map[*types.Var][]use),
		callers:      make(map[*types.Func][]callRef),
		values:       make(map[ast.Expr]value),
		fresh:        make(map[*types.Var]bool),
		tokenFiles:   make(map[string]*token.File),
		printfKinds:  make(map[*types.Func]printf.Kind),
		unwalked:     make(map[*types.Func]bool),
		classes:      make(map[*types.Func]funcClass),
		repoUnknowns: make(map[*ast.CallExpr][]repo.Unknown),
		summaries:    make(map[*types.Func]*summary),
		computing:    make(map[*types.Func]bool),
		provisional:  make(map[*types.Func]bool),
		manifests:    make(map[manifestKey][]manifest.Container),
	}
	if r, ok := pass.ResultOf[printf.Analyzer].(*printf.Result); ok {
		ix.printf = r
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	ix.walk(insp, ix.relevantDecls(insp))
	for _, fl := range ix.flows {
		for i := range fl.calls {
			if fn := ix.staticCallee(fl.calls[i].call); fn != nil && ix.flowOf[fn] != nil {
				ix.callers[fn] = append(ix.callers[fn], callRef{&fl.calls[i], fl})
			}
		}
	}
	ix.buildSuite()
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

// relevantDecls returns the function declarations whose bodies can do
// anything with images, so that walk indexes only those: the ones that
// call something that may build, load or deploy (a command, a library API,
// a function with a summary, a configured or name-matched function), make
// a container or a fresh or external value, write a string mentioning
// images, set a field named Image, pass strings through, or call a
// function of the package that is relevant itself. Most of a program is
// none of these, and skipping it is most of the analysis' speed.
func (ix *index) relevantDecls(insp *inspector.Inspector) map[*ast.FuncDecl]bool {
	info := ix.info
	relevant := make(map[*ast.FuncDecl]bool)
	// Functions that only pass strings through are indexed for their own
	// summaries; their callers do not become relevant through them.
	passing := make(map[*ast.FuncDecl]bool)
	callersOf := make(map[*types.Func][]*ast.FuncDecl)
	declOf := make(map[*types.Func]*ast.FuncDecl)
	var cur *ast.FuncDecl
	insp.Root().Inspect(relevanceTypes, func(c inspector.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.GenDecl:
			if _, top := c.Parent().Node().(*ast.File); top {
				cur = nil
				return false // package-level declarations are always indexed
			}
		case *ast.FuncDecl:
			cur = n
			fn, _ := info.Defs[n.Name].(*types.Func)
			if fn != nil {
				declOf[fn] = n
				passing[n] = passesStrings(fn)
			}
		case *ast.CallExpr:
			if cur == nil || relevant[cur] {
				break
			}
			switch obj := typeutil.Callee(info, n).(type) {
			case *types.Func:
				fn := obj.Origin()
				c := ix.classOf(fn)
				switch {
				case c&classReadFile != 0:
					// A manifest read by a constant path.
					relevant[cur] = len(n.Args) > 0 && mentionsManifestPath(info, n.Args[0])
				case c&^classPrintf != 0: // configured, a command, a library API, or named
					relevant[cur] = true
				case fn.Pkg() == ix.pass.Pkg:
					callersOf[fn] = append(callersOf[fn], cur)
				case ix.isFreshSource(fn) || isEnvRead(fn) || ix.summary(fn) != nil:
					relevant[cur] = true
				case c&classPrintf != 0:
					// A template in a constant: a manifest it may fill.
					// (literal arguments are the *ast.BasicLit case's)
					for _, arg := range n.Args {
						if s, ok := constString(info, arg); ok && strings.Contains(s, "image") {
							relevant[cur] = true
						}
					}
				}
			case *types.Var:
				// A library function held by a package variable, or a
				// function value called through a variable: what it is
				// needs the index.
				relevant[cur] = true
			}
		case *ast.CompositeLit:
			if cur != nil && !relevant[cur] {
				if t := info.TypeOf(n); t != nil && (isContainerType(t) || knowledgeStruct(t)) {
					relevant[cur] = true
				}
			}
		case *ast.BasicLit:
			if cur != nil && n.Kind == token.STRING && strings.Contains(n.Value, "image") {
				relevant[cur] = true
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && cur != nil && sel.Sel.Name == "Image" {
					relevant[cur] = true // c.Image = ...
				}
			}
		}
		return true
	})
	if len(ix.embeddedManifests()) > 0 {
		for d := range declOf {
			if !relevant[declOf[d]] && ix.readsEmbedded(declOf[d]) {
				relevant[declOf[d]] = true
			}
		}
	}
	// Callers of relevant functions are relevant.
	var queue []*ast.FuncDecl
	for d := range relevant {
		queue = append(queue, d)
	}
	for len(queue) > 0 {
		d := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		fn, _ := info.Defs[d.Name].(*types.Func)
		for _, caller := range callersOf[fn] {
			if !relevant[caller] {
				relevant[caller] = true
				queue = append(queue, caller)
			}
		}
	}
	for d, ok := range passing {
		if ok {
			relevant[d] = true
		}
	}
	return relevant
}

var relevanceTypes = []ast.Node{
	(*ast.GenDecl)(nil), (*ast.FuncDecl)(nil), (*ast.CallExpr)(nil),
	(*ast.CompositeLit)(nil), (*ast.BasicLit)(nil), (*ast.AssignStmt)(nil),
}

// passesStrings reports whether fn takes and returns strings: it may
// normalise, generate or pass on an image reference.
func passesStrings(fn *types.Func) bool {
	sig := fn.Type().(*types.Signature)
	returns := false
	for i := range sig.Results().Len() {
		returns = returns || isStringType(sig.Results().At(i).Type())
	}
	if !returns {
		return false
	}
	for i := range sig.Params().Len() {
		if t := sig.Params().At(i).Type(); isStringType(t) || isStringSlice(t) {
			return true
		}
	}
	return false
}

// knowledgeStruct reports whether t is a struct whose fields the knowledge
// table lists (build options with image tags, helm values options).
func knowledgeStruct(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if _, ok := knowledge.LookupField(t, st.Field(i).Name()); ok {
			return true
		}
	}
	return false
}

// walkTypes are the nodes walk looks at: declarations that start a flow,
// and what the index records. Everything else is only on the stack.
var walkTypes = []ast.Node{
	(*ast.File)(nil), (*ast.FuncDecl)(nil), (*ast.GenDecl)(nil), (*ast.FuncLit)(nil),
	(*ast.ReturnStmt)(nil), (*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil),
	(*ast.UnaryExpr)(nil), (*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.Ident)(nil),
	(*ast.BasicLit)(nil), (*ast.BinaryExpr)(nil),
}

// walk indexes the package's files in one pass of the inspector, which
// the inspect analyzer built already: one flow per function declaration,
// one per file for its package-level declarations.
func (ix *index) walk(insp *inspector.Inspector, relevant map[*ast.FuncDecl]bool) {
	info := ix.info
	var fl, pkgLevel *flow
	var file *ast.File
	written := make(map[*ast.Ident]bool) // identifiers that are assigned or discarded, not read
	insp.Root().Inspect(walkTypes, func(c inspector.Cursor) bool {
		parent := c.Parent().Node()
		switch n := c.Node().(type) {
		case *ast.File:
			if !ix.s.generated && isGenerated(n) {
				return false
			}
			file, fl, pkgLevel = n, nil, nil
			ix.files = append(ix.files, n)
		case *ast.FuncDecl:
			if !relevant[n] {
				if fn, ok := info.Defs[n.Name].(*types.Func); ok {
					ix.unwalked[fn] = true
				}
				fl = nil
				return false
			}
			fl = &flow{file: file, decl: n}
			fl.fn, _ = info.Defs[n.Name].(*types.Func)
			if fl.fn != nil {
				ix.flowOf[fl.fn] = fl
			}
			ix.addParams(fl, n.Recv, n.Type.Params)
			ix.flows = append(ix.flows, fl)
		case *ast.GenDecl:
			if _, top := parent.(*ast.File); !top {
				break // declared inside a function: part of its flow
			}
			if n.Tok != token.VAR && n.Tok != token.CONST {
				return false
			}
			if pkgLevel == nil {
				pkgLevel = &flow{file: file}
				ix.flows = append(ix.flows, pkgLevel)
			}
			fl = pkgLevel
		case *ast.FuncLit:
			ix.addParams(nil, n.Type.Params)
		case *ast.ReturnStmt:
			if fl.returns == nil {
				fl.returns = make(map[*ast.FuncLit][]*ast.ReturnStmt)
			}
			lit := innermostLit(c)
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
			if fl != nil {
				ix.recordCompositeLit(fl, n)
			}
		case *ast.CallExpr:
			if fl == nil {
				break
			}
			fl.calls = append(fl.calls, callSite{call: n, cur: c, fl: fl})
		case *ast.Ident:
			if sel, ok := parent.(*ast.SelectorExpr); ok && sel.Sel == n {
				break // a field, a method or a package's member: no variable of ours
			}
			if v, ok := info.Uses[n].(*types.Var); ok && !written[n] && ix.tracksReads(v) {
				ix.uses[v] = append(ix.uses[v], use{id: n, cur: c, fl: fl})
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			// The source text says whether "image" can be in the value
			// before the type information is asked.
			if e := n.(ast.Expr); fl != nil && mentionsImage(e) && isStringConst(info, e) && !isStringConst(info, asExpr(parent)) {
				if s := constant.StringVal(info.Types[e].Value); strings.Contains(s, "image") && manifestImageKey.MatchString(s) {
					fl.strings = append(fl.strings, e)
				}
			}
		}
		return true
	})
}

// innermostLit returns the function literal closest around c, or nil.
func innermostLit(c inspector.Cursor) *ast.FuncLit {
	for p := range c.Parent().Enclosing((*ast.FuncLit)(nil)) {
		return p.Node().(*ast.FuncLit)
	}
	return nil
}

// inLit reports whether u is inside a function literal, which may run any
// time.
func (u *use) inLit() bool { return innermostLit(u.cur) != nil }

// inLoop reports whether a for or range statement encloses c.
func inLoop(c inspector.Cursor) bool {
	for range c.Parent().Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		return true
	}
	return false
}

// inReturn reports whether the declared function returns c: the
// outermost return or function literal around c decides, as a return of a
// function literal lets the flow go on.
func inReturn(c inspector.Cursor) bool {
	ret := false
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.ReturnStmt:
			ret = true
		case *ast.FuncLit:
			ret = false
		}
	}
	return ret
}

// armsOf returns the arms of conditionals that enclose c.
func armsOf(c inspector.Cursor) []branch {
	var arms []branch
	for child, p := c, c.Parent(); p.Node() != nil; child, p = p, p.Parent() {
		n, parent := child.Node(), p.Node()
		switch parent := parent.(type) {
		case *ast.IfStmt:
			if n == parent.Body || (parent.Else != nil && n == parent.Else) {
				arms = append(arms, branch{parent, n})
			}
		case *ast.BlockStmt:
			switch n.(type) {
			case *ast.CaseClause, *ast.CommClause:
				arms = append(arms, branch{p.Parent().Node(), n}) // the switch or select
			}
		case *ast.FuncDecl:
			return arms
		}
	}
	return arms
}

// ancestors are the nodes enclosing a node, innermost first, as far as
// what receives a value can be told from.
type ancestors [maxAncestors]ast.Node

// ancestorsAt returns the ancestors of c; the array spares an allocation.
func ancestorsAt(c inspector.Cursor) (a ancestors) {
	i := 0
	for p := c.Parent(); p.Node() != nil && i < maxAncestors; p = p.Parent() {
		a[i] = p.Node()
		i++
	}
	return a
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
				if holdsValues(field.Type()) {
					fl.fieldDefs[field] = append(fl.fieldDefs[field], src)
				}
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
		if holdsValues(field.Type()) {
			fl.fieldDefs[field] = append(fl.fieldDefs[field], valueSource{rhs: value, index: -1, fl: fl})
		}
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

// mentionsImage reports whether a string literal, or a concatenation of
// literals and other expressions, has "image" in the source of a literal.
func mentionsImage(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING && strings.Contains(e.Value, "image")
	case *ast.BinaryExpr:
		return e.Op == token.ADD && (mentionsImage(ast.Unparen(e.X)) || mentionsImage(ast.Unparen(e.Y)) || !isLiteral(e.X) || !isLiteral(e.Y))
	}
	return false
}

func isLiteral(e ast.Expr) bool {
	switch ast.Unparen(e).(type) {
	case *ast.BasicLit, *ast.BinaryExpr:
		return true
	}
	return false
}

// def records an assignment to v, for variables that can hold what the
// checks follow: numbers, booleans and errors never do, and they are most
// of a program's assignments.
func (ix *index) def(v *types.Var, src valueSource) {
	if holdsValues(v.Type()) {
		ix.defs[v] = append(ix.defs[v], src)
	}
}

// holdsValues reports whether a variable or field of type t can hold what
// the checks follow: numbers, booleans, channels and errors never do.
func holdsValues(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Chan:
		return false
	}
	return !isError(t)
}
