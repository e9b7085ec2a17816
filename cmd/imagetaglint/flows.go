package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
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
		return fmt.Errorf("-explain %s: %w", name, errNotFound)
	}
	for i, e := range found {
		if i > 0 {
			fmt.Fprintln(w)
		}
		pos := e.Pos
		pos.File = filepath.ToSlash(relPath(wd, pos.File))
		fmt.Fprintf(w, "%s  (%s)  %s\n", e.Name, e.Path, pos)
		lines := slices.Clone(e.Lines)
		// The calls from other analysed packages.
		for _, d := range descs {
			for _, c := range d.Calls {
				if c.Name == e.Name && c.Path == e.Path {
					lines = append(lines, c.Lines...)
				}
			}
		}
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "called by ") }) {
			lines = append(lines, "no caller in the analysed packages")
		}
		for _, l := range slices.Compact(lines) {
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
var errNotFound = errors.New("no function of that name handles images in the analysed packages")

// errNoExplain is returned for an empty -explain.
var errNoExplain = errors.New("-explain needs a function: pkg.Func, Func or Type.Method")

// pathKey identifies a finding in the flow map: its check and position.
type pathKey struct {
	file      string
	line, col int
	check     string
}

func pathKeyOf(f finding) pathKey {
	return pathKey{f.Posn.File, f.Posn.Line, f.Posn.Column, f.Check}
}

// A findingPath is the steps of one flow that lead to a finding: the
// steps before it on its images, through re-tags, and its own step.
type findingPath struct {
	flow  string // "path in infrastructure.SetupX"
	steps []pathStep
}

type pathStep struct {
	pos     flowmap.Position
	message string
}

// findingPaths returns the paths of the findings that involve several
// steps, one per flow they are on. A step is placed where its flow does
// it, the call that leads there (as the findings' related positions are);
// its message says where inside.
func findingPaths(descs []*analyzer.Description) map[pathKey][]findingPath {
	paths := make(map[pathKey][]findingPath)
	for _, d := range descs {
		for _, fl := range d.Flows {
			for n, st := range fl.Steps {
				if len(st.Findings) == 0 {
					continue
				}
				steps := pathTo(&fl, n)
				if len(steps) < 2 {
					continue
				}
				for _, f := range st.Findings {
					k := pathKey{f.Pos.File, f.Pos.Line, f.Pos.Col, f.Check}
					paths[k] = append(paths[k], findingPath{flow: "path in " + fl.Name, steps: steps})
				}
			}
		}
	}
	return paths
}

// pathTo returns the steps of fl up to step n that act on its images or,
// through re-tags, on the images they were made from.
func pathTo(fl *flowmap.Flow, n int) []pathStep {
	images := make(map[string]bool)
	for _, im := range fl.Steps[n].Images {
		images[im.ID] = true
	}
	var rev []pathStep
	for i := n; i >= 0; i-- {
		st := &fl.Steps[i]
		on := false
		for _, im := range st.Images {
			on = on || images[im.ID]
		}
		if !on {
			continue
		}
		if (st.Kind == flowmap.StepRetag || st.Kind == flowmap.StepNodeRetag) && len(st.Images) == 2 && images[st.Images[1].ID] {
			images[st.Images[0].ID] = true
		}
		rev = append(rev, pathStepOf(fl, st))
	}
	slices.Reverse(rev)
	return rev
}

func pathStepOf(fl *flowmap.Flow, st *flowmap.Step) pathStep {
	var refs []string
	for _, si := range st.Images {
		for _, im := range fl.Images {
			if im.ID == si.ID {
				refs = append(refs, im.Ref.Text)
			}
		}
	}
	msg := string(st.Kind) + " " + strings.Join(refs, " -> ")
	if st.Where != "" {
		msg += " (" + st.Where + ")"
	}
	pos := st.Pos
	if len(st.Via) > 0 {
		pos = st.Via[0].Pos
		msg += " at " + filepath.Base(st.Pos.File) + ":" + strconv.Itoa(st.Pos.Line)
	}
	return pathStep{pos: pos, message: msg}
}
