// Package namespace creates objects that run no image (a labelled
// Namespace, a ConfigMap) beside an image the suite loads: they are not
// deploys, so a flow that only creates them deploys nothing, and a flow
// that also deploys another image is reported for that one alone.
package namespace

import (
	"context"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

const image = "localhost/app:e2e"

// preload loads the image for a later suite and prepares its namespace:
// nothing here deploys, so nothing is undeployed.
func preload(ctx context.Context, c client.Client) error {
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "app", Labels: map[string]string{"team": "e2e"}}}
	if err := c.Create(ctx, ns); err != nil {
		return err
	}
	return c.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "app"}, Data: map[string]string{"mode": "e2e"}})
}

// deployOther loads a local image, but the Deployment runs a registry one.
func deployOther(ctx context.Context, c client.Client) error {
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "localhost/worker:e2e").Run(); err != nil { // want `"localhost/worker:e2e" is loaded here but never deployed, while this flow deploys "ghcr.io/acme/app:1.4.0"`
		return err
	}
	if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "worker"}}); err != nil {
		return err
	}
	return c.Create(ctx, &appsv1.Deployment{
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: "ghcr.io/acme/app:1.4.0"}},
		}}},
	})
}

// preloadPublic loads public images for the workloads a later step
// installs: not the project's images, so not reported, while the local
// one is.
func preloadPublic(ctx context.Context, c client.Client) error {
	for _, ref := range []string{"rancher/k3s:v1.29.6-k3s1", "busybox:1.36"} {
		if err := exec.CommandContext(ctx, "kind", "load", "docker-image", ref).Run(); err != nil {
			return err
		}
	}
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "rancher/k3s:v1.29.6-k3s1").Run(); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "worker:e2e").Run(); err != nil { // want `"worker:e2e" is loaded here but never deployed`
		return err
	}
	return c.Create(ctx, &appsv1.Deployment{
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: "ghcr.io/acme/app:1.4.0"}},
		}}},
	})
}

func TestPreloadPublic(t *testing.T) {
	var c client.Client
	if err := preloadPublic(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func TestPreload(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	if err := preload(ctx, c); err != nil {
		t.Fatal(err)
	}
	// The helper deploys the registry's app, not the local one preloaded.
	if err := deployOther(ctx, c); err != nil { // want `deployOther deploys "ghcr.io/acme/app:1.4.0" \(Create at namespace_test.go:41\), not the image built and loaded here \("localhost/app:e2e"\)`
		t.Fatal(err)
	}
}
