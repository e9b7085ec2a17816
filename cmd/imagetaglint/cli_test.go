package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// runSplit runs the command in dir and returns stdout, stderr and the exit code.
func runSplit(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatalf("imagetaglint %v: %v", args, err)
	return "", "", 0
}

const typeErrorAndFinding = `package p
import corev1 "k8s.io/api/core/v1"
func broken() int { return "not an int" }
func c() corev1.Container { return ` + hardcoded + ` }
`

// The exit code is the same in every output mode: 0 clean, 3 findings,
// 1 load or type errors (findings or not), 2 bad usage; -fix exits 3 when
// findings are left.
func TestExitCodes(t *testing.T) {
	td := testdata(t)
	broken := writeModule(t, map[string]string{"p/p.go": typeErrorAndFinding})
	noPkg := t.TempDir()
	writeFile(t, filepath.Join(noPkg, "go.mod"), "module empty\ngo 1.22\n")
	cases := []struct {
		name string
		dir  string
		args []string
		want int
	}{
		{"clean", td, []string{"./example/fixed/..."}, 0},
		{"findings", td, []string{"./example/broken/..."}, 3},
		{"type errors and a finding", broken, []string{"./..."}, 1},
		{"no package", noPkg, []string{"./..."}, 1},
		{"unknown flag", td, []string{"-nope", "./example/fixed/..."}, 2},
		{"bad flag value", td, []string{"-disable=nope", "./example/fixed/..."}, 2},
		{"bad flag after patterns", td, []string{"./example/fixed/...", "-disable=nope"}, 2},
	}
	for _, mode := range [][]string{nil, {"-json"}, {"-sarif"}} {
		for _, tc := range cases {
			t.Run(strings.Join(append(mode, tc.name), " "), func(t *testing.T) {
				stdout, stderr, code := runSplit(t, tc.dir, append(slices.Clone(mode), tc.args...)...)
				if code != tc.want {
					t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
				}
				if len(mode) == 0 || code == 2 || tc.name == "no package" {
					return
				}
				if !json.Valid([]byte(stdout)) {
					t.Errorf("%s output is not JSON:\n%s", mode[0], stdout)
				}
				if mode[0] == "-json" {
					var out struct {
						Findings []json.RawMessage
						Errors   []string
					}
					json.Unmarshal([]byte(stdout), &out)
					if tc.want == 3 && len(out.Findings) == 0 || tc.want == 0 && len(out.Findings) > 0 || (len(out.Errors) > 0) != (tc.want == 1) {
						t.Errorf("JSON has %d findings and %d errors:\n%s", len(out.Findings), len(out.Errors), stdout)
					}
				}
			})
		}
	}
	t.Run("-fix", func(t *testing.T) {
		dir := t.TempDir()
		copyTree(t, td, dir)
		if _, stderr, code := runSplit(t, dir, "-fix", "./example/fixed/..."); code != 0 {
			t.Errorf("-fix on clean code: exit %d\n%s", code, stderr)
		}
		// Some findings of the broken example have no fix: they are left.
		stdout, stderr, code := runSplit(t, dir, "-fix", "./example/broken/...")
		if code != 3 || !strings.Contains(stdout, "[discarded-image]") {
			t.Errorf("-fix with findings left: exit %d\n%s%s", code, stdout, stderr)
		}
		if _, _, code := runSplit(t, dir, "-fix", "-json", "./example/broken/..."); code != 3 {
			t.Errorf("-fix -json: exit %d", code)
		}
		if _, stderr, code := runSplit(t, dir, "-diff", "./fixes"); code != 2 || !strings.Contains(stderr, "-diff needs -fix") {
			t.Errorf("-diff alone: exit %d\n%s", code, stderr)
		}
		if _, stderr, code := runSplit(t, dir, "-fix", "-diff", "-sarif", "./fixes"); code != 2 || !strings.Contains(stderr, "excludes -json and -sarif") {
			t.Errorf("-fix -diff -sarif: exit %d\n%s", code, stderr)
		}
		stdout, _, code = runSplit(t, dir, "-fix", "-diff", "./fixes")
		if code != 3 || !strings.Contains(stdout, "+++ fixes/deploy_time_tag.go (fixed)") {
			t.Errorf("-fix -diff: exit %d\n%s", code, stdout)
		}
	})
	t.Run("usage", func(t *testing.T) {
		_, stderr, code := runSplit(t, td, "-h")
		if code != 0 || !strings.Contains(stderr, "-tags") || !strings.Contains(stderr, "Exit codes") {
			t.Errorf("-h: exit %d\n%s", code, stderr)
		}
		for _, gone := range []string{"-all", "-debug", "\n  -v\t"} {
			if strings.Contains(stderr, gone) {
				t.Errorf("-h lists %q, which the command does not take", gone)
			}
		}
		if _, stderr, code := runSplit(t, td, "-json", "-sarif", "."); code != 2 || !strings.Contains(stderr, "exclude each other") {
			t.Errorf("-json -sarif: exit %d\n%s", code, stderr)
		}
	})
}

// Findings go to stdout sorted by file, line and column, with paths
// relative to the working directory; the summary goes to stderr.
func TestSortedRelativeOutput(t *testing.T) {
	td := testdata(t)
	for _, tc := range []struct{ dir, pattern, prefix string }{
		{td, "./example/broken/...", "example/broken/infrastructure/"},
		{filepath.Join(td, "example", "broken"), "./...", "infrastructure/"},
		{filepath.Join(td, "example", "fixed"), "../broken/...", "../broken/infrastructure/"},
	} {
		stdout, stderr, code := runSplit(t, tc.dir, tc.pattern)
		// Related positions follow their finding, indented.
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
			if !strings.HasPrefix(l, "\t") {
				lines = append(lines, l)
			}
		}
		if code != 3 || !strings.HasPrefix(stderr, fmt.Sprintf("imagetaglint: %d findings: ", len(lines))) || len(lines) < 20 {
			t.Fatalf("%s in %s: exit %d, %d findings\n%s%s", tc.pattern, tc.dir, code, len(lines), stdout, stderr)
		}
		type pos struct {
			file      string
			line, col int
		}
		var ps []pos
		for _, l := range lines {
			var p pos
			parts := strings.SplitN(l, ":", 4)
			fmt.Sscan(parts[1], &p.line)
			fmt.Sscan(parts[2], &p.col)
			p.file = parts[0]
			if !strings.HasPrefix(p.file, tc.prefix) {
				t.Errorf("path %q does not start with %q", p.file, tc.prefix)
			}
			ps = append(ps, p)
		}
		if !slices.IsSortedFunc(ps, func(a, b pos) int {
			if a.file != b.file {
				return strings.Compare(a.file, b.file)
			}
			if a.line != b.line {
				return a.line - b.line
			}
			return a.col - b.col
		}) {
			t.Errorf("findings not sorted:\n%s", stdout)
		}
		if !strings.Contains(stderr, ", discarded-image 10, hardcoded-image 5, ") || !strings.Contains(stderr, "docs/checks.md#discarded-image") {
			t.Errorf("summary:\n%s", stderr)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// -tags works as for go vet, and files the tags exclude that may hold image
// code are named with the tags that include them.
func TestTags(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"p/p.go": "package p\n",
		"p/e2e_test.go": "//go:build e2e\n\npackage p\nimport corev1 \"k8s.io/api/core/v1\"\n" +
			"func c() corev1.Container { return " + hardcoded + " }\n",
		"suite/suite.go": "//go:build e2e && linux\n\npackage suite\nimport corev1 \"k8s.io/api/core/v1\"\n" +
			"func c() corev1.Container { return " + hardcoded + " }\n",
		// A go:generate program: never built, whatever the tags.
		"gen/gen.go": "//go:build ignore\n\npackage main\nimport \"os/exec\"\nfunc main() { exec.Command(\"kind\", \"load\").Run() }\n",
	})
	stdout, stderr, code := runSplit(t, dir, "./...")
	want := "imagetaglint: note: 2 files excluded by build constraints may hold image code; -tags=e2e includes them: p/e2e_test.go, suite/suite.go\n"
	if code != 0 || stdout != "" || stderr != want {
		t.Errorf("without -tags: exit %d\nstdout:\n%s\nstderr:\n%s\nwant stderr:\n%s", code, stdout, stderr, want)
	}
	stdout, stderr, code = runSplit(t, dir, "-tags=e2e", "./...")
	if code != 3 || strings.Count(stdout, "[hardcoded-image]") != 2 || strings.Contains(stderr, "note:") {
		t.Errorf("-tags=e2e: exit %d\n%s%s", code, stdout, stderr)
	}
	// Without test files, only the suite is named.
	_, stderr, _ = runSplit(t, dir, "-test=false", "./...")
	if !strings.Contains(stderr, "1 file excluded by build constraints may hold image code; -tags=e2e includes them: suite/suite.go\n") {
		t.Errorf("-test=false:\n%s", stderr)
	}

	// tags in the configuration file, as CI would keep them; -tags wins.
	writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), "tags: [e2e]\n")
	stdout, stderr, code = runSplit(t, dir, "./...")
	if code != 3 || strings.Count(stdout, "[hardcoded-image]") != 2 || strings.Contains(stderr, "note:") {
		t.Errorf("tags: [e2e] in the file: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = runSplit(t, dir, "-tags=other", "./...")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "-tags=other,e2e includes them") {
		t.Errorf("-tags=other over the file's e2e: exit %d\n%s%s", code, stdout, stderr)
	}
}

// A producer wrapper in another module, pulled in through a replace
// directive, is found by the standalone command as by go vet.
func TestTwoModulesParity(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "helpers", "go.mod"), "module example.com/helpers\ngo 1.22\n")
	writeFile(t, filepath.Join(root, "helpers", "kind", "kind.go"), `package kind

// BuildAndLoadImageToKind is the configured producer.
func BuildAndLoadImageToKind(name string) (string, error) { return "localhost/" + name + ":e2e", nil }

// BuildServiceImage wraps the producer: a fact makes it one too.
func BuildServiceImage(name string) (string, error) { return BuildAndLoadImageToKind(name) }
`)
	writeFile(t, filepath.Join(root, "app", "go.mod"), "module example.com/app\ngo 1.22\nrequire example.com/helpers v0.0.0\nreplace example.com/helpers => ../helpers\n")
	writeFile(t, filepath.Join(root, "app", "e2e", "setup.go"), `package e2e

import "example.com/helpers/kind"

func Setup() error {
	_, err := kind.BuildServiceImage("gateway")
	return err
}
`)
	dir := filepath.Join(root, "app")
	stdout, stderr, code := runSplit(t, dir, "./...")
	vet, vcode := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
	if code != 3 || !strings.Contains(stdout, "e2e/setup.go:6:12: the image returned by BuildServiceImage") {
		t.Errorf("standalone: exit %d\n%s%s", code, stdout, stderr)
	}
	if vcode == 0 || !slices.Equal(findings(stdout), findings(vet)) {
		t.Errorf("standalone and go vet disagree:\nstandalone: %v\ngo vet (exit %d): %v\n%s", findings(stdout), vcode, findings(vet), vet)
	}
}

// Summaries cross modules too: an exec wrapper's callers are read as
// command lines, a helper's own fixed-tag deploy is compared with what
// the caller built, and a deploy helper's parameter is deployed; the
// standalone command and go vet agree.
func TestTwoModulesSummaries(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "helpers", "go.mod"), "module example.com/helpers\ngo 1.22\n")
	writeFile(t, filepath.Join(root, "helpers", "kind", "kind.go"), `package kind

import "os/exec"

// Run runs a command: its callers name it.
func Run(name string, args ...string) error { return exec.Command(name, args...).Run() }

// DeployDataStorage builds and deploys its own image, under a fixed tag.
func DeployDataStorage() error {
	if err := exec.Command("podman", "build", "-t", "localhost/kubernaut/datastorage:latest", ".").Run(); err != nil {
		return err
	}
	return exec.Command("kubectl", "set", "image", "deployment/datastorage", "datastorage=localhost/kubernaut/datastorage:latest").Run()
}

// SetImage deploys image as the image of a deployment's container.
func SetImage(deployment, image string) error {
	return exec.Command("kubectl", "set", "image", "deployment/"+deployment, deployment+"="+image).Run()
}
`)
	writeFile(t, filepath.Join(root, "app", "go.mod"), "module example.com/app\ngo 1.22\nrequire example.com/helpers v0.0.0\nreplace example.com/helpers => ../helpers\n")
	writeFile(t, filepath.Join(root, "app", "e2e", "setup.go"), `package e2e

import (
	"fmt"
	"os"

	"example.com/helpers/kind"
)

func Setup(cluster, node string) error {
	image := fmt.Sprintf("localhost/kubernaut/datastorage:%d", os.Getpid())
	if err := kind.Run("podman", "build", "-t", image, "."); err != nil {
		return err
	}
	if err := kind.Run("kind", "load", "docker-image", image, "--name", cluster); err != nil {
		return err
	}
	if err := kind.Run("docker", "exec", node, "ctr", "-n", "k8s.io", "images", "tag", image, "localhost/kubernaut/datastorage:e2e"); err != nil {
		return err
	}
	return kind.DeployDataStorage()
}

func Consistent(cluster string) error {
	image := fmt.Sprintf("localhost/kubernaut/gateway:%d", os.Getpid())
	if err := kind.Run("podman", "build", "-t", image, "."); err != nil {
		return err
	}
	if err := kind.Run("kind", "load", "docker-image", image, "--name", cluster); err != nil {
		return err
	}
	return kind.SetImage("gateway", image)
}
`)
	dir := filepath.Join(root, "app")
	stdout, stderr, code := runSplit(t, dir, "./...")
	vet, vcode := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
	for _, want := range []string{
		"e2e/setup.go:18:12: \"docker exec ... ctr -n k8s.io images tag ... localhost/kubernaut/datastorage:e2e\" re-tags an image inside the Kind node",
		"e2e/setup.go:21:9: DeployDataStorage deploys \"localhost/kubernaut/datastorage:latest\" (kubectl set image at kind.go:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("standalone lacks %q: exit %d\n%s%s", want, code, stdout, stderr)
		}
	}
	if strings.Contains(stdout, "Consistent") || strings.Contains(stdout, ":26:") || strings.Contains(stdout, ":33:") {
		t.Errorf("a finding in the consistent flow:\n%s", stdout)
	}
	if vcode == 0 || !slices.Equal(findings(stdout), findings(vet)) {
		t.Errorf("standalone and go vet disagree:\nstandalone: %v\ngo vet (exit %d): %v\n%s", findings(stdout), vcode, findings(vet), vet)
	}
}

// Settings come from the nearest .imagetaglint.yaml or -config; flags
// override them and may follow the patterns.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, testdata(t), dir)
	sub := filepath.Join(dir, "example")
	count := func(out, check string) int { return strings.Count(out, "["+check+"]") }

	stdout, _, code := runSplit(t, sub, "./broken/...")
	if code != 3 || count(stdout, "discarded-image") != 10 {
		t.Fatalf("no config: exit %d\n%s", code, stdout)
	}
	writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), "# found from any directory below\ndisable: [discarded-image]\n")
	stdout, _, code = runSplit(t, sub, "./broken/...")
	if code != 3 || count(stdout, "discarded-image") != 0 || count(stdout, "hardcoded-image") != 5 {
		t.Errorf("config found upwards: exit %d\n%s", code, stdout)
	}
	stdout, _, _ = runSplit(t, sub, "./broken/...", "-disable=hardcoded-image")
	if count(stdout, "discarded-image") != 10 || count(stdout, "hardcoded-image") != 0 {
		t.Errorf("flag after the pattern overrides the file:\n%s", stdout)
	}
	writeFile(t, filepath.Join(dir, "other.yaml"), "disable: [hardcoded-image, image-mismatch]\n")
	stdout, _, _ = runSplit(t, sub, "-config", "../other.yaml", "./broken/...")
	if count(stdout, "discarded-image") != 10 || count(stdout, "hardcoded-image") != 0 || count(stdout, "image-mismatch") != 0 {
		t.Errorf("-config:\n%s", stdout)
	}
	// go vet runs the tool with the configuration file too.
	vet, _ := run(t, sub, "go", "vet", "-vettool="+bin, "./broken/...")
	if count(vet, "discarded-image") != 0 || count(vet, "hardcoded-image") != 5 {
		t.Errorf("go vet ignores the configuration file:\n%s", vet)
	}

	for _, tc := range []struct{ file, want string }{
		{"disable: [hardcoded-image]\nproducer: [X]\n", `.imagetaglint.yaml:2:1: unknown key "producer" (known keys: producers, generators, `},
		{"disable: hardcoded-image\n", `.imagetaglint.yaml:1:10: "disable": got string, want a list of strings`},
		{"include-generated: 1\n", `.imagetaglint.yaml:1:20: "include-generated": got number, want boolean`},
		{"deploy-pattern: '(x'\n", `.imagetaglint.yaml:1:17: "deploy-pattern": error parsing regexp`},
		{"disable: [a\n", `.imagetaglint.yaml:1: did not find expected ',' or ']'`},
	} {
		writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), tc.file)
		_, stderr, code := runSplit(t, sub, "./broken/...")
		if code != 2 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, filepath.Join(dir, ".imagetaglint.yaml")) {
			t.Errorf("%q: exit %d, want 2 and %q:\n%s", tc.file, code, tc.want, stderr)
		}
	}
	if _, stderr, code := runSplit(t, sub, "-config=missing.yaml", "./broken/..."); code != 2 || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("-config of a missing file: exit %d\n%s", code, stderr)
	}
}

// A configured name that matches nothing is most likely a typo: warn.
func TestUnmatchedSettingsWarn(t *testing.T) {
	td := testdata(t)
	_, stderr, code := runSplit(t, td, "-producers=BuildAndLoadImageToKind,BuidAndLoadImageToKind", "-load-pattern=^Lod", "./example/broken/...")
	want := regexp.MustCompile(`(?m)^imagetaglint: warning: producers entry "BuidAndLoadImageToKind" matches no function of the analysed packages$`)
	if code != 3 || !want.MatchString(stderr) || !strings.Contains(stderr, `load-pattern entry "^Lod" matches no function`) ||
		strings.Contains(stderr, `"BuildAndLoadImageToKind" matches`) || strings.Contains(stderr, "generators entry") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// A flag error is one line naming the flag and pointing to -h, not the
// whole help; -h lists -V.
func TestFlagErrorLine(t *testing.T) {
	td := testdata(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nope", "./example/fixed/..."}, "imagetaglint: flag provided but not defined: -nope (see imagetaglint -h)\n"},
		{[]string{"./example/fixed/...", "-tag=e2e"}, "imagetaglint: flag provided but not defined: -tag (see imagetaglint -h)\n"},
		{[]string{"-c"}, "imagetaglint: flag needs an argument: -c (see imagetaglint -h)\n"},
		{[]string{"-V=2"}, `imagetaglint: invalid boolean value "2" for -V: use -V, or -V=full for go vet's format (see imagetaglint -h)` + "\n"},
	} {
		stdout, stderr, code := runSplit(t, td, tc.args...)
		if code != 2 || stdout != "" || stderr != tc.want {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", tc.args, code, stdout, stderr, tc.want)
		}
	}
	_, stderr, code := runSplit(t, td, "-h")
	if code != 0 || !strings.Contains(stderr, "\n  -V\tprint the version and exit; -V=full prints it as go vet expects\n") {
		t.Errorf("-h: exit %d, -V not listed:\n%s", code, stderr)
	}
}

// go vet tells its users to run "imagetaglint help": it prints the usage,
// and "help CHECK" the check's documentation.
func TestHelp(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := runSplit(t, dir, "help")
	_, usage, _ := runSplit(t, dir, "-h")
	if code != 0 || stderr != "" || stdout != usage {
		t.Errorf("help: exit %d, stderr %q, stdout differs from -h's usage:\n%s", code, stderr, stdout)
	}
	stdout, _, code = runSplit(t, dir, "help", "image-mismatch")
	if code != 0 || !strings.HasPrefix(stdout, "image-mismatch\n\n*Finds:*") || !strings.HasSuffix(stdout, "docs/checks.md#image-mismatch\n") {
		t.Errorf("help image-mismatch: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := runSplit(t, dir, "help", "no-such-check"); code != 2 || !strings.Contains(stderr, `unknown check "no-such-check" (checks: deploy-time-tag, `) {
		t.Errorf("help no-such-check: exit %d\n%s", code, stderr)
	}
}

// Each load or type error is reported once, under the header of the
// package that has it, in text and JSON: go list's compiler errors for a
// package and its test variant, and the type-checker's, say the same.
func TestErrorsOnce(t *testing.T) {
	many := "package q\n\nimport corev1 \"k8s.io/api/core/v1\"\n\nfunc c() corev1.Container { return " + hardcoded + " }\n\nfunc f(int) {}\n"
	for i := range 12 {
		many += fmt.Sprintf("\nfunc g%d() { f() }\n", i)
	}
	dir := writeModule(t, map[string]string{
		"p/p.go":      typeErrorAndFinding,
		"p/p_test.go": "package p\n\nimport \"testing\"\n\nfunc TestP(t *testing.T) { var s string = 1; _ = s }\n",
		"q/q.go":      many,
		// Nothing here for the analyzer: not type-checked, so the
		// compiler's errors (for r and for r [r.test]) stand.
		"r/r.go":      "package r\n\nfunc f(int) {}\n\nfunc g() { f() }\n",
		"r/r_test.go": "package r\n",
	})
	notEnough := "not enough arguments in call to f\n\thave ()\n\twant (int)\n"
	want := "# bad/p\n" +
		"p/p.go:3:28: cannot use \"not an int\" (untyped string constant) as int value in return statement\n" +
		"# bad/p [bad/p.test]\n" +
		"p/p_test.go:5:43: cannot use 1 (untyped int constant) as string value in variable declaration\n" +
		"# bad/q\n"
	for i := range 12 {
		want += fmt.Sprintf("q/q.go:%d:%d: %s", 9+2*i, 14+len(fmt.Sprint(i)), notEnough)
	}
	want += "# bad/r\nr/r.go:5:12: " + notEnough
	stdout, stderr, code := runSplit(t, dir, "./...")
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("text: exit %d, stdout %q, stderr\n%s\nwant\n%s", code, stdout, stderr, want)
	}

	stdout, _, code = runSplit(t, dir, "-json", "./...")
	var out struct{ Errors []string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 1 {
		t.Fatalf("-json: exit %d, %v\n%s", code, err, stdout)
	}
	if len(out.Errors) != 15 || out.Errors[0] != "# bad/p\np/p.go:3:28: cannot use \"not an int\" (untyped string constant) as int value in return statement" ||
		out.Errors[14] != "# bad/r\nr/r.go:5:12: "+strings.TrimSuffix(notEnough, "\n") {
		t.Errorf("-json: %d errors:\n%s", len(out.Errors), strings.Join(out.Errors, "\n"))
	}
}

// Progress goes to stderr only: a line per stage with -progress, nothing
// by default when stderr is not a terminal or with -progress=false, and
// the same results either way.
func TestProgressFlag(t *testing.T) {
	td := testdata(t)
	quietOut, quietErr, code := runSplit(t, td, "./example/broken/...")
	if code != 3 || strings.Contains(quietErr, "...") {
		t.Fatalf("without -progress: exit %d\n%s", code, quietErr)
	}
	stdout, stderr, code := runSplit(t, td, "-progress", "./example/broken/...")
	stages := regexp.MustCompile(`^imagetaglint: loading \./example/broken/\.\.\. \(go list compiles the dependencies\)\.\.\. \d+s
imagetaglint: parsing \d+ packages\.\.\. \d+s
imagetaglint: type-checking \d+ packages\.\.\. \d+s
imagetaglint: analysing \d+ packages\.\.\. \d+s
imagetaglint: done in \d+s
`)
	if code != 3 || stdout != quietOut || !stages.MatchString(stderr) || strings.TrimPrefix(stderr, stages.FindString(stderr)) != quietErr {
		t.Errorf("-progress: exit %d\nstdout same: %v\nstderr:\n%s", code, stdout == quietOut, stderr)
	}
	if _, stderr, _ := runSplit(t, td, "-progress=false", "./example/broken/..."); stderr != quietErr {
		t.Errorf("-progress=false:\n%s", stderr)
	}
}

// On a terminal (a pseudo-terminal from util-linux's script), a short run
// shows no progress, and -progress shows a live line, erased before the
// results.
func TestProgressOnTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("needs util-linux's script to run the command on a terminal")
	}
	td := testdata(t)
	onTerminal := func(args string) string {
		cmd := exec.Command(script, "-qec", "'"+bin+"' "+args, "/dev/null")
		cmd.Dir = td
		out, _ := cmd.Output()
		return string(out)
	}
	if out := onTerminal("./example/fixed/..."); strings.Contains(out, "imagetaglint:") {
		t.Errorf("a short run on a terminal printed progress:\n%q", out)
	}
	out := onTerminal("-progress ./example/broken/...")
	live := regexp.MustCompile(`^\rimagetaglint: loading \./example/broken/\.\.\. [^\n]*\r {10,}\rexample/broken/[^\r]*\[image-mismatch\]`)
	if !live.MatchString(out) || strings.Contains(out, "done in") {
		t.Errorf("-progress on a terminal: no live line erased before the results:\n%q", out)
	}
}
