// Command noop is the benchmark baseline for imagetaglint: an analyzer that
// requires the same base pass (inspect) and does nothing, so the difference
// in cost between the two is what imagetaglint itself adds.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// Analyzer depends on inspect so the baseline pays for building the
// inspector, as imagetaglint does.
var Analyzer = &analysis.Analyzer{
	Name:     "noop",
	Doc:      "noop requires inspect.Analyzer and reports nothing; it is the imagetaglint benchmark baseline",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(Analyzer) }
