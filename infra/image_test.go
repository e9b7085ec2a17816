package infra

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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

func testBuilder(r Runner, engine string) Builder {
	return Builder{Consumer: "gateway", Cluster: "gateway-e2e", Engine: engine, Runner: r}
}

// TestSameReferenceBuiltLoadedVerifiedDeployed follows one reference from
// the build command through save, kind load and the check of each node to
// the Deployment.
func TestSameReferenceBuiltLoadedVerifiedDeployed(t *testing.T) {
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
	if len(rec.Commands()) != 6 {
		t.Fatalf("ran %d commands, want nodes, build, save, load and two checks: %q", len(rec.Commands()), rec.Commands())
	}
	archive := rec.Commands()[2][3]
	want := [][]string{
		{"kind", "get", "nodes", "--name", "gateway-e2e"},
		{"podman", "build", "-t", ref, "-f", "ctx/Containerfile", "--build-arg", "GOFLAGS=-cover", "--build-arg", "VERSION=e2e", "ctx"},
		{"podman", "save", "-o", archive, ref},
		{"kind", "load", "image-archive", archive, "--name", "gateway-e2e"},
		{"podman", "exec", "gateway-e2e-control-plane", "crictl", "inspecti", ref},
		{"podman", "exec", "gateway-e2e-worker", "crictl", "inspecti", ref},
	}
	for i := range want {
		if !slices.Equal(rec.Commands()[i], want[i]) {
			t.Errorf("command %d = %q, want %q", i, rec.Commands()[i], want[i])
		}
	}
	if _, err := os.Stat(filepath.Dir(archive)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("archive directory %s left behind: %v", filepath.Dir(archive), err)
	}
	// Each step names the image and the time it took.
	for _, prefix := range []string{
		"phase 1: built " + ref,
		"phase 3: loaded " + ref + " into Kind cluster gateway-e2e",
		"phase 3: verified " + ref + " in every node of gateway-e2e",
	} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(prefix) + ` in (\d+m)?[\d.]+m?s$`).MatchString(progress.String()) {
			t.Errorf("progress lacks a line %q followed by a duration:\n%s", prefix, progress.String())
		}
	}

	client := fake.NewClientset()
	if err := DeployService(ctx, client, "e2e", Service{Name: "datastorage"}, img); err != nil {
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

// TestLoadPerEngine: Kind reads docker's images itself; podman's and
// nerdctl's go through an archive.
func TestLoadPerEngine(t *testing.T) {
	for _, tc := range []struct {
		engine string
		load   []string // the commands between build and the checks; ARCHIVE and REF stand for their values
	}{
		{"docker", []string{"kind load docker-image REF --name gateway-e2e"}},
		{"podman", []string{"podman save -o ARCHIVE REF", "kind load image-archive ARCHIVE --name gateway-e2e"}},
		{"nerdctl", []string{"nerdctl save -o ARCHIVE REF", "kind load image-archive ARCHIVE --name gateway-e2e"}},
		{"/opt/bin/nerdctl", []string{"/opt/bin/nerdctl save -o ARCHIVE REF", "kind load image-archive ARCHIVE --name gateway-e2e"}},
	} {
		t.Run(filepath.Base(tc.engine), func(t *testing.T) {
			rec := newRecorder()
			imgs, err := testBuilder(rec, tc.engine).BuildAndLoad(t.Context(), ImageSpec{Name: "datastorage", Source: Source{ContextDir: "ctx"}})
			if err != nil {
				t.Fatal(err)
			}
			ref := imgs[0].String()
			got := rec.CommandLines()
			archive := "no archive"
			if len(tc.load) == 2 {
				archive = rec.Commands()[2][3]
			}
			want := []string{"kind get nodes --name gateway-e2e", tc.engine + " build -t " + ref + " ctx"}
			for _, c := range tc.load {
				want = append(want, strings.NewReplacer("ARCHIVE", archive, "REF", ref).Replace(c))
			}
			for _, node := range []string{"gateway-e2e-control-plane", "gateway-e2e-worker"} {
				want = append(want, tc.engine+" exec "+node+" crictl inspecti "+ref)
			}
			if !slices.Equal(got, want) {
				t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestBuildAndLoadSeveralImages builds each image under its own tag, and
// lists the nodes once, before the first build.
func TestBuildAndLoadSeveralImages(t *testing.T) {
	rec := newRecorder()
	specs := []ImageSpec{
		{Name: "datastorage", Source: Source{ContextDir: "datastorage"}},
		{Name: "gateway", Source: Source{ContextDir: "gateway"}},
	}
	imgs, err := testBuilder(rec, "docker").BuildAndLoad(t.Context(), specs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2 || imgs[0] == imgs[1] {
		t.Fatalf("images %v, want two different ones", imgs)
	}
	var builds, nodeLists int
	for _, c := range rec.Commands() {
		switch {
		case c[1] == "build":
			if want := imgs[builds].String(); c[3] != want || c[len(c)-1] != specs[builds].ContextDir {
				t.Errorf("build %d = %q, want %s from %s", builds, c, want, specs[builds].ContextDir)
			}
			builds++
		case c[1] == "get":
			if builds > 0 {
				t.Errorf("nodes listed after a build: %q", rec.Commands())
			}
			nodeLists++
		}
	}
	if builds != 2 || nodeLists != 1 {
		t.Errorf("%d builds and %d node lists, want 2 and 1: %q", builds, nodeLists, rec.Commands())
	}
	if !strings.HasPrefix(imgs[1].String(), "localhost/gateway:gateway-") {
		t.Errorf("second image %s is not named after its spec", imgs[1])
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
	for i, step := range []string{"nodes", "build", "save", "load", "verify"} {
		t.Run(step, func(t *testing.T) {
			rec := newRecorder()
			rec.FailAt = i + 1
			rec.Stderr = "Error: " + step + " went wrong\n"
			img, err := BuildAndLoadImageToKind(t.Context(), testConfig(rec), nil)
			if img != (Image{}) {
				t.Errorf("failed %s returned image %s", step, img)
			}
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *StepError", err)
			}
			if len(rec.Commands()) != i+1 {
				t.Errorf("ran %d commands after %s failed, want %d", len(rec.Commands()), step, i+1)
			}
			failed := rec.Commands()[i]
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

// TestMissingImageNamesReferenceAndNode: a node without the image fails
// the build before anything is deployed, naming the reference and node.
func TestMissingImageNamesReferenceAndNode(t *testing.T) {
	rec := newRecorder()
	rec.Lacking = "gateway-e2e-worker"
	img, err := BuildAndLoadImageToKind(t.Context(), testConfig(rec), nil)
	if img != (Image{}) {
		t.Errorf("returned image %s that a node lacks", img)
	}
	var missing *MissingImageError
	if !errors.As(err, &missing) {
		t.Fatalf("error %v is not a *MissingImageError", err)
	}
	ref := rec.Commands()[1][3]
	if missing.Image.String() != ref || missing.Node != "gateway-e2e-worker" || missing.Cluster != "gateway-e2e" {
		t.Errorf("MissingImageError{Image: %s, Node: %s, Cluster: %s}, want %s in gateway-e2e-worker of gateway-e2e", missing.Image, missing.Node, missing.Cluster, ref)
	}
	for _, want := range []string{ref, "gateway-e2e-worker", "no such image", "ErrImageNeverPull"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if last := rec.Commands()[len(rec.Commands())-1]; last[2] != "gateway-e2e-worker" {
		t.Errorf("commands went on after the check of the worker: %q", rec.Commands())
	}
}

func TestVerify(t *testing.T) {
	imgs, err := testBuilder(newRecorder(), "podman").BuildAndLoad(t.Context(), ImageSpec{Name: "datastorage", Source: Source{ContextDir: "ctx"}})
	if err != nil {
		t.Fatal(err)
	}
	img := imgs[0]

	t.Run("present", func(t *testing.T) {
		rec := newRecorder()
		rec.Nodes = []string{"gateway-e2e-control-plane", "gateway-e2e-control-plane2", "gateway-e2e-external-load-balancer", "gateway-e2e-worker"}
		if err := testBuilder(rec, "podman").Verify(t.Context(), img); err != nil {
			t.Fatal(err)
		}
		var checked []string
		for _, c := range rec.Commands()[1:] {
			if !slices.Equal(c[3:], []string{"crictl", "inspecti", img.String()}) {
				t.Errorf("unexpected command %q", c)
			}
			checked = append(checked, c[2])
		}
		// The load balancer runs no pods and has no crictl.
		if want := []string{"gateway-e2e-control-plane", "gateway-e2e-control-plane2", "gateway-e2e-worker"}; !slices.Equal(checked, want) {
			t.Errorf("checked nodes %q, want %q", checked, want)
		}
	})
	t.Run("missing", func(t *testing.T) {
		rec := newRecorder()
		rec.Lacking = "gateway-e2e-control-plane"
		var missing *MissingImageError
		if err := testBuilder(rec, "podman").Verify(t.Context(), img); !errors.As(err, &missing) || missing.Node != rec.Lacking || missing.Image != img {
			t.Fatalf("err = %v, want a *MissingImageError for %s in %s", err, img, rec.Lacking)
		}
	})
	t.Run("no cluster", func(t *testing.T) {
		rec := newRecorder()
		rec.Nodes = nil
		err := testBuilder(rec, "docker").Verify(t.Context(), img)
		if err == nil || !strings.Contains(err.Error(), "Kind cluster gateway-e2e has no nodes") || strings.Contains(err.Error(), "KIND_EXPERIMENTAL_PROVIDER") || len(rec.Commands()) != 1 {
			t.Errorf("err = %v after %d commands, want no nodes after one, and nothing about providers with docker", err, len(rec.Commands()))
		}
	})
	t.Run("zero image", func(t *testing.T) {
		rec := newRecorder()
		if err := testBuilder(rec, "podman").Verify(t.Context(), img, Image{}); err == nil || len(rec.Commands()) != 0 {
			t.Errorf("err = %v after %d commands, want an error before any", err, len(rec.Commands()))
		}
	})
}

// TestMissingClusterFailsBeforeBuilding: "kind get nodes" prints nothing
// (and exits 0) for a cluster that does not exist.
func TestMissingClusterFailsBeforeBuilding(t *testing.T) {
	rec := newRecorder()
	rec.Nodes = nil
	img, err := BuildAndLoadImageToKind(t.Context(), testConfig(rec), nil)
	if img != (Image{}) || err == nil || !strings.Contains(err.Error(), "Kind cluster gateway-e2e has no nodes") || !strings.Contains(err.Error(), "KIND_EXPERIMENTAL_PROVIDER=podman") {
		t.Errorf("got %q, %v; want no image and an error naming the cluster and the provider variable", img, err)
	}
	if len(rec.Commands()) != 1 {
		t.Errorf("ran %q after finding no nodes", rec.Commands()[1:])
	}
}

// TestCancellation stops at the command during which the context ends, or
// before the first one if it has already ended.
func TestCancellation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cancelAt int // index of the command during which the context is cancelled; -1: expired before
		step     string
	}{
		{"expired before", -1, "nodes"},
		{"during build", 1, "build"},
		{"during load", 3, "load"},
		{"during verify", 4, "verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			wantErr := context.Canceled
			if tc.cancelAt < 0 {
				var stop context.CancelFunc
				ctx, stop = context.WithDeadline(ctx, time.Now().Add(-time.Second))
				defer stop()
				wantErr = context.DeadlineExceeded
			}
			rec := newRecorder()
			rec.OnRun = func(n int) {
				if n == tc.cancelAt+1 {
					cancel()
				}
			}
			img, err := BuildAndLoadImageToKind(ctx, testConfig(rec), nil)
			if img != (Image{}) || !errors.Is(err, wantErr) {
				t.Fatalf("got %q, %v; want no image and %v", img, err, wantErr)
			}
			var se *StepError
			if !errors.As(err, &se) || se.Step != tc.step {
				t.Errorf("err = %v, want a *StepError of step %s", err, tc.step)
			}
			if errors.As(err, new(*MissingImageError)) {
				t.Errorf("a cancelled check reported a missing image: %v", err)
			}
			if ran := len(rec.Commands()); ran != tc.cancelAt+1 {
				t.Errorf("ran %d commands, want %d: %q", ran, tc.cancelAt+1, rec.Commands())
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

// TestStepErrorKeepsTheEndOfStderr: a long build log is not held in
// memory, its end is.
func TestStepErrorKeepsTheEndOfStderr(t *testing.T) {
	rec := newRecorder()
	rec.FailAt = 2
	rec.Stderr = strings.Repeat("STEP 1/2: progress\n", 100_000) + "Error: the cause"
	img, err := BuildAndLoadImageToKind(t.Context(), testConfig(rec), nil)
	var se *StepError
	if img != (Image{}) || !errors.As(err, &se) {
		t.Fatalf("got %q, %v; want no image and a *StepError", img, err)
	}
	if len(se.Stderr) > maxStderr || !strings.HasSuffix(string(se.Stderr), "Error: the cause") {
		t.Errorf("kept %d bytes of stderr ending %q", len(se.Stderr), se.Stderr[max(0, len(se.Stderr)-20):])
	}
}

func TestConfigErrors(t *testing.T) {
	for name, mutate := range map[string]func(*E2EImageConfig){
		"no infrastructure": func(c *E2EImageConfig) { c.Infrastructure = "" },
		"no consumer":       func(c *E2EImageConfig) { c.Consumer = "" },
		"no context":        func(c *E2EImageConfig) { c.ContextDir = "" },
		"no cluster":        func(c *E2EImageConfig) { c.ClusterName = "" },
		"unknown engine":    func(c *E2EImageConfig) { c.Engine = "buildah" },
	} {
		rec := newRecorder()
		cfg := testConfig(rec)
		mutate(&cfg)
		img, err := BuildAndLoadImageToKind(t.Context(), cfg, nil)
		if err == nil || img != (Image{}) || len(rec.Commands()) != 0 {
			t.Errorf("%s: got %q, %v after %d commands; want an error before any", name, img, err, len(rec.Commands()))
		}
	}
	src := Source{ContextDir: "ctx"}
	for name, specs := range map[string][]ImageSpec{
		"no name":      {{Source: src}},
		"no context":   {{Name: "datastorage"}},
		"listed twice": {{Name: "datastorage", Source: src}, {Name: "gateway", Source: src}, {Name: "datastorage", Source: src}},
	} {
		rec := newRecorder()
		imgs, err := testBuilder(rec, "podman").BuildAndLoad(t.Context(), specs...)
		if err == nil || imgs != nil || len(rec.Commands()) != 0 {
			t.Errorf("%s: got %v, %v after %d commands; want an error before any", name, imgs, err, len(rec.Commands()))
		}
	}
	rec := newRecorder()
	if imgs, err := testBuilder(rec, "podman").BuildAndLoad(t.Context()); imgs != nil || err != nil || len(rec.Commands()) != 0 {
		t.Errorf("no images: got %v, %v after %d commands; want nothing", imgs, err, len(rec.Commands()))
	}
}

func TestEngineDetection(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	if _, err := findEngine(""); err == nil {
		t.Error("found an engine on an empty PATH")
	}
	// Each engine added is preferred to those before it.
	for _, name := range []string{"nerdctl", "docker", "podman"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if got, err := findEngine(""); got.path != name || got.name != name || err != nil {
			t.Errorf("with %s added to PATH: findEngine() = %+v, %v; want %q", name, got, err, name)
		}
	}
	if got, _ := findEngine("/opt/bin/docker"); got.path != "/opt/bin/docker" || got.name != "docker" {
		t.Errorf("findEngine(/opt/bin/docker) = %+v, want that path as docker", got)
	}
}
