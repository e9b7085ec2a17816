package infra

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestDeployRejectsZeroImage(t *testing.T) {
	client := fake.NewClientset()
	err := DeployService(t.Context(), client, "e2e", Service{Name: "datastorage"}, Image{})
	if err == nil || !strings.Contains(err.Error(), "zero Image") {
		t.Fatalf("deploying the zero Image: err = %v", err)
	}
	if len(client.Actions()) != 0 {
		t.Errorf("zero Image reached the API: %v", client.Actions())
	}
}

// TestDeployUpdatesToTheNewImage reruns a deploy against a kept cluster:
// the Deployment must move to the newly built image, not keep the old one.
func TestDeployUpdatesToTheNewImage(t *testing.T) {
	ctx := t.Context()
	client := fake.NewClientset()
	svc := Service{Name: "gateway", Port: 8080, Env: []corev1.EnvVar{{Name: "MODE", Value: "e2e"}}, Args: []string{"-v"}}
	for range 2 {
		img, err := BuildAndLoadImageToKind(ctx, testConfig(newRecorder()), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := DeployService(ctx, client, "e2e", svc, img); err != nil {
			t.Fatal(err)
		}
		checkDeployed(t, client, "e2e", svc.Name, img.String())
	}
	d, err := client.AppsV1().Deployments("e2e").Get(ctx, svc.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Spec.Template.Spec.Containers[0]
	if c.Name != svc.Name || !slices.Equal(c.Args, svc.Args) || len(c.Env) != 1 || len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("container %+v does not carry the Service's name, args, env and port", c)
	}
	if got := d.Spec.Selector.MatchLabels["app"]; got != svc.Name || d.Spec.Template.Labels["app"] != got {
		t.Errorf("selector app=%q does not select the template's labels %v", got, d.Spec.Template.Labels)
	}
}
