package infra

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/imagetaglint/imagetaglint/infra/infratest"
)

// newRecorder returns a Runner that records commands instead of running
// them, answering like a Kind cluster gateway-e2e with two nodes.
func newRecorder() *infratest.Recorder {
	return &infratest.Recorder{Nodes: []string{"gateway-e2e-control-plane", "gateway-e2e-worker"}}
}

// staticBinarySource returns a build context holding a static Go program
// that sleeps forever and a FROM-scratch Containerfile for it: an image
// that needs neither network nor a base image to build, and runs in a pod.
// The program imports only time, to keep a cold build short.
func staticBinarySource(t *testing.T) Source {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module tiny\n\ngo 1.22\n")
	write("main.go", `package main

import "time"

func main() {
	for {
		time.Sleep(time.Hour)
	}
}
`)
	write("Containerfile", "FROM scratch\nCOPY tiny /tiny\nENTRYPOINT [\"/tiny\"]\n")
	cmd := exec.Command("go", "build", "-o", "tiny", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return Source{ContextDir: dir, Containerfile: filepath.Join(dir, "Containerfile")}
}
