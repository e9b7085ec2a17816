// Package receiver keeps its image in a suite struct whose methods build,
// load and deploy it: correct, nothing may be reported.
package receiver

import (
	"context"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

type suite struct {
	image string
	c     client.Client
}

func (s *suite) build(ctx context.Context) error {
	return exec.CommandContext(ctx, "docker", "build", "-t", s.image, ".").Run()
}

func (s *suite) deploy(ctx context.Context) error {
	return s.c.Create(ctx, &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "app", Image: s.image}},
	}}}})
}

func TestSuite(t *testing.T) {
	ctx := context.Background()
	s := &suite{image: "localhost/app:e2e"}
	if err := s.build(ctx); err != nil {
		t.Fatal(err)
	}
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", s.image).Run(); err != nil {
		t.Fatal(err)
	}
	if err := s.deploy(ctx); err != nil {
		t.Fatal(err)
	}
}
