package infra

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestExecRunnerSeparatesOutputs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := (ExecRunner{}).Run(t.Context(), &stdout, &stderr, "sh", "-c", "echo out; echo err >&2"); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "out\n" || stderr.String() != "err\n" {
		t.Errorf("stdout %q, stderr %q; want \"out\\n\" and \"err\\n\"", stdout.String(), stderr.String())
	}
	if err := (ExecRunner{}).Run(t.Context(), nil, nil, "sh", "-c", "exit 3"); err == nil {
		t.Error("a failing command returned no error")
	}
}

// TestExecRunnerStopsCommands ends the context of commands that would run
// for a minute: one that exits on the interrupt, well within its grace
// period, and one that ignores the interrupt and is killed after a short
// grace period, its output pipe still held open by its child.
func TestExecRunnerStopsCommands(t *testing.T) {
	for _, tc := range []struct {
		name  string
		grace time.Duration
		argv  []string
	}{
		{"interrupted", time.Minute, []string{"sleep", "60"}},
		{"killed", 200 * time.Millisecond, []string{"sh", "-c", `trap "" INT; sleep 60; echo never`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			var out bytes.Buffer
			start := time.Now()
			err := run(ctx, ExecRunner{Grace: tc.grace}, &out, &out, "build", tc.argv...)
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("returned after %s", elapsed)
			}
			var se *StepError
			if !errors.As(err, &se) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want a *StepError wrapping the deadline", err)
			}
		})
	}
}

// TestBuildAndLoadRunsProcesses runs BuildAndLoad with ExecRunner against
// shell scripts standing in for podman and kind: real processes, a build
// writing to stdout and stderr at once into one progress buffer (run with
// -race), and an archive that must exist when kind loads it.
func TestBuildAndLoadRunsProcesses(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) {
		body = "#!/bin/sh\necho \"" + name + " $*\" >> " + filepath.Join(dir, "log") + "\n" + body
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	script("kind", `case "$1 $2" in
"get nodes") echo c-control-plane; echo c-worker ;;
"load image-archive") test -s "$3" ;;
esac
`)
	script("podman", `case "$1" in
build) for i in 1 2 3 4 5 6 7 8; do echo "STEP $i/8"; echo "warning $i" >&2; done ;;
save) echo archive > "$3" ;;
esac
`)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	var progress bytes.Buffer
	b := Builder{Consumer: "gateway", Cluster: "c", Progress: &progress}
	imgs, err := b.BuildAndLoad(t.Context(), ImageSpec{Name: "datastorage", Source: Source{ContextDir: "."}})
	if err != nil {
		t.Fatalf("%v\nprogress:\n%s", err, progress.String())
	}
	ref := imgs[0].String()
	for _, want := range []string{"STEP 8/8", "warning 8", "phase 3: verified " + ref} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
	log, err := os.ReadFile(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n") {
		got = append(got, strings.Join(strings.Fields(line)[:2], " "))
	}
	want := []string{"kind get", "podman build", "podman save", "kind load", "podman exec", "podman exec"}
	if !slices.Equal(got, want) {
		t.Errorf("ran %q, want %q", got, want)
	}
}
