package infra

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// recorder is a Runner that records command lines instead of running them.
// The command at index failAt (if not negative) fails with stderr.
type recorder struct {
	commands [][]string
	failAt   int
	stderr   string
}

func newRecorder() *recorder { return &recorder{failAt: -1} }

func (r *recorder) Run(_ context.Context, _ io.Writer, name string, args ...string) ([]byte, error) {
	r.commands = append(r.commands, append([]string{name}, args...))
	if len(r.commands)-1 == r.failAt {
		return []byte(r.stderr), errors.New("exit status 125")
	}
	return nil, nil
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
