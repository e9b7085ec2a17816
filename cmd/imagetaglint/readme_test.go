package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/internal/testdiff"
)

// TestReadmeDemo: the README shows what make demo prints, exactly, as a
// newcomer sees it on their first run.
func TestReadmeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bin/imagetaglint with make")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root := filepath.Join(cmdDir, "..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, region, ok := strings.Cut(string(readme), "<!-- demo:begin")
	region, _, ok2 := strings.Cut(region, "<!-- demo:end -->")
	_, block, ok3 := strings.Cut(region, "```\n")
	block, _, ok4 := strings.Cut(block, "```\n")
	if !ok || !ok2 || !ok3 || !ok4 {
		t.Fatal("README.md has no fenced block between <!-- demo:begin --> and <!-- demo:end -->")
	}
	cmd := exec.Command("make", "demo")
	cmd.Dir = root
	// As typed in a shell: not inside another make, whose flags (-s) and
	// level ("make[1]: Entering directory") would change what it prints.
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); name != "MAKEFLAGS" && name != "MFLAGS" && name != "MAKELEVEL" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo: %v\n%s", err, out)
	}
	if string(out) != block {
		t.Errorf("README.md's demo output is not what make demo prints; paste this between the demo markers:\n%s", testdiff.FirstLine(block, string(out), "README", "make demo"))
	}
}
