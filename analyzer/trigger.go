package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// A trigger is the syntax without which a check cannot find anything in a
// file: an import of a package whose API it models, a string literal of a
// shape it reads, or a call of a function the user configured. Drivers use
// triggers to skip packages before type-checking them; the analyzer uses
// them as its quick exit.
type trigger struct {
	imports  []string       // import paths
	literals *regexp.Regexp // matched against the unquoted value of string literals
	calls    bool           // calls of configured functions
}

// manifestImageKey matches a string that holds a YAML or JSON image key.
var manifestImageKey = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])"?image"?\s*:`)

// triggers returns the triggers of every check: facts are computed for all
// of them, so that disabling a check here cannot change what other
// packages see.
func triggers() []trigger {
	ts := make([]trigger, len(registry))
	for i, c := range registry {
		ts[i] = c.trigger
	}
	return ts
}

// triggerSet is the union of the checks' triggers, compiled once: most
// checks share one trigger, and every import, string literal and call of
// every file is matched against it.
type triggerSet struct {
	imports  map[string]bool  // import paths
	literals []*regexp.Regexp // distinct
}

func newTriggerSet() triggerSet {
	u := triggerSet{imports: make(map[string]bool)}
	for _, t := range triggers() {
		for _, p := range t.imports {
			u.imports[p] = true
		}
		if t.literals != nil && !slices.Contains(u.literals, t.literals) {
			u.literals = append(u.literals, t.literals)
		}
	}
	return u
}

func (s *settings) importTriggers(path string) bool {
	if s.triggers.imports[path] {
		return true
	}
	// A vendored copy (isPath): after any "/vendor/".
	for i := 0; ; i-- { // the next one may start at this one's last slash
		j := strings.Index(path[i:], "/vendor/")
		if j < 0 {
			return false
		}
		i += j + len("/vendor/")
		if s.triggers.imports[path[i:]] {
			return true
		}
	}
}

func (s *settings) literalTriggers(lit *ast.BasicLit) bool {
	if lit.Kind != token.STRING {
		return false
	}
	text, err := strconv.Unquote(lit.Value)
	if err != nil {
		return false
	}
	for _, re := range s.triggers.literals {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

func (s *settings) callTriggers(call *ast.CallExpr) bool {
	var name string
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	default:
		return false
	}
	return s.namesConfigured(name)
}

func (s *settings) mayMatter(file *ast.File) bool { return s.triggered(file, false) }

// triggered reports whether file holds a trigger; with beyondCoreAPI an
// import of the core API does not count.
func (s *settings) triggered(file *ast.File, beyondCoreAPI bool) bool {
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || beyondCoreAPI && isPath(path, corev1Path) {
			continue
		}
		if s.importTriggers(path) {
			return true
		}
	}
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			found = s.literalTriggers(n)
		case *ast.CallExpr:
			found = s.callTriggers(n)
		}
		return !found
	})
	return found
}

// packageMayMatter is the quick exit: the triggers of mayMatter, with the
// type information a pass has, plus calls of functions whose summaries
// other packages exported.
func (s *settings) packageMayMatter(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if s.importTriggers(imp.Path()) {
			return true
		}
	}
	seen := make(map[*types.Func]bool)
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || seen[fn] {
			continue
		}
		seen[fn] = true
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, new(summary)) {
			return true
		}
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range insp.PreorderSeq((*ast.BasicLit)(nil), (*ast.CallExpr)(nil)) {
		switch n := n.(type) {
		case *ast.BasicLit:
			if s.literalTriggers(n) {
				return true
			}
		case *ast.CallExpr:
			if s.callTriggers(n) {
				return true
			}
		}
	}
	return false
}

// namesConfigured reports whether name is the name of a configured
// producer or generator, or matches a name pattern.
func (s *settings) namesConfigured(name string) bool {
	for _, ms := range [][]funcMatcher{s.producers, s.generators} {
		for _, m := range ms {
			if m.name == name {
				return true
			}
		}
	}
	return s.deploy.MatchString(name) || s.build.MatchString(name) || s.load.MatchString(name)
}

// Relevance is what the syntax of a package's files says about analysing
// it, for drivers that skip packages before type-checking them.
type Relevance uint8

const (
	// Irrelevant: no file has a trigger. The package can produce no
	// finding and no fact.
	Irrelevant Relevance = iota
	// IfImported: the only trigger is an import of the core API
	// (k8s.io/api/core/v1), no suppression directive or embedded file, and
	// every container image the package writes is read from a field of
	// another value (Image: cr.Spec.Image), as every value written to such
	// a field is in turn. A controller that builds pod specs from its
	// custom resources has this shape. Such a package deploys only what
	// cannot be named: it can report nothing by itself, and its facts
	// change the findings only of packages that call its functions,
	// directly or through others. A driver that skips packages analyses
	// it when a Relevant package depends on it, transitively.
	IfImported
	// Relevant: the package may hold a finding or a fact of its own.
	Relevant
)

// relevance classifies a package by the syntax of its files.
func (s *settings) relevance(files []*ast.File) Relevance {
	core := false
	for _, f := range files {
		if s.triggered(f, true) {
			return Relevant
		}
		for _, imp := range f.Imports {
			if path, err := strconv.Unquote(imp.Path.Value); err == nil && isPath(path, corev1Path) {
				core = true
			}
		}
	}
	switch {
	case !core:
		return Irrelevant
	case writesOnlyFieldImages(files):
		return IfImported
	}
	return Relevant
}

// mayCarryFacts returns the names of the exported functions and methods
// of a package (its files) whose summaries may be facts. A function has
// none when, by syntax, it takes no parameter and its body only combines
// literals without a trigger and calls of functions that have none: its
// package's own, or those of the imports that inert names (user packages
// that are not analysed, which export no fact). It has nothing to pass
// on, no step, and no result the analysis can name. Any other construct
// may make a fact.
func (s *settings) mayCarryFacts(files []*ast.File, inert func(path string) (name string, ok bool)) map[string]bool {
	decls := make(map[*ast.FuncDecl][]string) // the package's functions called, by name
	funcs := make(map[string]*ast.FuncDecl)   // the package's functions (not methods)
	carries := make(map[*ast.FuncDecl]bool)
	for _, f := range files {
		pkgs := make(map[string]bool) // names of inert imports
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			// A package the checks model is never inert: a local fork of
			// one is a user package.
			if name, ok := inert(path); ok && !s.importTriggers(path) {
				if imp.Name != nil {
					name = imp.Name.Name
				}
				pkgs[name] = true
			}
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fd.Recv == nil {
				if funcs[fd.Name.Name] != nil {
					carries[fd] = true // init, or an error: no name to go by
				}
				funcs[fd.Name.Name] = fd
			}
			calls, ok := s.inertBody(fd, pkgs)
			decls[fd] = calls
			carries[fd] = carries[fd] || !ok
		}
	}
	// A function that calls one that carries a fact carries one.
	for changed := true; changed; {
		changed = false
		for fd, calls := range decls {
			for _, name := range calls {
				if !carries[fd] && (funcs[name] == nil || carries[funcs[name]]) {
					carries[fd] = true
					changed = true
				}
			}
		}
	}
	names := make(map[string]bool)
	for fd := range decls {
		if carries[fd] && fd.Name.IsExported() {
			names[fd.Name.Name] = true
		}
	}
	return names
}

// inertBody reports whether fd has the shape of a function that carries no
// fact by itself (see mayCarryFacts), and returns the names of the
// functions of its package that it calls. pkgs are the names of the
// file's inert imports.
func (s *settings) inertBody(fd *ast.FuncDecl, pkgs map[string]bool) ([]string, bool) {
	if fd.Body == nil || fd.Type.TypeParams != nil || fd.Type.Params.NumFields() > 0 {
		return nil, false
	}
	if fd.Type.Results != nil {
		for _, r := range fd.Type.Results.List {
			if len(r.Names) > 0 {
				return nil, false // named results are variables
			}
		}
	}
	// The receiver's names shadow imports and functions.
	shadowed := make(map[string]bool)
	if fd.Recv != nil {
		ast.Inspect(fd.Recv, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				shadowed[id.Name] = true
			}
			return true
		})
	}
	var calls []string
	named := make(map[*ast.Ident]bool) // the identifiers of allowed callees
	bad := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if bad {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			switch fun := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				if !shadowed[fun.Name] {
					named[fun] = true
					calls = append(calls, fun.Name)
				}
			case *ast.SelectorExpr:
				if x, ok := fun.X.(*ast.Ident); ok && pkgs[x.Name] && !shadowed[x.Name] {
					named[x], named[fun.Sel] = true, true
				}
			}
			bad = s.callTriggers(n)
		case *ast.BasicLit:
			bad = s.literalTriggers(n)
		case *ast.Ident:
			bad = !named[n] // any other name may hold an image
		case *ast.FuncLit, *ast.CompositeLit:
			bad = true
		}
		return !bad
	})
	return calls, !bad
}

// A fieldWrite is a value written, by syntax, to a field of this name: a
// keyed element of a composite literal, or an assignment to a selector.
type fieldWrite struct {
	field   string
	value   ast.Expr        // nil when the value cannot be told (op=, range, a multi-value call)
	params  map[string]bool // parameters of the enclosing functions, receivers excluded
	imports map[string]bool // the file's package names
}

// writesOnlyFieldImages reports whether the files' container images can
// only be read from fields whose every write is again such a read, with
// nothing else the analysis reads: no directive, no embedded file, no
// positional struct literal (whose fields cannot be told without types).
// The analysis follows a field read only through the writes of that field
// (by identity; here, over-approximated by name), so such images resolve
// to nothing known: no constant, call, parameter or variable. A read of a
// parameter's own field (Image: o.Image) is excluded: the summary records
// it as an effect on the caller's field.
func writesOnlyFieldImages(files []*ast.File) bool {
	var writes []fieldWrite
	vars := make(map[string]bool) // names declared as variables, parameters included
	declare := func(lists ...*ast.FieldList) {
		for _, list := range lists {
			if list == nil {
				continue
			}
			for _, f := range list.List {
				for _, name := range f.Names {
					vars[name.Name] = true
				}
			}
		}
	}
	for _, f := range files {
		for _, group := range f.Comments {
			for _, c := range group.List {
				if strings.HasPrefix(c.Text, directivePrefix) || strings.HasPrefix(c.Text, "//go:embed") {
					return false
				}
			}
		}
		imports := make(map[string]bool)
		for _, imp := range f.Imports {
			importNames(imp, imports)
		}
		positional := false
		var funcs []*ast.FieldList // parameters of the enclosing functions
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				switch stack[len(stack)-1].(type) {
				case *ast.FuncDecl, *ast.FuncLit:
					funcs = funcs[:len(funcs)-1]
				}
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			add := func(field string, value ast.Expr) {
				params := make(map[string]bool)
				for _, list := range funcs {
					for _, p := range list.List {
						for _, name := range p.Names {
							params[name.Name] = true
						}
					}
				}
				writes = append(writes, fieldWrite{field: field, value: value, params: params, imports: imports})
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				funcs = append(funcs, n.Type.Params)
				declare(n.Recv, n.Type.Params, n.Type.Results)
			case *ast.FuncLit:
				funcs = append(funcs, n.Type.Params)
				declare(n.Type.Params, n.Type.Results)
			case *ast.ValueSpec:
				for _, name := range n.Names {
					vars[name.Name] = true
				}
			case *ast.CompositeLit:
				if isPositional(n) {
					positional = true
				}
			case *ast.KeyValueExpr:
				if key, ok := n.Key.(*ast.Ident); ok {
					add(key.Name, n.Value)
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && n.Tok == token.DEFINE {
						vars[id.Name] = true
					}
					if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
						var value ast.Expr
						if len(n.Lhs) == len(n.Rhs) && n.Tok == token.ASSIGN {
							value = n.Rhs[i]
						}
						add(sel.Sel.Name, value)
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && n.Tok == token.DEFINE {
						vars[id.Name] = true
					}
					if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok && e != nil {
						add(sel.Sel.Name, nil)
					}
				}
			}
			return !positional
		})
		if positional {
			return false
		}
	}
	// The fields that may hold a container image: Image, then every field
	// one of them is read from, to a fixpoint.
	tracked := map[string]bool{"Image": true}
	for changed := true; changed; {
		changed = false
		for _, w := range writes {
			if !tracked[w.field] {
				continue
			}
			from, ok := w.readsField(vars)
			if !ok {
				return false
			}
			if !tracked[from] {
				tracked[from] = true
				changed = true
			}
		}
	}
	return true
}

// readsField returns the field w's value reads, when the value is a field
// of a value held in variables, fields and elements (cr.Spec.Image,
// pods[i].Spec.Containers[0].Image) whose root is a variable of the
// package (vars), not a package name: a qualified name is another
// package's variable or constant.
func (w fieldWrite) readsField(vars map[string]bool) (string, bool) {
	sel, ok := ast.Unparen(w.value).(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	for e := sel.X; ; {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			if !vars[x.Name] || w.imports[x.Name] {
				return "", false
			}
			if w.field == "Image" && w.params[x.Name] && e == sel.X {
				return "", false // a parameter's own field: an effect on the caller's
			}
			return sel.Sel.Name, true
		case *ast.StarExpr:
			if e == sel.X {
				if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && w.field == "Image" && w.params[id.Name] {
					return "", false // (*o).Image, as o.Image
				}
			}
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		default:
			return "", false // a call, a literal, ...
		}
	}
}

// isPositional reports whether lit may be a struct literal with unkeyed
// fields: an element that is neither keyed nor itself a literal (the
// element of a slice of structs), in a literal whose type is not written
// as an array, slice or map.
func isPositional(lit *ast.CompositeLit) bool {
	switch lit.Type.(type) {
	case *ast.ArrayType, *ast.MapType:
		return false
	}
	for _, elt := range lit.Elts {
		switch e := ast.Unparen(elt).(type) {
		case *ast.KeyValueExpr, *ast.CompositeLit:
		case *ast.UnaryExpr:
			if _, ok := ast.Unparen(e.X).(*ast.CompositeLit); !ok || e.Op != token.AND {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// importNames adds to names the names a file may use for an import: its
// own, else guesses from the path (the package clause decides, which only
// type-checking reads): the last element, or the one before a major
// version (k8s.io/api/core/v1, example.com/m/v2), and its parts around "."
// and "-" (gopkg.in/yaml.v3, go-config).
func importNames(imp *ast.ImportSpec, names map[string]bool) {
	if imp.Name != nil {
		names[imp.Name.Name] = true
		return
	}
	path, _ := strconv.Unquote(imp.Path.Value)
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	names[last] = true
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = elems[len(elems)-2]
	}
	for _, part := range strings.FieldsFunc(last, func(r rune) bool { return r == '.' || r == '-' }) {
		names[part] = true
	}
	names[strings.NewReplacer(".", "", "-", "").Replace(last)] = true
}
