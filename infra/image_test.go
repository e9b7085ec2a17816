package infra

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func testConfig(r Runner) E2EImageConfig {
	return E2EImageConfig{
		Infrastructure: "datastorage",
		Consumer:       "gateway",
		Source: Source{
			ContextDir:    "ctx",
			Containerfile: "ctx/Containerfile",
			BuildArgs:     []string{"GOFLAGS=-cover", "VERSION=e2e"},
		},
		ClusterName: "gateway-e2e",
		Engine:      "podman",
		Runner:      r,
	}
}

// TestSameReferenceBuiltLoadedDeployed follows one reference from the
// build command through save and kind load to the Deployment.
func TestSameReferenceBuiltLoadedDeployed(t *testing.T) {
	ctx := t.Context()
	rec := newRecorder()
	var progress bytes.Buffer
	img, err := BuildAndLoadImageToKind(ctx, testConfig(rec), &progress)
	if err != nil {
		t.Fatal(err)
	}
	ref := img.String()
	checkGrammar(t, ref)
	if !strings.HasPrefix(ref, "localhost/datastorage:gateway-") {
		t.Errorf("reference %q does not name infrastructure and consumer", ref)
	}
	if len(rec.commands) != 3 {
		t.Fatalf("ran %d commands, want build, save, load: %q", len(rec.commands), rec.commands)
	}
	archive := rec.commands[1][3]
	want := [][]string{
		{"podman", "build", "-t", ref, "-f", "ctx/Containerfile", "--build-arg", "GOFLAGS=-cover", "--build-arg", "VERSION=e2e", "ctx"},
		{"podman", "save", "-o", archive, ref},
		{"kind", "load", "image-archive", archive, "--name", "gateway-e2e"},
	}
	for i := range want {
		if !slices.Equal(rec.commands[i], want[i]) {
			t.Errorf("command %d = %q, want %q", i, rec.commands[i], want[i])
		}
	}
	if _, err := os.Stat(filepath.Dir(archive)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("archive directory %s left behind: %v", filepath.Dir(archive), err)
	}
	if !strings.Contains(progress.String(), ref) {
		t.Errorf("progress does not mention %s:\n%s", ref, progress.String())
	}

	client := fake.NewClientset()
	if err := DeployDataStorage(ctx, client, "e2e", img); err != nil {
		t.Fatal(err)
	}
	checkDeployed(t, client, "e2e", "datastorage", ref)
}

// checkDeployed fails unless the Deployment runs exactly ref, never pulled.
func checkDeployed(t *testing.T, client *fake.Clientset, namespace, name, ref string) {
	t.Helper()
	d, err := client.AppsV1().Deployments(namespace).Get(t.Context(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	containers := d.Spec.Template.Spec.Containers
	if len(containers) != 1 {
		t.Fatalf("%s has %d containers, want 1", name, len(containers))
	}
	if c := containers[0]; c.Image != ref || c.ImagePullPolicy != corev1.PullNever {
		t.Errorf("%s runs %q with pull policy %s, want %q with Never", name, c.Image, c.ImagePullPolicy, ref)
	}
}

func TestEachBuildHasItsOwnReference(t *testing.T) {
	a, errA := BuildAndLoadImageToKind(t.Context(), testConfig(newRecorder()), nil)
	b, errB := BuildAndLoadImageToKind(t.Context(), testConfig(newRecorder()), nil)
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two builds for the same consumer share %s; parallel suites would collide", a)
	}
}

// TestStepFailures fails each command in turn: the error names the step,
// the command line and its stderr, no later command runs, and no Image
// comes back.
func TestStepFailures(t *testing.T) {
	for i, step := range []string{"build", "save", "load"} {
		t.Run(step, func(t *testing.T) {
			rec := newRecorder()
			rec.failAt = i
			rec.stderr = "Error: " + step + " went wrong\n"
			img, err := BuildAndLoadImageToKind(t.Context(), testConfig(rec), nil)
			if img != (Image{}) {
				t.Errorf("failed %s returned image %s", step, img)
			}
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *StepError", err)
			}
			if len(rec.commands) != i+1 {
				t.Errorf("ran %d commands after %s failed, want %d", len(rec.commands), step, i+1)
			}
			failed := rec.commands[i]
			if se.Step != step || !slices.Equal(se.Command, failed) || se.Err == nil {
				t.Errorf("StepError{Step: %q, Command: %q, Err: %v}, want step %q, command %q", se.Step, se.Command, se.Err, step, failed)
			}
			for _, want := range []string{step, strings.Join(failed, " "), step + " went wrong", "exit status 125"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestStepErrorQuotesTheEndOfLongStderr(t *testing.T) {
	err := &StepError{Step: "build", Command: []string{"docker", "build"}, Stderr: []byte(strings.Repeat("progress\n", 1000) + "the cause"), Err: errors.New("exit status 1")}
	if msg := err.Error(); !strings.HasSuffix(msg, "the cause") || len(msg) > maxStderr+200 {
		t.Errorf("message of %d bytes does not end with the cause", len(msg))
	}
}

func TestConfigErrors(t *testing.T) {
	for name, mutate := range map[string]func(*E2EImageConfig){
		"no infrastructure": func(c *E2EImageConfig) { c.Infrastructure = "" },
		"no consumer":       func(c *E2EImageConfig) { c.Consumer = "" },
		"no context":        func(c *E2EImageConfig) { c.ContextDir = "" },
		"no cluster":        func(c *E2EImageConfig) { c.ClusterName = "" },
	} {
		rec := newRecorder()
		cfg := testConfig(rec)
		mutate(&cfg)
		img, err := BuildAndLoadImageToKind(t.Context(), cfg, nil)
		if err == nil || img != (Image{}) || len(rec.commands) != 0 {
			t.Errorf("%s: got %q, %v after %d commands; want an error before any", name, img, err, len(rec.commands))
		}
	}
}

func TestEngineDetection(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	cfg := testConfig(nil)
	cfg.Engine = ""
	if _, err := cfg.engine(); err == nil {
		t.Error("found an engine on an empty PATH")
	}
	for _, name := range []string{"docker", "podman"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if got, err := cfg.engine(); got != name || err != nil {
			t.Errorf("with %s added to PATH: engine() = %q, %v; want %q", name, got, err, name)
		}
	}
	cfg.Engine = "/opt/bin/docker"
	if got, _ := cfg.engine(); got != cfg.Engine {
		t.Errorf("engine() = %q, want the configured %q", got, cfg.Engine)
	}
}
