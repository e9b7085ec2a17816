package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// The standalone driver. singlechecker loads every dependency, the standard
// library included, from source as soon as an analyzer has facts: on a
// 20k-line module that is 4x the time and 5x the memory of the type-check
// itself. imagetaglint's facts can only come from the user's own code, so
// this driver loads from source the packages named on the command line and
// the packages of the main module they import, and everything else from
// export data, as a driver for a fact-free analyzer would.

// delegated reports whether args ask for what only singlechecker does:
// go vet's protocol, applying fixes, help and debugging.
func delegated(args []string) bool {
	for _, arg := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") {
			if strings.HasSuffix(arg, ".cfg") {
				return true // go vet's unit of work
			}
			continue
		}
		switch name {
		case "fix", "diff", "flags", "V", "h", "help", "debug", "cpuprofile", "memprofile", "trace":
			return true
		}
	}
	return false
}

// lint runs a on the packages that args name and returns the exit code:
// 0 no findings, 3 findings, 1 load or analysis errors, 2 bad flags.
func lint(a *analysis.Analyzer, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	tests := fs.Bool("test", true, "also analyse test files")
	jsonOut := fs.Bool("json", false, "print findings as JSON")
	context := fs.Int("c", -1, "print the offending line with this many lines of context")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}

	roots, err := load(patterns, *tests)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
		return 1
	}
	code := 0
	if packages.PrintErrors(roots) > 0 {
		code = 1
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, roots, nil)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
		return 1
	}
	if *jsonOut {
		if err := graph.PrintJSON(os.Stdout); err != nil {
			return 1
		}
		return 0
	}
	if err := graph.PrintText(stderr, *context); err != nil {
		return 1
	}
	for act := range graph.All() {
		switch {
		case act.Err != nil:
			code = 1
		case act.IsRoot && len(act.Diagnostics) > 0 && code == 0:
			code = 3
		}
	}
	return code
}

// load loads the packages matching patterns from source. Main-module
// packages they import are loaded from source too, in a second load only
// when there are any, so that their facts reach the roots; every other
// package comes from export data and drops out of the analysis graph.
func load(patterns []string, tests bool) ([]*packages.Package, error) {
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Tests: tests}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	if extra := mainModuleImports(roots); len(extra) > 0 {
		all, err := packages.Load(cfg, append(slices.Clone(patterns), extra...)...)
		if err != nil {
			return nil, err
		}
		roots = keepRoots(all, roots)
	}
	pruneToSource(roots)
	return roots, nil
}

// mainModuleImports returns the import paths of main-module packages that
// roots import but that are not among them.
func mainModuleImports(roots []*packages.Package) []string {
	isRoot := make(map[string]bool)
	for _, p := range roots {
		isRoot[p.PkgPath] = true
	}
	var extra []string
	for _, p := range roots {
		if p.Module == nil || !p.Module.Main {
			continue
		}
		for path := range p.Imports {
			if !isRoot[path] && !slices.Contains(extra, path) && strings.HasPrefix(path, p.Module.Path) {
				extra = append(extra, path)
			}
		}
	}
	slices.Sort(extra)
	return extra
}

// keepRoots returns the packages of all that have the IDs of roots.
func keepRoots(all, roots []*packages.Package) []*packages.Package {
	var kept []*packages.Package
	for _, p := range all {
		if slices.ContainsFunc(roots, func(r *packages.Package) bool { return r.ID == p.ID }) {
			kept = append(kept, p)
		}
	}
	return kept
}

// pruneToSource removes from the import graph the packages loaded from
// export data: there is nothing to analyse in them and no fact to gain.
func pruneToSource(roots []*packages.Package) {
	packages.Visit(roots, nil, func(p *packages.Package) {
		for path, dep := range p.Imports {
			if dep.Syntax == nil {
				delete(p.Imports, path)
			}
		}
	})
}
