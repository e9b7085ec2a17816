package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/chart"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// CheckUnknownChartValue: a helm install sets an image through a key the
// chart does not have; helm ignores it and the chart's default image runs.
const CheckUnknownChartValue = "unknown-chart-value"

var unknownChartValue = register(&check{
	name:    CheckUnknownChartValue,
	trigger: flowTrigger,
	rank:    40,
	run:     runUnknownChartValue,
})

// setAt returns where the value of key is written in the Go code: the
// run-time part of its value, or the install itself.
func (ix *index) setAt(st step, im chart.Image, key []string) ast.Node {
	var part command.Value
	switch key[len(key)-1] {
	case "registry":
		part = im.Registry
	case "repository", "name":
		part = im.Repository
	case "tag":
		part = im.Tag
	case "digest":
		part = im.Digest
	case "image":
		part = im.Ref
	}
	for _, p := range part {
		if slots := st.helm().slots; p.Slot >= 0 && p.Slot < len(slots) {
			return slots[p.Slot]
		}
	}
	// The literal that writes "key=" in the call's arguments (an option
	// of the install, a word of its command line) or in the options it
	// merges.
	text := strings.Join(key, ".") + "="
	var found ast.Node
	for _, root := range append([]ast.Node{st.at}, st.helm().sources...) {
		ast.Inspect(root, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && found == nil && lit.Kind == token.STRING && strings.Contains(lit.Value, text) {
				found = lit
			}
			return found == nil
		})
	}
	if found == nil {
		return st.at
	}
	return found
}

// runUnknownChartValue checks each --set or values key that sets an image
// (repository, tag, image, registry, digest) against the chart, when the
// chart is a directory of the module: a key its values.yaml does not define
// and no template reads is reported.
func runUnknownChartValue(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		for _, st := range steps {
			if st.helm() == nil || st.helm().chart == nil {
				continue
			}
			for _, im := range st.helm().images {
				for _, key := range im.Keys {
					ok, where := st.helm().chart.HasValue(key)
					if ok {
						continue
					}
					f := newFinding(CheckUnknownChartValue, ix.setAt(st, im, key),
						"%s sets %s, which chart %q does not have: helm ignores it and the chart's default image runs; set the key the chart reads",
						st.where, strings.Join(key, "."), st.helm().chartDir)
					if where.Line > 0 {
						f.message += fmt.Sprintf(" (its nearest key is at %s:%d)", where.File, where.Line)
					}
					// The loaded image goes undeployed because of this key,
					// here or in the flows that call this one.
					f.subject = subject{st.at.Pos(), value{}}
					// With one of its image keys ignored, what the install
					// runs is not what it was meant to: its images are
					// explained here, whichever key they come from.
					for _, v := range st.images {
						f.explains = append(f.explains, subject{st.at.Pos(), v})
					}
					f.explains = append(f.explains, buildsAndLoads(steps, value{})...)
					for _, ref := range ix.callers[fl.fn] {
						f.explains = append(f.explains, buildsAndLoads(ix.flowSteps(ref.fl), value{})...)
					}
					for _, other := range ix.flowsThrough(fl.fn) {
						f.explains = append(f.explains, buildsAndLoads(ix.steps(other), value{})...)
					}
					out = append(out, f)
				}
			}
		}
	}
	return out
}
