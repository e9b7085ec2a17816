// Package infratest helps test code that uses infra without a container
// engine or a Kind cluster.
package infratest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Recorder is an infra.Runner that records command lines instead of
// running them, and answers them like a Kind cluster whose nodes have
// every image. It is safe for concurrent use.
type Recorder struct {
	// Nodes are the names "kind get nodes" prints; none means that the
	// cluster does not exist.
	Nodes []string
	// Lacking is a node in which "crictl inspecti" finds no image.
	Lacking string
	// FailAt, if positive, is the number of the command that fails, 1 for
	// the first, writing Stderr.
	FailAt int
	Stderr string
	// OnRun, if set, is called with each command's number before it is
	// answered, for example to cancel the context.
	OnRun func(n int)

	mu       sync.Mutex
	commands [][]string
}

// Run records the command line and answers it. A context that is done
// fails the command as an interrupted one would.
func (r *Recorder) Run(ctx context.Context, stdout, stderr io.Writer, name string, args ...string) error {
	argv := append([]string{name}, args...)
	r.mu.Lock()
	r.commands = append(r.commands, argv)
	n := len(r.commands)
	r.mu.Unlock()
	if r.OnRun != nil {
		r.OnRun(n)
	}
	switch {
	case ctx.Err() != nil:
		return errors.New("signal: interrupt")
	case n == r.FailAt:
		write(stderr, r.Stderr)
		return errors.New("exit status 125")
	case slices.Equal(argv[:min(3, len(argv))], []string{"kind", "get", "nodes"}):
		for _, node := range r.Nodes {
			write(stdout, node+"\n")
		}
	case len(argv) == 6 && argv[1] == "exec" && argv[2] == r.Lacking && slices.Equal(argv[3:5], []string{"crictl", "inspecti"}):
		write(stderr, fmt.Sprintf("no such image %q present\n", argv[5]))
		return errors.New("exit status 1")
	}
	return nil
}

// Commands returns the command lines run so far, name first.
func (r *Recorder) Commands() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.commands)
}

// CommandLines returns the command lines run so far, joined by spaces.
func (r *Recorder) CommandLines() []string {
	var lines []string
	for _, argv := range r.Commands() {
		lines = append(lines, strings.Join(argv, " "))
	}
	return lines
}

func write(w io.Writer, s string) {
	if w != nil {
		io.WriteString(w, s)
	}
}
