package analyzer

import (
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// A trigger is the syntax without which a check cannot find anything in a
// file: an import of a package whose API it models, a string literal of a
// shape it reads, or a call of a function the user configured. Drivers use
// triggers to skip packages before type-checking them; the analyzer uses
// them as its quick exit.
type trigger struct {
	imports  []string       // import paths
	literals *regexp.Regexp // matched against the unquoted value of string literals
	calls    bool           // calls of configured producers and generators
}

// manifestImageKey matches a string that holds a YAML or JSON image key.
var manifestImageKey = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])"?image"?\s*:`)

// commonTriggers are shared by every check that follows image values.
var commonTriggers = []trigger{
	{imports: []string{"os/exec", corev1Path}},
	{literals: manifestImageKey},
	{calls: true},
}

// MayMatter reports whether the syntax of file may hold anything a check
// enabled by cfg reads. A package none of whose files may matter, and none
// of whose imports (transitively, among the packages analysed from source)
// contains such a file, can produce no finding and no fact: a driver may
// skip type-checking it.
func MayMatter(cfg Config, file *ast.File) bool {
	s, err := cfg.compile()
	if err != nil {
		return true
	}
	return s.mayMatter(file)
}

func (s *settings) mayMatter(file *ast.File) bool {
	triggers := commonTriggers
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		for _, t := range triggers {
			for _, p := range t.imports {
				if path == p || strings.HasSuffix(path, "/vendor/"+p) {
					return true
				}
			}
		}
	}
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			text, err := strconv.Unquote(n.Value)
			if err != nil {
				return true
			}
			for _, t := range triggers {
				if t.literals != nil && t.literals.MatchString(text) {
					found = true
				}
			}
		case *ast.CallExpr:
			var name string
			switch fun := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				name = fun.Name
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			}
			if name != "" && s.namesConfigured(name) {
				found = true
			}
		}
		return !found
	})
	return found
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

// NewTrigger returns MayMatter for cfg with cfg compiled once, for drivers
// that test many files. The function is safe for concurrent use.
func NewTrigger(cfg Config) (func(*ast.File) bool, error) {
	s, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	return s.mayMatter, nil
}
