package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// vetModule is a module whose package b imports package a: go vet b runs
// the tool on a for its facts only (VetxOnly), then on b. c holds a
// hardcoded image in a manifest, and imports nothing: go vet runs the tool
// on it alone.
func vetModule(t *testing.T) string {
	return writeModule(t, map[string]string{
		"a/a.go": "package a\n\nfunc A() {}\n",
		"b/b.go": "package b\n\nimport \"bad/a\"\n\nfunc B() { a.A() }\n",
		"c/c.go": "package c\n\nconst manifest = `\nspec:\n  containers:\n  - name: ds\n    image: localhost/kubernaut-datastorage:e2e\n`\n",
	})
}

// vet runs go vet with the tool in dir and returns its output and exit code.
func vet(t *testing.T, dir string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	} else if err != nil {
		t.Fatalf("go vet: %v", err)
	}
	return string(out), 0
}

// A configuration error reaches the user of go vet once, worded as the
// standalone command words it, not as "-flags failed".
func TestVetConfigError(t *testing.T) {
	dir := vetModule(t)
	for _, config := range []string{
		"disable: [hardcoded-image]\nproducer: [X]\n", // a typo: unknown key
		"disable: [a\n", // not YAML
		"deploy-pattern: '(x'\n",
	} {
		writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), config)
		_, stderr, code := runSplit(t, dir, "./...")
		want := strings.TrimSpace(stderr)
		if code != 2 || !strings.HasPrefix(want, "imagetaglint: "+filepath.Join(dir, ".imagetaglint.yaml")+":") || strings.Contains(want, "\n") {
			t.Fatalf("standalone, %q: exit %d, want 2 and one line naming the file:\n%s", config, code, stderr)
		}
		out, code := vet(t, dir, nil, "./...")
		if code == 0 || strings.Count(out, want+"\n") != 1 || strings.Contains(out, "-flags failed") {
			t.Errorf("go vet, %q: exit %d, want the standalone error once:\n%s\nwant:\n%s", config, code, out, want)
		}
	}
}

// A flag error reaches the user of go vet as one line, worded as the
// standalone command words it, once for each package named (b), and not
// for the dependencies go vet runs the tool on for facts (a, the standard
// library).
func TestVetFlagError(t *testing.T) {
	dir := vetModule(t)
	_, stderr, code := runSplit(t, dir, "-disable=nope", "./...")
	want := strings.TrimSpace(stderr)
	if code != 2 || !strings.HasPrefix(want, `imagetaglint: invalid value "nope" for flag -disable: unknown check "nope"`) || strings.Contains(want, "\n") {
		t.Fatalf("standalone: exit %d, want 2 and one line:\n%s", code, stderr)
	}
	out, code := vet(t, dir, nil, "-disable=nope", "./b")
	if code == 0 || out != "# bad/b\n"+want+"\n" {
		t.Errorf("go vet: exit %d, output\n%s\nwant\n# bad/b\n%s", code, out, want)
	}
}

// go vet caches the tool's clean results under the identity -V=full gives
// (cmd/go's toolID): an unchanged tool and configuration reuse them, and
// an edited configuration file must not.
func TestVetCache(t *testing.T) {
	dir := vetModule(t)
	env := []string{"GOCACHE=" + t.TempDir()}
	config := filepath.Join(dir, ".imagetaglint.yaml")
	ranOnC := regexp.MustCompile(`(?m)^cd .*` + regexp.QuoteMeta(filepath.Join(dir, "c")) + `\n.*` + regexp.QuoteMeta(bin) + ` .*vet\.cfg$`)

	writeFile(t, config, "disable: [hardcoded-image]\n")
	for i, wantRun := range []bool{true, false} {
		out, code := vet(t, dir, env, "-x", "./c")
		if code != 0 || ranOnC.MatchString(out) != wantRun {
			t.Fatalf("go vet run %d with the check disabled: exit %d, tool ran on c: %v, want %v\n%s", i+1, code, ranOnC.MatchString(out), wantRun, out)
		}
	}
	writeFile(t, config, "disable: []\n")
	out, code := vet(t, dir, env, "./c")
	if code == 0 || !strings.Contains(out, "[hardcoded-image]") {
		t.Errorf("go vet after enabling the check in the configuration file: exit %d (a stale cached result?)\n%s", code, out)
	}
}

// cmd/go parses -V=full: "<tool> version devel ... buildID=<id>", keying
// its cache on <id>.
func TestVersionFull(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := runSplit(t, dir, "-V=full")
	f := strings.Fields(stdout)
	if code != 0 || stderr != "" || len(f) < 4 || f[0] != "imagetaglint" || f[1] != "version" || f[2] != "devel" ||
		!regexp.MustCompile(`^buildID=[0-9a-f]{64}$`).MatchString(f[len(f)-1]) || strings.Contains(stdout, "comments-go-here") {
		t.Fatalf("-V=full: exit %d\n%s%s", code, stdout, stderr)
	}
	writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), "disable: []\n")
	withConfig, _, _ := runSplit(t, dir, "-V=full")
	if withConfig == stdout {
		t.Errorf("-V=full is the same with and without a configuration file: %s", stdout)
	}
	again, _, _ := runSplit(t, dir, "-V=full")
	if again != withConfig {
		t.Errorf("-V=full changes between runs:\n%s%s", withConfig, again)
	}
	// A bad file makes -V=full fail, with the error; a bare -V still answers.
	writeFile(t, filepath.Join(dir, ".imagetaglint.yaml"), "producer: [X]\n")
	if stdout, stderr, code := runSplit(t, dir, "-V=full"); code != 2 || stdout != "" || !strings.Contains(stderr, `unknown key "producer"`) {
		t.Errorf("-V=full with a bad configuration file: exit %d\n%s%s", code, stdout, stderr)
	}
	if stdout, _, code := runSplit(t, dir, "-V"); code != 0 || !strings.HasPrefix(stdout, "imagetaglint ") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("-V with a bad configuration file: exit %d\n%s", code, stdout)
	}
}
