// Package analyzer defines imagetaglint, an analyzer that finds image
// references lost between the build, load and deploy steps of Kind-based
// end-to-end test infrastructure.
package analyzer

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/passes/printf"
)

// DocURL is the page documenting every check; each check has an anchor.
const DocURL = "https://github.com/imagetaglint/imagetaglint/blob/main/docs/checks.md"

// Analyzer reports with the configuration given by its flags.
var Analyzer = newFlagged()

func newAnalyzer() *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "imagetaglint",
		Doc:  analyzerDoc(),
		URL:  DocURL,
		// printf finds the print and printf wrappers: where an image is
		// only logged, and which templates are filled like fmt.Sprintf.
		Requires:  []*analysis.Analyzer{inspect.Analyzer, printf.Analyzer},
		FactTypes: []analysis.Fact{new(summary)},
		// Findings in the well-typed parts of a broken package still help.
		RunDespiteErrors: true,
	}
}

func run(pass *analysis.Pass, s *settings) (any, error) {
	analyse(pass, s)
	return nil, nil
}

// analyse reports the package's findings and returns its model and the
// findings reported, or nil when the package cannot matter.
func analyse(pass *analysis.Pass, s *settings) (*index, []finding) {
	if !s.packageMayMatter(pass) {
		return nil, nil
	}
	ix := newModel(pass, s)
	ix.exportSummaries()
	return ix, reportAll(ix, registry, parseDirectives(pass, ix.files))
}
