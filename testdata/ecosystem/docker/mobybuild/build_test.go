// Package mobybuild builds an image with the Docker SDK (github.com/moby/moby/client,
// the successor of github.com/docker/docker/client), loads that tag with
// e2e-framework's kind cluster and creates a Pod of it with klient resources.
// Correct: nothing here may be reported.
package mobybuild

import (
	"context"
	"io"
	"testing"

	"github.com/moby/moby/client"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"
	"sigs.k8s.io/e2e-framework/support/kind"

	"imagetaglint.test/ecosystem/docker"
)

const image = "localhost/app:moby"

func TestBuildLoadRun(t *testing.T) {
	ctx := context.Background()
	cli, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	buildCtx, err := docker.BuildContext("../../app")
	if err != nil {
		t.Fatal(err)
	}
	res, err := cli.ImageBuild(ctx, buildCtx, client.ImageBuildOptions{Tags: []string{image}, Remove: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()

	cluster := kind.NewCluster("moby")
	if _, err := cluster.Create(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Destroy(context.Background()) })
	if err := cluster.LoadImage(ctx, image); err != nil {
		t.Fatal(err)
	}

	r, err := resources.New(cluster.KubernetesRestConfig())
	if err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "default"},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: image, ImagePullPolicy: corev1.PullNever}},
		},
	}
	if err := r.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
}
