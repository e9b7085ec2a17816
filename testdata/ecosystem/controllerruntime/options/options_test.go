// Package options passes the image to its deploy helper inside an options
// struct, the way suites with config structs do.
package options

import (
	"context"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Options configures a deploy.
type Options struct {
	Namespace string
	Image     string
}

func deployWith(ctx context.Context, c client.Client, o Options) error {
	return c.Create(ctx, &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "app", Image: o.Image}},
	}}}})
}

func buildAndLoad(ctx context.Context, ref string) error {
	if err := exec.CommandContext(ctx, "docker", "build", "-t", ref, ".").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kind", "load", "docker-image", ref).Run()
}

// TestConsistent deploys the built image through the options: correct.
func TestConsistent(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	const image = "localhost/app:e2e"
	if err := buildAndLoad(ctx, image); err != nil {
		t.Fatal(err)
	}
	if err := deployWith(ctx, c, Options{Namespace: "app", Image: image}); err != nil {
		t.Fatal(err)
	}
}

// TestMismatch builds one tag and hands the helper another.
func TestMismatch(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	if err := buildAndLoad(ctx, "localhost/app:e2e"); err != nil {
		t.Fatal(err)
	}
	if err := deployWith(ctx, c, Options{Namespace: "app", Image: "localhost/app:v1"}); err != nil { // want `deployed image "localhost/app:v1" is not the image built and loaded here \("localhost/app:e2e"\)`
		t.Fatal(err)
	}
}

func deployPtr(ctx context.Context, c client.Client, o *Options) error {
	return deployWith(ctx, c, *o)
}

// deployOwn takes options but deploys through a pointer to its own copy.
func deployOwn(ctx context.Context, c client.Client, o *Options) error {
	return c.Create(ctx, &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "app", Image: (*o).Image}},
	}}}})
}

func defaults() Options {
	return Options{Namespace: "app", Image: "localhost/app:e2e"}
}

// TestOptionsVariable passes the options in a variable and through a
// pointer: the built image is deployed.
func TestOptionsVariable(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	const image = "localhost/app:e2e"
	if err := buildAndLoad(ctx, image); err != nil {
		t.Fatal(err)
	}
	o := Options{Namespace: "app", Image: image}
	if err := deployWith(ctx, c, o); err != nil {
		t.Fatal(err)
	}
	if err := deployOwn(ctx, c, &Options{Image: "localhost/app:v2"}); err != nil { // want `deployed image "localhost/app:v2" is not the image built and loaded here \("localhost/app:e2e"\)`
		t.Fatal(err)
	}
}

// TestOptionsFromElsewhere deploys options made by another function, or
// handed on through a pointer: they may hold the built image.
func TestOptionsFromElsewhere(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	if err := buildAndLoad(ctx, "localhost/app:e2e"); err != nil {
		t.Fatal(err)
	}
	if err := deployWith(ctx, c, defaults()); err != nil {
		t.Fatal(err)
	}
	o := defaults()
	if err := deployPtr(ctx, c, &o); err != nil {
		t.Fatal(err)
	}
}

// TestOptionsHandedOn gives the options to a helper that hands them on.
func TestOptionsHandedOn(t *testing.T) {
	ctx := context.Background()
	var c client.Client
	if err := buildAndLoad(ctx, "localhost/app:e2e"); err != nil {
		t.Fatal(err)
	}
	if err := deployPtr(ctx, c, &Options{Image: "localhost/app:e2e"}); err != nil {
		t.Fatal(err)
	}
	if err := deployPtr(ctx, c, &Options{Image: "localhost/app:v3"}); err != nil { // want `deployed image "localhost/app:v3" is not the image built and loaded here \("localhost/app:e2e"\)`
		t.Fatal(err)
	}
}
