// Package kit holds realistic build, load and deploy helpers that the check
// packages call, so that their flows are recognised the way real code is:
// by what the helpers do (their summaries, carried as facts), not by their
// names. It is not a package under test: its own facts and findings are not
// expectations.
package kit

import (
	"context"
	"io"
	"os/exec"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Build builds image from the Containerfile in the working directory.
func Build(image string, w io.Writer) error {
	cmd := exec.Command("podman", "build", "-t", image, "-f", "Containerfile", ".")
	cmd.Stdout, cmd.Stderr = w, w
	return cmd.Run()
}

// Load loads image into the Kind cluster.
func Load(cluster, image string, w io.Writer) error {
	cmd := exec.Command("kind", "load", "docker-image", image, "--name", cluster)
	cmd.Stdout, cmd.Stderr = w, w
	return cmd.Run()
}

// Deploy runs image as the single container of a Deployment named name.
func Deploy(ctx context.Context, namespace, name, image string) error {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: name, Image: image, ImagePullPolicy: corev1.PullNever}},
		}}},
	}
	return Apply(ctx, d)
}

// Apply applies objects with kubectl.
func Apply(ctx context.Context, objects ...any) error {
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "-").Run()
}
