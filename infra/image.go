package infra

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Image is a reference that [BuildAndLoadImageToKind] built and loaded into
// a Kind cluster. Code outside this package cannot make a non-zero Image,
// so a string literal or a regenerated tag cannot reach a deploy function
// in its place.
type Image struct{ ref string }

// String returns the reference, e.g. "localhost/datastorage:gateway-1a2b3c4d5e6f7a8b".
func (i Image) String() string { return i.ref }

// Source says how to build an image.
type Source struct {
	// ContextDir is the build context.
	ContextDir string
	// Containerfile is the Containerfile or Dockerfile; empty lets the
	// engine look for one in ContextDir.
	Containerfile string
	// BuildArgs are KEY=VALUE pairs passed as --build-arg, in order.
	BuildArgs []string
}

// E2EImageConfig says what to build and where to load it.
type E2EImageConfig struct {
	// Infrastructure names the repository, e.g. "datastorage".
	Infrastructure string
	// Consumer names the suite using the image, e.g. "gateway". It starts
	// the tag, so each suite gets its own image.
	Consumer string
	Source
	// ClusterName is the Kind cluster to load into. Kind must be set up to
	// find it (KIND_EXPERIMENTAL_PROVIDER=podman for a podman cluster when
	// docker is installed too).
	ClusterName string
	// Engine is the build command, "podman" or "docker"; empty takes the
	// first of them on PATH.
	Engine string
	// Runner runs the commands; nil means ExecRunner.
	Runner Runner
}

// Runner runs a command, streaming its output to w, and returns what it
// wrote to stderr so that a failure can say why.
type Runner interface {
	Run(ctx context.Context, w io.Writer, name string, args ...string) (stderr []byte, err error)
}

// ExecRunner runs commands with os/exec.
type ExecRunner struct{}

// Run runs name with args; stdout and stderr go to w, stderr is also returned.
func (ExecRunner) Run(ctx context.Context, w io.Writer, name string, args ...string) ([]byte, error) {
	if w == nil {
		w = io.Discard
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = w
	cmd.Stderr = io.MultiWriter(w, &stderr)
	err := cmd.Run()
	return stderr.Bytes(), err
}

// StepError is a failed command of the image lifecycle.
type StepError struct {
	Step    string   // "build", "save" or "load"
	Command []string // the command line, name first
	Stderr  []byte
	Err     error
}

// maxStderr bounds the stderr an error message quotes: build tools write
// their whole progress there, and the cause is at the end.
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

// BuildAndLoadImageToKind generates the image's reference (phase 0), builds
// the image with it (phase 1), saves it to an archive and loads the archive
// into the Kind cluster (phase 3). It returns the exact reference it built,
// which is the only one to deploy: keep it and pass it on.
//
// Each call builds its own image under its own tag, never re-tagging a
// shared image inside the node ("Phase 3.5"), so the deployed code is the
// current code and parallel suites do not share images. Progress goes to
// w. A failed command is reported as a *StepError.
func BuildAndLoadImageToKind(ctx context.Context, cfg E2EImageConfig, w io.Writer) (Image, error) {
	if cfg.Infrastructure == "" || cfg.Consumer == "" || cfg.ContextDir == "" || cfg.ClusterName == "" {
		return Image{}, errors.New("infra: E2EImageConfig needs Infrastructure, Consumer, ContextDir and ClusterName")
	}
	engine, err := cfg.engine()
	if err != nil {
		return Image{}, err
	}
	runner := cfg.Runner
	if runner == nil {
		runner = ExecRunner{}
	}
	if w == nil {
		w = io.Discard
	}
	dir, err := os.MkdirTemp("", "infra-image-")
	if err != nil {
		return Image{}, fmt.Errorf("infra: archive directory: %w", err)
	}
	defer os.RemoveAll(dir)
	archive := filepath.Join(dir, "image.tar")

	ref := GenerateInfraImageName(cfg.Infrastructure, cfg.Consumer)
	fmt.Fprintf(w, "phase 0: %s image for %s: %s\n", cfg.Infrastructure, cfg.Consumer, ref)
	build := []string{engine, "build", "-t", ref}
	if cfg.Containerfile != "" {
		build = append(build, "-f", cfg.Containerfile)
	}
	for _, arg := range cfg.BuildArgs {
		build = append(build, "--build-arg", arg)
	}
	steps := []struct {
		phase, name string
		command     []string
	}{
		{"1", "build", append(build, cfg.ContextDir)},
		{"3", "save", []string{engine, "save", "-o", archive, ref}},
		{"3", "load", []string{"kind", "load", "image-archive", archive, "--name", cfg.ClusterName}},
	}
	for _, s := range steps {
		fmt.Fprintf(w, "phase %s: %s\n", s.phase, strings.Join(s.command, " "))
		if stderr, err := runner.Run(ctx, w, s.command[0], s.command[1:]...); err != nil {
			return Image{}, &StepError{Step: s.name, Command: s.command, Stderr: stderr, Err: err}
		}
	}
	return Image{ref: ref}, nil
}

// engine returns the configured build command or the first found on PATH.
func (cfg E2EImageConfig) engine() (string, error) {
	if cfg.Engine != "" {
		return cfg.Engine, nil
	}
	for _, name := range []string{"podman", "docker"} {
		if _, err := exec.LookPath(name); err == nil {
			return name, nil
		}
	}
	return "", errors.New("infra: neither podman nor docker is on PATH; set E2EImageConfig.Engine")
}
