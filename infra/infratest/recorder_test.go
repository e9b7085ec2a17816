package infratest

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

func TestRecorder(t *testing.T) {
	for _, tc := range []struct {
		name           string
		rec            *Recorder
		argv           []string
		stdout, stderr string
		fails          bool
	}{
		{"nodes", &Recorder{Nodes: []string{"c-control-plane", "c-worker"}}, []string{"kind", "get", "nodes", "--name", "c"}, "c-control-plane\nc-worker\n", "", false},
		{"no cluster", &Recorder{}, []string{"kind", "get", "nodes", "--name", "c"}, "", "", false},
		{"image present", &Recorder{Lacking: "c-worker"}, []string{"podman", "exec", "c-control-plane", "crictl", "inspecti", "localhost/x:y"}, "", "", false},
		{"image lacking", &Recorder{Lacking: "c-worker"}, []string{"docker", "exec", "c-worker", "crictl", "inspecti", "localhost/x:y"}, "", "no such image \"localhost/x:y\" present\n", true},
		{"other exec", &Recorder{Lacking: "c-worker"}, []string{"docker", "exec", "c-worker", "crictl", "images"}, "", "", false},
		{"fail at", &Recorder{FailAt: 1, Stderr: "Error: no space left"}, []string{"podman", "build", "-t", "x", "."}, "", "Error: no space left", true},
		{"short", &Recorder{}, []string{"kind"}, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := tc.rec.Run(t.Context(), &stdout, &stderr, tc.argv[0], tc.argv[1:]...)
			if (err != nil) != tc.fails || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
				t.Errorf("Run(%q) = %v, stdout %q, stderr %q; want failure %v, %q, %q", tc.argv, err, stdout.String(), stderr.String(), tc.fails, tc.stdout, tc.stderr)
			}
			if got := tc.rec.Commands(); len(got) != 1 || !slices.Equal(got[0], tc.argv) {
				t.Errorf("recorded %q, want %q", got, tc.argv)
			}
			// Nil writers discard.
			if err2 := tc.rec.Run(t.Context(), nil, nil, tc.argv[0], tc.argv[1:]...); tc.rec.FailAt == 0 && (err2 != nil) != tc.fails {
				t.Errorf("with nil writers: %v", err2)
			}
		})
	}
}

func TestRecorderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var seen []int
	rec := &Recorder{OnRun: func(n int) {
		seen = append(seen, n)
		if n == 2 {
			cancel()
		}
	}}
	for i := range 3 {
		err := rec.Run(ctx, nil, nil, "podman", "build")
		if (err != nil) != (i >= 1) {
			t.Errorf("command %d: err = %v", i+1, err)
		}
	}
	if !slices.Equal(seen, []int{1, 2, 3}) {
		t.Errorf("OnRun saw %v, want 1, 2, 3", seen)
	}
	if got := strings.Join(rec.CommandLines(), "; "); got != "podman build; podman build; podman build" {
		t.Errorf("CommandLines() = %q", got)
	}
}
