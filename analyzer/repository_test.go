package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestRepos runs each repository under testdata/repos, a module of its
// own with a Makefile, an included .mk, a script, a workflow and a
// Dockerfile beside its suites: Go calls of make and of scripts are
// followed into them.
func TestRepos(t *testing.T) {
	repos, err := filepath.Glob(filepath.Join("testdata", "repos", "*", "go.mod"))
	if err != nil || len(repos) == 0 {
		t.Fatalf("no repository in testdata/repos: %v", err)
	}
	for _, mod := range repos {
		dir, err := filepath.Abs(filepath.Dir(mod))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, ".github")); err != nil {
				t.Fatalf("%s has no .github: its repository root would be imagetaglint's", dir)
			}
			analysistest.Run(t, dir, analyzer.Analyzer, "./...")
		})
	}
}
