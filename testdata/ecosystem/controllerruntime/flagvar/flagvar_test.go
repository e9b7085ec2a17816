// Package flagvar takes its image from a flag bound with flag.StringVar, the
// way many suites do: the flag's value is the project's image with an
// unknown tag.
package flagvar

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

var image string

func init() {
	flag.StringVar(&image, "image", "localhost/operator:e2e", "operator image the suite builds and loads")
}

func TestMain(m *testing.M) {
	flag.Parse()
	if err := exec.Command("make", "docker-build", "IMG="+image).Run(); err != nil {
		panic(err)
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func deployment(img string) *appsv1.Deployment {
	return &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "manager", Image: img}},
	}}}}
}

// TestDeploysFlag deploys the flag's image: correct.
func TestDeploysFlag(t *testing.T) {
	var c client.Client
	if err := c.Create(context.Background(), deployment(image)); err != nil {
		t.Fatal(err)
	}
}

// TestLoadsOneDeploysAnother loads the flag's image and deploys a fixed
// one of the same repository. The flag's default is only a default, so the
// literal is reported as hardcoded, not as another tag of the flag's image.
func TestLoadsOneDeploysAnother(t *testing.T) {
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		t.Fatal(err)
	}
	var c client.Client
	if err := c.Create(context.Background(), deployment("localhost/operator:v0.1.0")); err != nil { // want `hardcoded image "localhost/operator:v0.1.0" deployed by deployment`
		t.Fatal(err)
	}
}
