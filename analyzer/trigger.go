package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strconv"

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

func (s *settings) importTriggers(path string) bool {
	for _, t := range triggers() {
		for _, p := range t.imports {
			if isPath(path, p) {
				return true
			}
		}
	}
	return false
}

func (s *settings) literalTriggers(lit *ast.BasicLit) bool {
	if lit.Kind != token.STRING {
		return false
	}
	text, err := strconv.Unquote(lit.Value)
	if err != nil {
		return false
	}
	for _, t := range triggers() {
		if t.literals != nil && t.literals.MatchString(text) {
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

func (s *settings) mayMatter(file *ast.File) bool {
	for _, imp := range file.Imports {
		if path, err := strconv.Unquote(imp.Path.Value); err == nil && s.importTriggers(path) {
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
