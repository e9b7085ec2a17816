package main_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// bin is the imagetaglint command built for these tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imagetaglint-cmd")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "imagetaglint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		panic("building imagetaglint: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs name with args in dir and returns its combined output and exit code.
func run(t *testing.T, dir, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("%s %v: %v", name, args, err)
	return "", 0
}

var findingLine = regexp.MustCompile(`(?m)^(\S+\.go):(\d+):(\d+): .*\[([a-z-]+)\]$`)

// findings returns "file:line:col [check]" for each finding in out.
func findings(out string) []string {
	var fs []string
	for _, m := range findingLine.FindAllStringSubmatch(out, -1) {
		fs = append(fs, filepath.Base(m[1])+":"+m[2]+":"+m[3]+" ["+m[4]+"]")
	}
	sort.Strings(fs)
	return fs
}

func checksIn(fs []string) []string {
	var checks []string
	for _, f := range fs {
		c := f[strings.LastIndex(f, "[")+1 : len(f)-1]
		if !slices.Contains(checks, c) {
			checks = append(checks, c)
		}
	}
	sort.Strings(checks)
	return checks
}

// expectedChecks returns the checks that the // want expectations of the
// Go files under dir name, sorted.
func expectedChecks(t *testing.T, dir string) []string {
	t.Helper()
	var checks []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		for _, m := range wantedCheck.FindAllStringSubmatch(string(data), -1) {
			if !slices.Contains(checks, m[1]) {
				checks = append(checks, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(checks)
	return checks
}

var wantedCheck = regexp.MustCompile(`\\\[([a-z-]+)\\\]`)

// TestExampleStandaloneAndVet runs the bundled example both ways: each
// reports every check the example's expectations name, the same findings,
// and nothing on the fixed twin.
func TestExampleStandaloneAndVet(t *testing.T) {
	dir := testdata(t)
	standalone, code := run(t, dir, bin, "./example/broken/...")
	if code != 3 {
		t.Fatalf("imagetaglint on the broken example exited %d, want 3:\n%s", code, standalone)
	}
	vet, code := run(t, dir, "go", "vet", "-vettool="+bin, "./example/broken/...")
	if code == 0 {
		t.Fatalf("go vet on the broken example exited 0:\n%s", vet)
	}
	want := expectedChecks(t, filepath.Join(dir, "example", "broken"))
	if len(want) < 7 {
		t.Fatalf("the example's expectations name only %v", want)
	}
	if got := checksIn(findings(standalone)); !slices.Equal(got, want) {
		t.Errorf("standalone reported checks %v, want all of %v", got, want)
	}
	if s, v := findings(standalone), findings(vet); !slices.Equal(s, v) {
		t.Errorf("standalone and go vet disagree:\nstandalone: %v\ngo vet:     %v", s, v)
	}

	for _, args := range [][]string{
		{bin, "./example/fixed/...", "./negatives/..."},
		{"go", "vet", "-vettool=" + bin, "./example/fixed/...", "./negatives/..."},
	} {
		out, code := run(t, dir, args[0], args[1:]...)
		if code != 0 || strings.TrimSpace(out) != "" {
			t.Errorf("%v exited %d, want 0 and no output:\n%s", args, code, out)
		}
	}
}

// TestFactsThroughVet checks that wrappers are recognised across packages
// when go vet runs one process per package and passes facts in files.
func TestFactsThroughVet(t *testing.T) {
	dir := testdata(t)
	vet, _ := run(t, dir, "go", "vet", "-vettool="+bin, "./checks/crosspkg/...")
	standalone, _ := run(t, dir, bin, "./checks/crosspkg/...")
	fs := findings(vet)
	if !slices.Equal(fs, findings(standalone)) {
		t.Errorf("go vet %v\nstandalone %v", fs, findings(standalone))
	}
	for _, want := range []string{"[discarded-image]", "[deploy-time-tag]", "[regenerated-tag]", "[retag-after-load]", "[image-mismatch]"} {
		if !strings.Contains(strings.Join(fs, " "), "suites.go") || !strings.Contains(vet, want) {
			t.Errorf("go vet output lacks %s found through a wrapper:\n%s", want, vet)
		}
	}
}

func TestFlags(t *testing.T) {
	dir := testdata(t)
	out, code := run(t, dir, bin, "-disable=discarded-image,hardcoded-image", "./example/broken/...")
	if code != 3 || strings.Contains(out, "[discarded-image]") || strings.Contains(out, "[hardcoded-image]") || !strings.Contains(out, "[deploy-time-tag]") {
		t.Errorf("-disable: exit %d\n%s", code, out)
	}
	// A producer is one by what it does: BuildAndLoadImageToKind builds and
	// loads the image it returns, configured or not.
	out, code = run(t, dir, bin, "-producers=NoSuchProducer", "./example/broken/...")
	if code != 3 || !strings.Contains(out, "[discarded-image]") || !strings.Contains(out, `producers entry "NoSuchProducer" matches no function`) {
		t.Errorf("-producers: exit %d\n%s", code, out)
	}
	for flag, want := range map[string]string{
		"-deploy-pattern=(":      `invalid value "(" for flag -deploy-pattern: error parsing regexp`,
		"-disable=no-such-check": `unknown check "no-such-check"`,
		"-producers=a/b":         `"a/b" is not Func, pkg/path.Func or pkg/path.Type.Method`,
		"-local-image-pattern=[": "missing closing ]",
	} {
		out, code := run(t, dir, bin, flag, "./example/broken/...")
		if code != 2 || !strings.Contains(out, want) || strings.Count(out, want) != 1 {
			t.Errorf("%s: exit %d, want 2 and one clear error containing %q:\n%s", flag, code, want, out)
		}
	}
	out, code = run(t, dir, bin, "-V")
	if code != 0 || !strings.HasPrefix(out, "imagetaglint ") {
		t.Errorf("-V: exit %d: %q", code, out)
	}
}

// TestNeverWritesWithoutFix checks that only -fix edits files.
func TestNeverWritesWithoutFix(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, testdata(t), dir)
	before := treeHash(t, dir)
	run(t, dir, bin, "./example/broken/...", "./fixes/...")
	run(t, dir, bin, "-fix", "-diff", "./fixes")
	if treeHash(t, dir) != before {
		t.Fatal("imagetaglint without -fix changed files")
	}
	if out, code := run(t, dir, bin, "-fix", "./fixes"); code != 0 && code != 3 {
		t.Fatalf("-fix: exit %d\n%s", code, out)
	}
	golden, _ := os.ReadFile(filepath.Join(dir, "fixes", "deploy_time_tag.go.golden"))
	fixed, _ := os.ReadFile(filepath.Join(dir, "fixes", "deploy_time_tag.go"))
	if !bytes.Equal(golden, fixed) {
		t.Errorf("-fix result differs from the golden file:\n%s", fixed)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func treeHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			h.Write([]byte(path))
			h.Write(data)
		}
		return nil
	})
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// go vet shows a finding about a manifest file at the Go call, with the
// file and line in the message (TestManifestFileEveryDriver covers the
// command's outputs).
func TestManifestFileVet(t *testing.T) {
	out, code := run(t, testdata(t), "go", "vet", "-vettool="+bin, "./checks/files")
	if code == 0 || !strings.Contains(out, `files.go:26:9: kubectl apply deploys "localhost/kubernaut/app:latest" (testdata/app.yaml:10)`) {
		t.Errorf("go vet: exit %d\n%s", code, out)
	}
}

// TestDriversAgree runs the standalone command and go vet -vettool over
// the whole testdata module, each repository of the analyzer's testdata
// and testdata/e2eonly, a suite that only calls e2e-framework's loader and
// helm manager (stand-ins with the real import paths): the standalone
// command skips the packages that cannot matter and reads facts in one
// process, go vet analyses every package in a process of its own, and they
// report the same findings.
func TestDriversAgree(t *testing.T) {
	repos, err := filepath.Glob(filepath.Join("..", "..", "analyzer", "testdata", "repos", "*", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{testdata(t), filepath.Join("testdata", "e2eonly")}
	for _, mod := range repos {
		dirs = append(dirs, filepath.Dir(mod))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			standalone, code := run(t, dir, bin, "./...")
			if code != 0 && code != 3 {
				t.Fatalf("imagetaglint ./... exited %d:\n%s", code, standalone)
			}
			vet, _ := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
			s, v := findings(standalone), findings(vet)
			t.Logf("%d findings", len(s))
			if len(s) == 0 {
				t.Fatalf("no findings: the comparison would show nothing\n%s", standalone)
			}
			if !slices.Equal(s, v) {
				t.Errorf("standalone and go vet disagree (- standalone only, + go vet only):\n%s", listDiff(s, v))
			}
		})
	}
}

// listDiff returns the lines of a not in b ("- ") and of b not in a
// ("+ "), duplicates counted.
func listDiff(a, b []string) string {
	count := make(map[string]int)
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		count[l]--
	}
	var d []string
	for l, n := range count {
		for ; n > 0; n-- {
			d = append(d, "- "+l)
		}
		for ; n < 0; n++ {
			d = append(d, "+ "+l)
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}

// The suite of testdata/e2eonly sets its chart's image through keys the
// chart does not have: unknown-chart-value says so, and its findings cover
// the loaded image's undeployed-image, although the install is a step
// function handed to Setup rather than called.
func TestStepFunctionCovers(t *testing.T) {
	out, code := run(t, filepath.Join("testdata", "e2eonly"), bin, "./...")
	if code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, out)
	}
	if got, want := findings(out), []string{"main_test.go:32:26 [unknown-chart-value]", "main_test.go:32:69 [unknown-chart-value]"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v\n%s", got, want, out)
	}
}
