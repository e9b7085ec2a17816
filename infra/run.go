package infra

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Runner runs one command. Tests replace ExecRunner with a Runner that
// records command lines and answers them.
type Runner interface {
	// Run runs name with args, writing the command's standard output to
	// stdout and its standard error to stderr (either may be nil, which
	// discards it). It returns when the command has exited, or once ctx is
	// done and the command has been stopped.
	Run(ctx context.Context, stdout, stderr io.Writer, name string, args ...string) error
}

// defaultGrace is how long a cancelled command gets to exit after an
// interrupt: long enough for an engine to clean up a half-done build.
const defaultGrace = 10 * time.Second

// ExecRunner runs commands with os/exec.
type ExecRunner struct {
	// Grace is how long a command may take to exit after its context is
	// done and it was sent an interrupt, before it is killed and its
	// output abandoned; 0 means 10s.
	Grace time.Duration
}

// Run runs name with args; once ctx is done it interrupts the command, and
// kills it if it has not exited after r.Grace.
func (r ExecRunner) Run(ctx context.Context, stdout, stderr io.Writer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = r.Grace
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = defaultGrace
	}
	return cmd.Run()
}

// StepError is a failed command of the image lifecycle.
type StepError struct {
	Step    string   // "nodes", "build", "save", "load" or "verify"
	Command []string // the command line, name first
	Stderr  []byte   // the end of what the command wrote to stderr
	Err     error    // wraps the context's error when the context ended the command
}

// maxStderr bounds the stderr a StepError keeps and quotes: build tools
// write their whole progress there, and the cause is at the end.
const maxStderr = 2048

func (e *StepError) Error() string {
	stderr := strings.TrimSpace(string(e.Stderr))
	if len(stderr) > maxStderr {
		stderr = "..." + stderr[len(stderr)-maxStderr:]
	}
	msg := fmt.Sprintf("infra: %s step failed: %s: %v", e.Step, strings.Join(e.Command, " "), e.Err)
	if stderr != "" {
		msg += "\nstderr:\n" + stderr
	}
	return msg
}

func (e *StepError) Unwrap() error { return e.Err }

// MissingImageError says that a node of the Kind cluster does not have an
// image: a pod scheduled there would fail with ErrImageNeverPull.
type MissingImageError struct {
	Image   Image
	Cluster string
	Node    string
	Err     error // the failed check, a *StepError
}

func (e *MissingImageError) Error() string {
	return fmt.Sprintf("infra: node %s of Kind cluster %s does not have image %s; a pod there would fail with ErrImageNeverPull: %v",
		e.Node, e.Cluster, e.Image, e.Err)
}

func (e *MissingImageError) Unwrap() error { return e.Err }

// run runs one command of step, sending its stderr to w as well, and
// returns a *StepError if it fails. A context that is already done runs
// nothing.
func run(ctx context.Context, runner Runner, w, stdout io.Writer, step string, argv ...string) error {
	if ctx.Err() != nil {
		return &StepError{Step: step, Command: argv, Err: context.Cause(ctx)}
	}
	var stderr tail
	err := runner.Run(ctx, stdout, io.MultiWriter(w, &stderr), argv[0], argv[1:]...)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// The command died of the interrupt; say why it was sent.
		err = fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	return &StepError{Step: step, Command: argv, Stderr: stderr.buf, Err: err}
}

// tail keeps the last maxStderr bytes written to it.
type tail struct{ buf []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if extra := len(t.buf) - maxStderr; extra > 0 {
		t.buf = append(t.buf[:0], t.buf[extra:]...)
	}
	return len(p), nil
}

// syncWriter serializes writes to w: a command's stdout and stderr are
// copied to the same progress writer by two goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
