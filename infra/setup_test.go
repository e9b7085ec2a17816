package infra

import (
	"errors"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/imagetaglint/imagetaglint/infra/infratest"
)

func setupOptions(r Runner, client *fake.Clientset, consumer string) SetupOptions {
	return SetupOptions{
		Builder:   Builder{Consumer: consumer, Cluster: "gateway-e2e", Engine: "podman", Runner: r},
		Namespace: consumer + "-e2e",
		Client:    client,
		Apps: []App{
			{Service: Service{Name: "datastorage", Port: 8080}, Source: Source{ContextDir: "datastorage"}},
			{Service: Service{Name: consumer, Port: 8080}, Source: Source{ContextDir: consumer}},
		},
	}
}

// TestSetup checks the whole flow: each image's reference is the one its
// build tagged, its save wrote, its kind load imported and each node was
// asked for, and the same one its Deployment runs.
func TestSetup(t *testing.T) {
	ctx := t.Context()
	rec := newRecorder()
	client := fake.NewClientset()
	if err := Setup(ctx, setupOptions(rec, client, "gateway")); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CoreV1().Namespaces().Get(ctx, "gateway-e2e", metav1.GetOptions{}); err != nil {
		t.Errorf("namespace: %v", err)
	}
	// kind get nodes, then per image build, save, load and two checks.
	if len(rec.Commands()) != 11 {
		t.Fatalf("ran %d commands, want 11: %q", len(rec.Commands()), rec.Commands())
	}
	var refs []string
	for i, deployment := range []string{"datastorage", "gateway"} {
		cmds := rec.Commands()[1+5*i : 1+5*(i+1)]
		build, save, load := cmds[0], cmds[1], cmds[2]
		ref := build[3]
		checkGrammar(t, ref)
		if build[1] != "build" || build[len(build)-1] != deployment ||
			!slices.Equal(save, []string{"podman", "save", "-o", save[3], ref}) ||
			!slices.Equal(load, []string{"kind", "load", "image-archive", save[3], "--name", "gateway-e2e"}) {
			t.Errorf("%s: build, save and load disagree:\n%q\n%q\n%q", deployment, build, save, load)
		}
		for _, check := range cmds[3:] {
			if check[1] != "exec" || check[len(check)-1] != ref {
				t.Errorf("%s: check %q is not of %s", deployment, check, ref)
			}
		}
		checkDeployed(t, client, "gateway-e2e", deployment, ref)
		refs = append(refs, ref)
	}
	if refs[0] == refs[1] {
		t.Errorf("the two apps share %s", refs[0])
	}

	// A second suite in parallel gets its own datastorage image.
	rec2 := newRecorder()
	if err := Setup(ctx, setupOptions(rec2, fake.NewClientset(), "signalprocessing")); err != nil {
		t.Fatal(err)
	}
	if ref := rec2.Commands()[1][3]; ref == refs[0] {
		t.Errorf("two suites share datastorage image %s", ref)
	}
}

// TestSetupDeploysNothingUntilEveryImageIsThere fails the second image's
// save, or a node's check of the first image: no API call may follow.
func TestSetupDeploysNothingUntilEveryImageIsThere(t *testing.T) {
	for name, mutate := range map[string]func(*infratest.Recorder){
		"save fails":    func(r *infratest.Recorder) { r.FailAt = 8 },
		"node lacks it": func(r *infratest.Recorder) { r.Lacking = "gateway-e2e-worker" },
	} {
		rec := newRecorder()
		mutate(rec)
		client := fake.NewClientset()
		err := Setup(t.Context(), setupOptions(rec, client, "gateway"))
		if !errors.As(err, new(*StepError)) {
			t.Errorf("%s: err = %v, want a *StepError", name, err)
		}
		if len(client.Actions()) != 0 {
			t.Errorf("%s: %d API actions after the failure, want none", name, len(client.Actions()))
		}
	}
}

func TestSetupOptionErrors(t *testing.T) {
	for name, mutate := range map[string]func(*SetupOptions){
		"no client":    func(o *SetupOptions) { o.Client = nil },
		"no namespace": func(o *SetupOptions) { o.Namespace = "" },
		"no cluster":   func(o *SetupOptions) { o.Cluster = "" },
	} {
		rec := newRecorder()
		opts := setupOptions(rec, fake.NewClientset(), "gateway")
		mutate(&opts)
		if err := Setup(t.Context(), opts); err == nil || len(rec.Commands()) != 0 {
			t.Errorf("%s: err = %v after %d commands, want an error before any", name, err, len(rec.Commands()))
		}
	}
}
