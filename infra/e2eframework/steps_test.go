package e2eframework_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"

	"github.com/imagetaglint/imagetaglint/infra"
	"github.com/imagetaglint/imagetaglint/infra/e2eframework"
)

// TestSetupPassesImagesToFeatures checks the Setup of TestMain from inside
// a feature: each image in the context is the one built, loaded and found
// in both nodes, and the one its Deployment runs.
func TestSetupPassesImagesToFeatures(t *testing.T) {
	feature := features.New("images from Setup").
		Assess("each image was built, loaded, verified and deployed", func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			commands := suiteRunner.CommandLines()
			for _, want := range suiteImages {
				img, ok := e2eframework.ImageFrom(ctx, want.spec.Name)
				if !ok {
					t.Fatalf("no image %q in the feature's context", want.spec.Name)
				}
				ref := img.String()
				if !strings.HasPrefix(ref, "localhost/"+want.spec.Name+":gateway-") {
					t.Errorf("image %s is not named after %s and the consumer", ref, want.spec.Name)
				}
				for _, cmd := range []string{
					"podman build -t " + ref + " ",
					"podman save -o ",
					"podman exec gateway-e2e-control-plane crictl inspecti " + ref,
					"podman exec gateway-e2e-worker crictl inspecti " + ref,
				} {
					if !slices.ContainsFunc(commands, func(c string) bool { return strings.HasPrefix(c, cmd) }) {
						t.Errorf("no command %q… in:\n%s", cmd, strings.Join(commands, "\n"))
					}
				}
				// Once after the load, once in the Verify step.
				if n := count(commands, "podman exec gateway-e2e-worker crictl inspecti "+ref); n != 2 {
					t.Errorf("the worker was asked for %s %d times, want 2", ref, n)
				}
				checkDeployed(t, suiteClient, cfg.Namespace(), want.svc.Name, ref)
				if !strings.Contains(suiteProgress.String(), "phase 1: built "+ref+" in ") {
					t.Errorf("progress does not say how long %s took to build:\n%s", ref, suiteProgress.String())
				}
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, feature)
}

func count(lines []string, line string) int {
	n := 0
	for _, l := range lines {
		if l == line {
			n++
		}
	}
	return n
}

// checkDeployed fails unless the Deployment runs exactly ref, never pulled.
func checkDeployed(t *testing.T, client *fake.Clientset, namespace, name, ref string) {
	t.Helper()
	d, err := client.AppsV1().Deployments(namespace).Get(t.Context(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Spec.Template.Spec.Containers; len(c) != 1 || c[0].Image != ref || c[0].ImagePullPolicy != corev1.PullNever {
		t.Errorf("%s runs %+v, want one container running %s, never pulled", name, c, ref)
	}
}

// setup runs funcs as env.Environment.Setup does: in order, each given the
// context the previous one returned, stopping at the first error.
func setup(ctx context.Context, cfg *envconf.Config, funcs ...env.Func) (context.Context, error) {
	for _, f := range funcs {
		var err error
		if ctx, err = f(ctx, cfg); err != nil {
			return ctx, err
		}
	}
	return ctx, nil
}

var datastorage = infra.ImageSpec{Name: "datastorage", Source: infra.Source{ContextDir: "datastorage"}}

// TestMissingImageStopsBeforeDeploy: a node without the image fails the
// Verify step with the reference and node, and nothing is deployed.
func TestMissingImageStopsBeforeDeploy(t *testing.T) {
	client := fake.NewClientset()
	ctx, err := setup(t.Context(), envconf.New().WithNamespace("e2e"), newSteps(newCluster(), client).BuildAndLoad(datastorage))
	if err != nil {
		t.Fatal(err)
	}
	img, _ := e2eframework.ImageFrom(ctx, "datastorage")

	lacking := newCluster()
	lacking.Lacking = "gateway-e2e-worker"
	steps := newSteps(lacking, client)
	_, err = setup(ctx, envconf.New().WithNamespace("e2e"), steps.Verify("datastorage"), steps.Deploy("datastorage", infra.Service{Name: "datastorage"}))
	var missing *infra.MissingImageError
	if !errors.As(err, &missing) || missing.Image != img || missing.Node != "gateway-e2e-worker" {
		t.Fatalf("err = %v, want a *MissingImageError for %s in gateway-e2e-worker", err, img)
	}
	if !strings.Contains(err.Error(), img.String()) || !strings.Contains(err.Error(), "gateway-e2e-worker") {
		t.Errorf("error %q does not name the reference and the node", err)
	}
	if len(client.Actions()) != 0 {
		t.Errorf("%d API actions after the failed check, want none", len(client.Actions()))
	}
}

// TestStepsNeedTheirImage: Verify and Deploy of an image no step built
// fail with its name and run nothing.
func TestStepsNeedTheirImage(t *testing.T) {
	rec := newCluster()
	client := fake.NewClientset()
	steps := newSteps(rec, client)
	for name, f := range map[string]env.Func{
		"verify": steps.Verify("gateway"),
		"deploy": steps.Deploy("gateway", infra.Service{Name: "gateway"}),
	} {
		_, err := setup(t.Context(), envconf.New().WithNamespace("e2e"), f)
		if err == nil || !strings.Contains(err.Error(), `no image "gateway"`) {
			t.Errorf("%s: err = %v, want one naming the image", name, err)
		}
	}
	if len(rec.Commands()) != 0 || len(client.Actions()) != 0 {
		t.Errorf("ran %q and %d API actions, want none", rec.Commands(), len(client.Actions()))
	}
}

func TestDeployErrors(t *testing.T) {
	ctx, err := setup(t.Context(), envconf.New(), newSteps(newCluster(), nil).BuildAndLoad(datastorage))
	if err != nil {
		t.Fatal(err)
	}
	svc := infra.Service{Name: "datastorage"}

	client := fake.NewClientset()
	_, err = newSteps(newCluster(), client).Deploy("datastorage", svc)(ctx, envconf.New())
	if err == nil || !strings.Contains(err.Error(), "no namespace") || len(client.Actions()) != 0 {
		t.Errorf("without a namespace: err = %v after %d API actions, want an error before any", err, len(client.Actions()))
	}

	// Without a Clientset, Deploy makes a client from the kubeconfig.
	cfg := envconf.NewWithKubeConfig("/nonexistent/kubeconfig").WithNamespace("e2e")
	_, err = e2eframework.Steps{}.Deploy("datastorage", svc)(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/kubeconfig") {
		t.Errorf("with a missing kubeconfig: err = %v, want one naming it", err)
	}
}

// TestBuildAndLoadCancelled: the environment's context bounds the
// commands; a cancelled build stores no image.
func TestBuildAndLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rec := newCluster()
	rec.OnRun = func(n int) {
		if n == 2 { // the build
			cancel()
		}
	}
	ctx, err := setup(ctx, envconf.New(), newSteps(rec, nil).BuildAndLoad(datastorage))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want one wrapping context.Canceled", err)
	}
	if img, ok := e2eframework.ImageFrom(ctx, "datastorage"); ok {
		t.Errorf("a cancelled build stored %s", img)
	}
	if len(rec.Commands()) != 2 {
		t.Errorf("ran %q, want nothing after the build", rec.Commands())
	}
}
