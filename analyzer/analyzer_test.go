package analyzer_test

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// TestChecks runs each check alone on its own testdata
// (testdata/checks/<name without dashes>), with the checks the
// directory's also-run.txt names; the model's directories (the others of
// testdata/checks) and the bundled example (the incident reports and
// their fixed twin) run the checks their also-run.txt names, and the
// negatives every check. One load for all; mismatches are reported by directory, so one
// directory is the fast loop:
// go test ./analyzer -run 'TestChecks$/undeployedimage'.
func TestChecks(t *testing.T) { runTestdata(t, testdata(t)) }

// runTestdata runs TestChecks on root, the testdata module or a copy.
func runTestdata(t *testing.T, root string) {
	runs := testdataRuns(t, root)
	var patterns []string
	for _, r := range runs {
		patterns = append(patterns, r.patterns...)
	}
	errs := routed{root: root, byDir: make(map[string][]string)}
	analysistest.Run(errs, root, perDirectory(t, runs), patterns...)
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			for _, msg := range errs.byDir[r.name] {
				t.Error(msg)
			}
		})
		delete(errs.byDir, r.name)
	}
	for _, msgs := range errs.byDir {
		for _, msg := range msgs {
			t.Error(msg)
		}
	}
}

// perDirectory returns the analyzer that analyses each package with the
// analyzer of the checks its directory runs (every check outside them).
// Facts do not depend on the checks that run, so they cross directories.
func perDirectory(t *testing.T, runs []testdataRun) *analysis.Analyzer {
	t.Helper()
	byDir := make(map[string]*analysis.Analyzer)
	for _, r := range runs {
		byDir[r.name] = analyzer.Analyzer
		if !r.every {
			byDir[r.name] = analyzerOf(t, r.checks)
		}
	}
	a := *analyzer.Analyzer
	a.Run = func(pass *analysis.Pass) (any, error) {
		if own, ok := byDir[testdataDir(strings.TrimPrefix(pass.Pkg.Path(), "imagetaglint.test/e2e")+"/")]; ok {
			return own.Run(pass)
		}
		return analyzer.Analyzer.Run(pass)
	}
	return &a
}

var testdataDirOf = regexp.MustCompile(`^/(?:checks/)?([^/]+)/`)

// testdataDir returns TestChecks' directory of rel, a path below the
// testdata module starting with a slash.
func testdataDir(rel string) string {
	if m := testdataDirOf.FindStringSubmatch(rel); m != nil {
		return m[1]
	}
	return ""
}

// TestChecksElsewhere runs every check on TestChecks' directories but
// the negatives and compares what a check finds on a directory that does
// not run it with testdata/elsewhere.golden (-update rewrites it): a new check that
// fires on another's testdata shows there, to be judged in review (a
// false positive to fix, or a finding to keep).
func TestChecksElsewhere(t *testing.T) {
	root := testdata(t)
	var patterns []string
	runs := make(map[string]testdataRun)
	for _, r := range testdataRuns(t, root) {
		if !r.every {
			patterns = append(patterns, r.patterns...)
			runs[r.name] = r
		}
	}
	results := analysistest.Run(discard{}, root, analyzer.Analyzer, patterns...)
	compareElsewhere(t, "elsewhere.golden", outside(results, root, func(rel string) []string { return runs[testdataDir(rel)].checks }))
}

// outside returns, as "file:line: message" below root, the findings of
// results whose check is not among those that run on their file (rel,
// starting with a slash). Directive diagnostics are no check's: the tests
// that run the directory see them.
func outside(results []*analysistest.Result, root string, checksOf func(rel string) []string) []string {
	var lines []string
	for _, res := range results {
		for _, d := range res.Diagnostics {
			p := res.Pass.Fset.Position(d.Pos)
			rel := strings.TrimPrefix(p.Filename, root)
			if slices.Contains(analyzer.Checks, d.Category) && !slices.Contains(checksOf(rel), d.Category) {
				lines = append(lines, fmt.Sprintf("%s:%d: %s", strings.TrimPrefix(rel, "/"), p.Line, d.Message))
			}
		}
	}
	return lines
}

// compareElsewhere compares the lines of findings that checks make
// outside the directories that run them with analyzer/testdata/name
// (-update rewrites it).
func compareElsewhere(t *testing.T, name string, lines []string) {
	t.Helper()
	slices.Sort(lines)
	got := strings.Join(lines, "\n")
	if got != "" {
		got += "\n"
	}
	golden := filepath.Join("testdata", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("what checks find on testdata that does not run them changed: judge each line (a false positive to fix, or a finding for the directory's %s and its // want), then go test ./analyzer -run %s -update\n--- %s\n%s--- now\n%s", alsoRun, t.Name(), golden, want, got)
	}
}

// A testdataRun is one directory of TestChecks and the checks that run
// on it.
type testdataRun struct {
	name     string // the directory: checks/<name>, or example or negatives
	root     string // the testdata module (or a copy of it)
	patterns []string
	checks   []string
	every    bool // every check runs, whatever checks says
}

// alsoRun names, in a directory of TestChecks, the checks that run there
// besides its own: those its cases need (precedence between them, the
// finding a twin gets instead, what the model's cases show).
const alsoRun = "also-run.txt"

// testdataRuns lists TestChecks' directories under root. A directory
// runs its own check, if it is a check's, and those its also-run.txt
// names; the negatives run every check, since silence is what they test.
func testdataRuns(t *testing.T, root string) []testdataRun {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "checks"))
	if err != nil {
		t.Fatal(err)
	}
	runs := []testdataRun{{name: "negatives", root: root, patterns: []string{"./negatives/..."}, every: true}}
	dirs := map[string]string{"example": "example"}
	for _, e := range entries {
		if e.IsDir() {
			dirs[e.Name()] = filepath.Join("checks", e.Name())
		}
	}
	for _, name := range slices.Sorted(maps.Keys(dirs)) {
		also, err := readAlsoRun(filepath.Join(root, dirs[name], alsoRun))
		if err != nil {
			t.Fatal(err)
		}
		r := testdataRun{name: name, root: root, patterns: []string{"./" + dirs[name] + "/..."}, checks: also}
		if own := checkOwning(name); own != "" {
			r.checks = append([]string{own}, also...)
		}
		runs = append(runs, r)
	}
	return runs
}

// checkOwning returns the check whose own testdata directory dir is.
func checkOwning(dir string) string {
	for _, name := range analyzer.Checks {
		if strings.ReplaceAll(name, "-", "") == dir {
			return name
		}
	}
	return ""
}

// readAlsoRun reads an also-run.txt: a check name a line, # comments.
// A missing file names none.
func readAlsoRun(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for i, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if !slices.Contains(analyzer.Checks, line) {
			return nil, fmt.Errorf("%s:%d: %q is no check (one of %s)", path, i+1, line, strings.Join(analyzer.Checks, ", "))
		}
		names = append(names, line)
	}
	return names, nil
}

// analyzerOf returns the analyzer running only checks.
func analyzerOf(t *testing.T, checks []string) *analysis.Analyzer {
	t.Helper()
	cfg := analyzer.DefaultConfig()
	for _, name := range analyzer.Checks {
		if !slices.Contains(checks, name) {
			cfg.Disable = append(cfg.Disable, name)
		}
	}
	a, err := analyzer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var checksPatterns = []string{"./checks/...", "./example/...", "./negatives/..."}

// routed collects analysistest's errors by the directory of TestChecks
// they name ("" for any other).
type routed struct {
	root  string
	byDir map[string][]string
}

func (r routed) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	dir := ""
	if _, rel, ok := strings.Cut(msg, r.root); ok {
		dir = testdataDir(rel)
	}
	r.byDir[dir] = append(r.byDir[dir], msg)
}

// discard drops analysistest's errors, for tests that read its results.
type discard struct{}

func (discard) Errorf(string, ...any) {}

// TestChecksHaveTestdata holds that go test -short sees every check
// report: on the testdata TestChecks runs, or on a repository of
// TestRepos. A check without testdata fails here by name, not by a
// missing finding elsewhere.
func TestChecksHaveTestdata(t *testing.T) {
	reported := make(map[string]bool)
	collect := func(dir string, patterns ...string) {
		for _, r := range analysistest.Run(discard{}, dir, analyzer.Analyzer, patterns...) {
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
	dir, also := ecosystem(t)
	analysistest.Run(t, dir, analyzerOf(t, also), ecosystemPatterns()...)
}

// TestEcosystemElsewhere is TestChecksElsewhere for testdata/ecosystem:
// what the checks its also-run.txt leaves out find there, against
// analyzer/testdata/ecosystem-elsewhere.golden. A second load of the
// real libraries: skipped by -short.
func TestEcosystemElsewhere(t *testing.T) {
	dir, also := ecosystem(t)
	results := analysistest.Run(discard{}, dir, analyzer.Analyzer, ecosystemPatterns()...)
	compareElsewhere(t, "ecosystem-elsewhere.golden", outside(results, dir, func(string) []string { return also }))
}

// ecosystem returns testdata/ecosystem, its modules downloaded, with the
// build tag of its tagged suites set, and the checks its also-run.txt
// names. It skips the test under -short.
func ecosystem(t *testing.T) (string, []string) {
	t.Helper()
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
	also, err := readAlsoRun(filepath.Join(dir, alsoRun))
	if err != nil {
		t.Fatal(err)
	}
	return dir, also
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
	also, err := readAlsoRun(filepath.Join(testdata(t), "checks", "files", alsoRun))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range analysistest.Run(discard{}, testdata(t), analyzerOf(t, also), "./checks/files") {
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
