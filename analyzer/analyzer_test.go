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

// TestChecks runs every check's package, the bundled example that
// reconstructs the incident reports, its fixed twin and the negatives, in
// one load.
func TestChecks(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "./checks/...", "./example/...", "./negatives/...")
}

// TestQualifiedProducer configures a method by package path and receiver:
// it is matched by identity, not by name.
func TestQualifiedProducer(t *testing.T) {
	cfg := analyzer.DefaultConfig()
	cfg.Producers = append(cfg.Producers, "imagetaglint.test/e2e/config/qualified.Builder.Build")
	a, err := analyzer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata(t), a, "./config/qualified")
}

// TestSuggestedFixes applies every fix and compares with the .golden files.
func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), analyzer.Analyzer, "./fixes")
}

func TestSuggestedFixHardcodedImage(t *testing.T) {
	cfg := analyzer.DefaultConfig()
	cfg.Disable = []string{analyzer.CheckIgnoredImageParam}
	a, err := analyzer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, testdata(t), a, "./fixes/hardcoded")
}

// TestLocalityConfig extends the official images and switches the
// unqualified-name rule off.
func TestLocalityConfig(t *testing.T) {
	for _, tc := range []struct {
		pkg  string
		edit func(*analyzer.Config)
	}{
		{"./config/official", func(c *analyzer.Config) { c.OfficialImages = []string{"kubernaut-tools"} }},
		{"./config/unofficial", func(c *analyzer.Config) { c.UnofficialLocal = false }},
	} {
		cfg := analyzer.DefaultConfig()
		tc.edit(&cfg)
		a, err := analyzer.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		analysistest.Run(t, testdata(t), a, tc.pkg)
	}
}
