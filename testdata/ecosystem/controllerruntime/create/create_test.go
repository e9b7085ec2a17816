// Package create builds the image named by -image with make, loads it with the
// kind CLI and creates a Deployment of it with a controller-runtime client.
// Correct: nothing here may be reported.
package create

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

var (
	image   = flag.String("image", "localhost/operator:e2e", "operator image the suite builds and loads")
	cluster = flag.String("kind-cluster", "kind", "kind cluster to load the image into")
)

func TestMain(m *testing.M) {
	flag.Parse()
	if err := run("make", "docker-build", "IMG="+*image); err != nil {
		panic(err)
	}
	if err := run("kind", "load", "docker-image", *image, "--name", *cluster); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

func TestOperator(t *testing.T) {
	ctx := context.Background()
	c, err := client.New(config.GetConfigOrDie(), client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dep := operatorDeployment("operator-system", *image)
	if err := c.Create(ctx, dep); err != nil {
		t.Fatal(err)
	}

	// Scale through CreateOrUpdate, keeping the image the suite loaded.
	_, err = controllerutil.CreateOrUpdate(ctx, c, dep, func() error {
		replicas := int32(2)
		dep.Spec.Replicas = &replicas
		dep.Spec.Template.Spec.Containers[0].Image = *image
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func operatorDeployment(namespace, image string) *appsv1.Deployment {
	labels := map[string]string{"app": "operator"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "operator", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:            "manager",
						Image:           image,
						ImagePullPolicy: corev1.PullNever,
					}},
				},
			},
		},
	}
}
