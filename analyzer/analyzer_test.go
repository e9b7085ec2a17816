package analyzer_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"golang.org/x/tools/go/analysis"
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

// TestChecks runs every check on the testdata of testdata/checks (a
// check's own directory is named like it without dashes), on the bundled
// example that reconstructs the incident reports, its fixed twin and the
// negatives, in one load. Every check runs everywhere, so a new check that
// fires on another's testdata is seen there. The mismatches are reported
// by directory, so one directory is the fast loop:
// go test ./analyzer -run 'TestChecks/undeployedimage'.
func TestChecks(t *testing.T) {
	dir := testdata(t)
	entries, err := os.ReadDir(filepath.Join(dir, "checks"))
	if err != nil {
		t.Fatal(err)
	}
	byDir := make(map[string][]string)
	analysistest.Run(routed(byDir), dir, analyzer.Analyzer, checksPatterns...)
	names := []string{"example", "negatives"}
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			for _, msg := range byDir[name] {
				t.Error(msg)
			}
		})
		delete(byDir, name)
	}
	for _, msgs := range byDir {
		for _, msg := range msgs {
			t.Error(msg)
		}
	}
}

var checksPatterns = []string{"./checks/...", "./example/...", "./negatives/..."}

// routed collects analysistest's errors by the testdata directory they
// name: checks/<dir>, example or negatives ("" for any other).
type routed map[string][]string

var testdataDirOf = regexp.MustCompile(`testdata/(?:checks/)?([^/]+)/`)

func (r routed) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := ""
	if m := testdataDirOf.FindStringSubmatch(msg); m != nil {
		key = m[1]
	}
	r[key] = append(r[key], msg)
}

// TestChecksHaveTestdata holds that go test -short sees every check
// report: on the testdata TestChecks runs, or on a repository of
// TestRepos. A check without testdata fails here by name, not by a
// missing finding elsewhere.
func TestChecksHaveTestdata(t *testing.T) {
	reported := make(map[string]bool)
	collect := func(dir string, patterns ...string) {
		for _, r := range analysistest.Run(routed{}, dir, analyzer.Analyzer, patterns...) {
			for _, d := range r.Diagnostics {
				reported[d.Category] = true
			}
		}
	}
	collect(testdata(t), checksPatterns...)
	repos, err := filepath.Glob(filepath.Join("testdata", "repos", "*", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, mod := range repos {
		dir, err := filepath.Abs(filepath.Dir(mod))
		if err != nil {
			t.Fatal(err)
		}
		collect(dir, "./...")
	}
	for _, name := range analyzer.Checks {
		if !reported[name] {
			t.Errorf("no testdata of go test -short makes %s report: add testdata/checks/%s with its positives (// want) and negatives", name, strings.ReplaceAll(name, "-", ""))
		}
	}
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
	runFixes(t, analyzer.Analyzer, "./fixes")
}

// runFixes runs RunWithSuggestedFixes, which ignores a .golden file whose
// source file received no fix, and fails in that case.
func runFixes(t *testing.T, a *analysis.Analyzer, pkg string) {
	t.Helper()
	dir := testdata(t)
	fixed := make(map[string]bool)
	for _, r := range analysistest.RunWithSuggestedFixes(t, dir, a, pkg) {
		for _, d := range r.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					fixed[r.Pass.Fset.File(e.Pos).Name()] = true
				}
			}
		}
	}
	goldens, err := filepath.Glob(filepath.Join(dir, pkg, "*.golden"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no .golden files in %s: %v", pkg, err)
	}
	for _, g := range goldens {
		if !fixed[strings.TrimSuffix(g, ".golden")] {
			t.Errorf("%s: no suggested fix applies to its source file", g)
		}
	}
}

func TestSuggestedFixHardcodedImage(t *testing.T) {
	cfg := analyzer.DefaultConfig()
	cfg.Disable = []string{analyzer.CheckIgnoredImageParam}
	a, err := analyzer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runFixes(t, a, "./fixes/hardcoded")
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

// TestEcosystem runs over testdata/ecosystem, a module of suites on the
// real libraries (e2e-framework, helm, controller-runtime, client-go, the
// Docker SDKs, a kubebuilder scaffold), with the build tag of its tagged
// suites. It loads every dependency from source, as analysistest does:
// about a minute and 3 GB, skipped by -short.
func TestEcosystem(t *testing.T) {
	if testing.Short() {
		t.Skip("loads helm, controller-runtime and client-go from source")
	}
	dir := filepath.Join(testdata(t), "ecosystem")
	// analysistest lists packages with GOPROXY=off: on a fresh machine the
	// module cache must be filled first (its go.sum is complete).
	download := exec.Command("go", "mod", "download")
	download.Dir = dir
	if out, err := download.CombinedOutput(); err != nil {
		t.Fatalf("go mod download in %s: %v\n%s", dir, err, out)
	}
	t.Setenv("GOFLAGS", "-tags=e2e")
	analysistest.Run(t, dir, analyzer.Analyzer, ecosystemPatterns()...)
}

func ecosystemPatterns() []string {
	if p := os.Getenv("ECOSYSTEM_PATTERN"); p != "" {
		return []string{p}
	}
	// The kubebuilder scaffold's utils stays verbatim: its facts are
	// checked through the suite that imports it.
	return []string{"./buggy/...", "./e2eframework/...", "./helmsdk/...", "./controllerruntime/...", "./clientgo/...", "./docker/...", "./kubebuilder/test/e2e", "./suites/..."}
}

// TestSuggestedFixSplit applies hand-split-reference's fix.
func TestSuggestedFixSplit(t *testing.T) {
	runFixes(t, analyzer.Analyzer, "./fixes/split")
}

// TestRestoreRelated holds that a finding on a file applied after a
// restore (testdata/checks/files/restore.go) names the restore as a
// related position: the line that made the file as written again.
func TestRestoreRelated(t *testing.T) {
	found := 0
	for _, r := range analysistest.Run(routed{}, testdata(t), analyzer.Analyzer, "./checks/files") {
		for _, d := range r.Diagnostics {
			at := r.Pass.Fset.Position(d.Pos)
			if filepath.Base(at.Filename) != "restore.go" {
				continue
			}
			src, err := os.ReadFile(at.Filename)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			restored := ""
			for _, rel := range d.Related {
				if strings.HasPrefix(rel.Message, "the file is restored here") {
					restored = lines[r.Pass.Fset.Position(rel.Pos).Line-1]
				}
			}
			if !strings.Contains(restored, `"restore"`) && !strings.Contains(restored, `"checkout"`) && !strings.Contains(restored, "orig, 0o644") {
				t.Errorf("%s: %s relates no restore (%q)", at, d.Message, restored)
			}
			found++
		}
	}
	if found != 3 {
		t.Errorf("%d findings in restore.go, want 3", found)
	}
}
