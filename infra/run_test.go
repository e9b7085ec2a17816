package infra

import (
	"bytes"
	"context"
	"errors"
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
