package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"github.com/imagetaglint/imagetaglint/flowmap"
)

// flowsFlag is -flows: alone it asks for the text map, -flows=FORMAT for
// another format.
type flowsFlag struct{ format *string }

func (f flowsFlag) IsBoolFlag() bool { return true }
func (f flowsFlag) String() string {
	if f.format == nil {
		return ""
	}
	return *f.format
}

func (f flowsFlag) Set(s string) error {
	switch {
	case s == "true":
		*f.format = "text"
	case s == "false":
		*f.format = ""
	case slices.Contains(flowmap.Formats(), s):
		*f.format = s
	default:
		return fmt.Errorf("unknown format %q (formats: %s)", s, strings.Join(flowmap.Formats(), ", "))
	}
	return nil
}

// descriptions returns the descriptions of the root packages, each
// package once: a package analysed with its tests is described by its
// test variant, which holds all of its files.
func descriptions(graph *checker.Graph, a *analysis.Analyzer) []*analyzer.Description {
	type root struct {
		id   string
		desc *analyzer.Description
	}
	var roots []root
	for act := range graph.All() {
		if !act.IsRoot || act.Analyzer != a || act.Err != nil {
			continue
		}
		if d, ok := act.Result.(*analyzer.Description); ok && d != nil {
			roots = append(roots, root{act.Package.ID, d})
		}
	}
	slices.SortFunc(roots, func(a, b root) int { return cmp.Compare(a.id, b.id) })
	var out []*analyzer.Description
	for _, r := range roots {
		variant := r.id + " ["
		if !strings.Contains(r.id, " ") && slices.ContainsFunc(roots, func(o root) bool { return strings.HasPrefix(o.id, variant) }) {
			continue
		}
		out = append(out, r.desc)
	}
	return out
}

// flowMap merges the packages' flows into one map, positions relative to
// wd, in the order of their positions.
func flowMap(descs []*analyzer.Description, wd string) *flowmap.Map {
	m := &flowmap.Map{Version: flowmap.Version}
	seen := make(map[string]bool)
	for _, d := range descs {
		for _, fl := range d.Flows {
			key := fl.Name + "\x00" + fl.Pos.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			m.Flows = append(m.Flows, relFlow(fl, wd))
		}
	}
	slices.SortStableFunc(m.Flows, func(a, b flowmap.Flow) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Name, b.Name))
	})
	return m
}

// relFlow returns fl with its file names relative to wd.
func relFlow(fl flowmap.Flow, wd string) flowmap.Flow {
	rel := func(p *flowmap.Position) {
		if p.File != "" {
			p.File = filepath.ToSlash(relPath(wd, p.File))
		}
	}
	rel(&fl.Pos)
	fl.Steps = slices.Clone(fl.Steps)
	for i := range fl.Steps {
		st := &fl.Steps[i]
		rel(&st.Pos)
		st.Via = slices.Clone(st.Via)
		for j := range st.Via {
			rel(&st.Via[j].Pos)
		}
		st.Findings = slices.Clone(st.Findings)
		for j := range st.Findings {
			rel(&st.Findings[j].Pos)
		}
	}
	fl.Unknowns = slices.Clone(fl.Unknowns)
	for i := range fl.Unknowns {
		rel(&fl.Unknowns[i].Pos)
	}
	return fl
}

// explain writes the explanations of the functions name designates:
// pkg.Func, pkg.Type.Method, Func or Type.Method, pkg being the package's
// name or import path.
func explain(w io.Writer, descs []*analyzer.Description, name, wd string) error {
	var found []analyzer.Explanation
	for _, d := range descs {
		for _, e := range d.Funcs {
			if explains(e, name) && !slices.ContainsFunc(found, func(f analyzer.Explanation) bool { return f.Pos == e.Pos }) {
				found = append(found, e)
			}
		}
	}
	if len(found) == 0 {
		return fmt.Errorf("-explain: %w: %s", errNotFound, name)
	}
	for i, e := range found {
		if i > 0 {
			fmt.Fprintln(w)
		}
		pos := e.Pos
		pos.File = filepath.ToSlash(relPath(wd, pos.File))
		fmt.Fprintf(w, "%s  (%s)  %s\n", e.Name, e.Path, pos)
		for _, l := range e.Lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	return nil
}

// explains reports whether name designates e.
func explains(e analyzer.Explanation, name string) bool {
	_, local, _ := strings.Cut(e.Name, ".") // Func or Type.Method
	switch name {
	case e.Name, local, e.Path + "." + local:
		return true
	}
	return false
}

// errNotFound is returned when -explain names no function that handles
// images.
var errNotFound = errors.New("no function of the analysed packages that handles images is named")

// errNoExplain is returned for an empty -explain.
var errNoExplain = errors.New("-explain needs a function: pkg.Func, Func or Type.Method")
