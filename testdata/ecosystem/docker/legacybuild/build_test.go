// Package legacybuild builds an image with github.com/docker/docker/client
// (v28, the last release before the client moved to github.com/moby/moby/client),
// saves it to an archive with ImageSave, loads the archive with
// `kind load image-archive` and creates a Deployment of it through klient.
// Correct: nothing here may be reported.
package legacybuild

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"
	"sigs.k8s.io/e2e-framework/pkg/envconf"

	"imagetaglint.test/ecosystem/docker"
)

const (
	image   = "localhost/app:legacy"
	cluster = "legacy"
)

func TestBuildSaveLoad(t *testing.T) {
	ctx := context.Background()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	buildCtx, err := docker.BuildContext("../../app")
	if err != nil {
		t.Fatal(err)
	}
	res, err := cli.ImageBuild(ctx, buildCtx, build.ImageBuildOptions{Tags: []string{image}, Remove: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()

	archive := filepath.Join(t.TempDir(), "app.tar")
	if err := save(ctx, cli, archive, image); err != nil {
		t.Fatal(err)
	}
	if err := exec.CommandContext(ctx, "kind", "load", "image-archive", archive, "--name", cluster).Run(); err != nil {
		t.Fatal(err)
	}

	cfg, err := envconf.NewFromFlags()
	if err != nil {
		t.Fatal(err)
	}
	r, err := resources.New(cfg.Client().RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "app"}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: "app", Image: image, ImagePullPolicy: corev1.PullNever}},
				},
			},
		},
	}
	if err := r.Create(ctx, dep); err != nil {
		t.Fatal(err)
	}
}

// save writes the images refs to the tar archive path.
func save(ctx context.Context, cli *client.Client, path string, refs ...string) error {
	rc, err := cli.ImageSave(ctx, refs)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rc); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
