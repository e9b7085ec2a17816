package infra

import (
	"errors"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func setupOptions(r Runner, client *fake.Clientset, consumer string) SetupOptions {
	return SetupOptions{
		Consumer:      consumer,
		ClusterName:   consumer + "-e2e",
		Namespace:     consumer + "-e2e",
		Client:        client,
		Engine:        "podman",
		Runner:        r,
		DataStorage:   Source{ContextDir: "datastorage"},
		Service:       Service{Name: consumer, Port: 8080},
		ServiceSource: Source{ContextDir: consumer},
	}
}

// TestSetupServiceE2E checks the whole flow: each image's reference is the
// one its build tagged, its save wrote and its kind load imported, and the
// same one its Deployment runs.
func TestSetupServiceE2E(t *testing.T) {
	ctx := t.Context()
	rec := newRecorder()
	client := fake.NewClientset()
	if err := SetupServiceE2E(ctx, setupOptions(rec, client, "gateway"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CoreV1().Namespaces().Get(ctx, "gateway-e2e", metav1.GetOptions{}); err != nil {
		t.Errorf("namespace: %v", err)
	}
	if len(rec.commands) != 6 {
		t.Fatalf("ran %d commands, want build, save and load for two images: %q", len(rec.commands), rec.commands)
	}
	var refs []string
	for i, deployment := range []string{"datastorage", "gateway"} {
		build, save, load := rec.commands[3*i], rec.commands[3*i+1], rec.commands[3*i+2]
		ref := build[3]
		checkGrammar(t, ref)
		if build[1] != "build" || build[len(build)-1] != deployment ||
			!slices.Equal(save, []string{"podman", "save", "-o", save[3], ref}) ||
			!slices.Equal(load, []string{"kind", "load", "image-archive", save[3], "--name", "gateway-e2e"}) {
			t.Errorf("%s: build, save and load disagree:\n%q\n%q\n%q", deployment, build, save, load)
		}
		checkDeployed(t, client, "gateway-e2e", deployment, ref)
		refs = append(refs, ref)
	}
	if refs[0] == refs[1] {
		t.Errorf("DataStorage and the service share %s", refs[0])
	}

	// A second suite in parallel gets its own DataStorage image.
	other := fake.NewClientset()
	rec2 := newRecorder()
	if err := SetupServiceE2E(ctx, setupOptions(rec2, other, "signalprocessing"), nil); err != nil {
		t.Fatal(err)
	}
	if ref := rec2.commands[0][3]; ref == refs[0] {
		t.Errorf("two suites share DataStorage image %s", ref)
	}
}

func TestSetupServiceE2EStopsAtTheFirstFailure(t *testing.T) {
	rec := newRecorder()
	rec.failAt = 4 // the service's save
	client := fake.NewClientset()
	err := SetupServiceE2E(t.Context(), setupOptions(rec, client, "gateway"), nil)
	var se *StepError
	if !errors.As(err, &se) || se.Step != "save" {
		t.Fatalf("err = %v, want the save StepError", err)
	}
	if len(rec.commands) != 5 || len(client.Actions()) != 0 {
		t.Errorf("after the failure: %d commands, %d API actions; want 5 and none", len(rec.commands), len(client.Actions()))
	}
}
