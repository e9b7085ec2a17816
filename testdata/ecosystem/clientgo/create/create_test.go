// Package create builds the image named by E2E_IMAGE, loads it with the kind
// CLI (arguments in a slice, as kubebuilder's scaffold does) and creates a Pod
// and a Deployment of it with client-go's typed clients.
// Correct: nothing here may be reported.
package create

import (
	"context"
	"os"
	"os/exec"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsv1apply "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1apply "k8s.io/client-go/applyconfigurations/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

const namespace = "default"

func TestWorkloads(t *testing.T) {
	image := os.Getenv("E2E_IMAGE")
	if image == "" {
		t.Skip("E2E_IMAGE is not set")
	}
	if err := exec.Command("docker", "build", "-t", image, "../../app").Run(); err != nil {
		t.Fatal(err)
	}
	kindArgs := []string{"load", "docker-image", image, "--name", "kind"}
	if err := exec.Command("kind", kindArgs...).Run(); err != nil {
		t.Fatal(err)
	}

	restConfig, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		t.Fatal(err)
	}
	clientset, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "app"},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: image, ImagePullPolicy: corev1.PullNever}},
		},
	}
	if _, err := clientset.CoreV1().Pods(namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	labels := map[string]string{"app": "app"}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "app"},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       pod.Spec,
			},
		},
	}
	deployments := clientset.AppsV1().Deployments(namespace)
	if _, err := deployments.Create(ctx, dep, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// Server-side apply of the same image, as a field manager would.
	apply := appsv1apply.Deployment("app", namespace).
		WithSpec(appsv1apply.DeploymentSpec().
			WithTemplate(corev1apply.PodTemplateSpec().
				WithSpec(corev1apply.PodSpec().
					WithContainers(corev1apply.Container().WithName("app").WithImage(image)))))
	if _, err := deployments.Apply(ctx, apply, metav1.ApplyOptions{FieldManager: "e2e"}); err != nil {
		t.Fatal(err)
	}
}
