package infra

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Builder builds a suite's images, loads them into its Kind cluster and
// checks that every node has them. Consumer and Cluster are required; the
// other fields have defaults.
type Builder struct {
	// Consumer names the suite, e.g. "gateway". Every tag starts with it
	// and ends with a random suffix, so suites never share an image.
	Consumer string
	// Cluster is the Kind cluster's name. Kind must be able to find it:
	// for a cluster in podman or nerdctl on a machine that has docker too,
	// set KIND_EXPERIMENTAL_PROVIDER.
	Cluster string
	// Engine is "podman", "docker" or "nerdctl", or a path to one of
	// them; empty takes the first of these on PATH, in that order. Kind's
	// nodes must run in it: checking an image execs into them.
	Engine string
	// Runner runs the commands; nil means ExecRunner.
	Runner Runner
	// Progress receives a line per step, with the time each took, and the
	// commands' output; nil discards them.
	Progress io.Writer
}

// BuildAndLoad builds each image once under its own fresh tag, loads it
// into the cluster and checks that every node has it, one image after the
// other. It returns the Images in the order of specs; deploy those values.
//
// Before building it lists the cluster's nodes, so a missing cluster fails
// in seconds rather than after the builds. A failed command is reported as
// a *StepError, an image a node lacks as a *MissingImageError. Every
// command runs under ctx: when ctx is done the running command is stopped
// and no further command starts.
func (b Builder) BuildAndLoad(ctx context.Context, specs ...ImageSpec) ([]Image, error) {
	if b.Consumer == "" || b.Cluster == "" {
		return nil, errors.New("infra: Builder needs Consumer and Cluster")
	}
	seen := make(map[string]bool, len(specs))
	for i, spec := range specs {
		if spec.Name == "" || spec.ContextDir == "" {
			return nil, fmt.Errorf("infra: image %d needs Name and ContextDir", i)
		}
		if seen[spec.Name] {
			return nil, fmt.Errorf("infra: image %q is listed twice", spec.Name)
		}
		seen[spec.Name] = true
	}
	if len(specs) == 0 {
		return nil, nil
	}
	s, err := b.session()
	if err != nil {
		return nil, err
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return nil, err
	}
	if s.engine.archives() {
		dir, err := os.MkdirTemp("", "infra-image-")
		if err != nil {
			return nil, fmt.Errorf("infra: archive directory: %w", err)
		}
		defer os.RemoveAll(dir)
		s.archive = filepath.Join(dir, "image.tar")
	}

	imgs := make([]Image, 0, len(specs))
	for _, spec := range specs {
		img := Image{ref: GenerateInfraImageName(spec.Name, b.Consumer)}
		fmt.Fprintf(s.w, "phase 0: %s image for %s: %s\n", spec.Name, b.Consumer, img)
		if err := s.build(ctx, img, spec.Source); err != nil {
			return nil, err
		}
		if err := s.load(ctx, img); err != nil {
			return nil, err
		}
		if err := s.verify(ctx, nodes, img); err != nil {
			return nil, err
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}

// Verify checks that every node of the cluster has each image, as
// BuildAndLoad does after loading. It reports the first image a node lacks
// as a *MissingImageError, before any pod waits for it.
func (b Builder) Verify(ctx context.Context, imgs ...Image) error {
	if b.Cluster == "" {
		return errors.New("infra: Builder needs Cluster")
	}
	for _, img := range imgs {
		if img.ref == "" {
			return errors.New("infra: verify: zero Image; pass an Image that BuildAndLoad returned")
		}
	}
	if len(imgs) == 0 {
		return nil
	}
	s, err := b.session()
	if err != nil {
		return err
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return err
	}
	for _, img := range imgs {
		if err := s.verify(ctx, nodes, img); err != nil {
			return err
		}
	}
	return nil
}

// session is a Builder with its engine found and its defaults filled in.
type session struct {
	cluster string
	engine  engine
	runner  Runner
	w       io.Writer
	archive string // where images are saved for "kind load image-archive"
}

func (b Builder) session() (*session, error) {
	eng, err := findEngine(b.Engine)
	if err != nil {
		return nil, err
	}
	s := &session{cluster: b.Cluster, engine: eng, runner: b.Runner, w: io.Discard}
	if s.runner == nil {
		s.runner = ExecRunner{}
	}
	if b.Progress != nil {
		s.w = &syncWriter{w: b.Progress}
	}
	return s, nil
}

// run prints the command line of a step of phase, then runs it.
func (s *session) run(ctx context.Context, phase, step string, stdout io.Writer, argv ...string) error {
	fmt.Fprintf(s.w, "phase %s: %s\n", phase, strings.Join(argv, " "))
	return run(ctx, s.runner, s.w, stdout, step, argv...)
}

// nodes lists the nodes of the cluster that run pods.
func (s *session) nodes(ctx context.Context) ([]string, error) {
	var out bytes.Buffer
	if err := s.run(ctx, "2", "nodes", &out, "kind", "get", "nodes", "--name", s.cluster); err != nil {
		return nil, err
	}
	var nodes []string
	for _, node := range strings.Fields(out.String()) {
		// An HA cluster's load balancer is a node that runs haproxy, not pods.
		if node != s.cluster+"-external-load-balancer" {
			nodes = append(nodes, node)
		}
	}
	if len(nodes) == 0 {
		msg := fmt.Sprintf("infra: Kind cluster %s has no nodes: create it first", s.cluster)
		if s.engine.name != "docker" {
			// Kind looks in docker first.
			msg += fmt.Sprintf(", and set KIND_EXPERIMENTAL_PROVIDER=%s if it runs in %[1]s", s.engine.name)
		}
		return nil, errors.New(msg)
	}
	fmt.Fprintf(s.w, "phase 2: Kind cluster %s has nodes %s\n", s.cluster, strings.Join(nodes, ", "))
	return nodes, nil
}

func (s *session) build(ctx context.Context, img Image, src Source) error {
	start := time.Now()
	argv := []string{s.engine.path, "build", "-t", img.ref}
	if src.Containerfile != "" {
		argv = append(argv, "-f", src.Containerfile)
	}
	for _, arg := range src.BuildArgs {
		argv = append(argv, "--build-arg", arg)
	}
	if err := s.run(ctx, "1", "build", s.w, append(argv, src.ContextDir)...); err != nil {
		return err
	}
	fmt.Fprintf(s.w, "phase 1: built %s in %s\n", img, since(start))
	return nil
}

// load loads img into the cluster, through an archive if the engine is
// not docker, whose images Kind reads itself.
func (s *session) load(ctx context.Context, img Image) error {
	start := time.Now()
	if s.engine.archives() {
		defer os.Remove(s.archive)
		if err := s.run(ctx, "3", "save", s.w, s.engine.path, "save", "-o", s.archive, img.ref); err != nil {
			return err
		}
		if err := s.run(ctx, "3", "load", s.w, "kind", "load", "image-archive", s.archive, "--name", s.cluster); err != nil {
			return err
		}
	} else if err := s.run(ctx, "3", "load", s.w, "kind", "load", "docker-image", img.ref, "--name", s.cluster); err != nil {
		return err
	}
	fmt.Fprintf(s.w, "phase 3: loaded %s into Kind cluster %s in %s\n", img, s.cluster, since(start))
	return nil
}

// verify asks the container runtime of each node for img.
func (s *session) verify(ctx context.Context, nodes []string, img Image) error {
	start := time.Now()
	for _, node := range nodes {
		err := s.run(ctx, "3", "verify", nil, s.engine.path, "exec", node, "crictl", "inspecti", img.ref)
		if err != nil && ctx.Err() == nil {
			return &MissingImageError{Image: img, Cluster: s.cluster, Node: node, Err: err}
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(s.w, "phase 3: verified %s in every node of %s in %s\n", img, s.cluster, since(start))
	return nil
}

func since(start time.Time) time.Duration {
	return time.Since(start).Round(time.Millisecond)
}
