package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata is the module of test packages, shared with the bundled example.
func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestChecks(t *testing.T) {
	for _, pkg := range []string{
		"discardedimage",
		"hardcodedimage",
		"deploytimetag",
		"regeneratedtag",
		"retagafterload",
		"ignoredimageparam",
		"imagemismatch",
		"suppress",
	} {
		t.Run(pkg, func(t *testing.T) {
			analysistest.Run(t, testdata(t), analyzer.Analyzer, "./checks/"+pkg)
		})
	}
}
