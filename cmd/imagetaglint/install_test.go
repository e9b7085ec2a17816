package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// make install says where the binary went and, when that directory is not
// on PATH, the line that adds it.
func TestMakeInstall(t *testing.T) {
	makePath, err := exec.LookPath("make")
	if err != nil {
		t.Skip("needs make")
	}
	goPath, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	install := func(path string, env ...string) string {
		t.Helper()
		cmd := exec.Command(makePath, "-s", "install")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), append(env, "PATH="+path, "GOMODCACHE="+strings.TrimSpace(string(modcache)))...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make install: %v\n%s", err, out)
		}
		return string(out)
	}
	basePath := strings.Join([]string{filepath.Dir(goPath), filepath.Dir(makePath), "/usr/bin", "/bin"}, string(os.PathListSeparator))

	gobin := t.TempDir()
	out := install(basePath, "GOBIN="+gobin)
	want := "make install: installed " + filepath.Join(gobin, "imagetaglint") + "\n" +
		"make install: " + gobin + " is not on PATH; to run imagetaglint by name, add this line to your shell's profile (~/.profile, ~/.bashrc or ~/.zshrc) and open a new shell:\n" +
		"\texport PATH=\"$PATH:" + gobin + "\"\n"
	if out != want {
		t.Errorf("GOBIN not on PATH: got\n%s\nwant\n%s", out, want)
	}
	if v, err := exec.Command(filepath.Join(gobin, "imagetaglint"), "-V").Output(); err != nil || !strings.HasPrefix(string(v), "imagetaglint ") {
		t.Errorf("the installed binary: %v %s", err, v)
	}

	// Without GOBIN, go install uses the first GOPATH entry's bin.
	gopath := t.TempDir()
	bin := filepath.Join(gopath, "bin")
	out = install(bin+string(os.PathListSeparator)+basePath, "GOBIN=", "GOPATH="+gopath+string(os.PathListSeparator)+t.TempDir())
	if want := "make install: installed " + filepath.Join(bin, "imagetaglint") + "\n"; out != want {
		t.Errorf("GOPATH's bin on PATH: got\n%s\nwant\n%s", out, want)
	}
}
