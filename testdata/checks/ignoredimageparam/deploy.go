// Package ignoredimageparam holds ignored-image-param cases: a deploy
// function receives the image and deploys a literal anyway.
package ignoredimageparam

import (
	"context"
	"fmt"
	"io"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func applyDeployment(ctx context.Context, kubeconfigPath string, d *appsv1.Deployment) error {
	_ = ctx
	fmt.Printf("kubectl --kubeconfig %s apply %s\n", kubeconfigPath, d.Name)
	return nil
}

func kubectlApply(kubeconfigPath, manifest string) error {
	fmt.Printf("kubectl --kubeconfig %s apply -f - <<EOF\n%s\nEOF\n", kubeconfigPath, manifest)
	return nil
}

// The image is logged, then the old literal is deployed.
func deployDataStorageService(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error { // want `deployDataStorageService receives image parameter imageName but deploys "localhost/kubernaut-datastorage:e2e-test-datastorage"; use imageName \[ignored-image-param\]`
	fmt.Fprintf(writer, "   Using image: %s\n", imageName)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "datastorage", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Template: corev1.PodTemplateSpec{
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:            "datastorage",
						Image:           "localhost/kubernaut-datastorage:e2e-test-datastorage",
						ImagePullPolicy: corev1.PullNever,
					}},
				},
			},
		},
	}
	return applyDeployment(ctx, kubeconfigPath, d)
}

// The parameter is trimmed, but the manifest keeps its literal.
func deployGatewayManifest(kubeconfigPath, gatewayImage string) error { // want `deployGatewayManifest receives image parameter gatewayImage but deploys "localhost/kubernaut-gateway:e2e"`
	name := strings.TrimPrefix(gatewayImage, "localhost/")
	manifest := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
  annotations:
    built-from: %s
spec:
  template:
    spec:
      containers:
      - name: gateway
        image: localhost/kubernaut-gateway:e2e
`, name)
	return kubectlApply(kubeconfigPath, manifest)
}

// Negatives.

func deployUsesParam(ctx context.Context, namespace, kubeconfigPath, imageName string) error {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "datastorage", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{
				{Name: "datastorage", Image: imageName, ImagePullPolicy: corev1.PullNever},
				{Name: "postgres", Image: "postgres:16-alpine"}, // a sidecar, not the ignored image
			},
		}}},
	}
	return applyDeployment(ctx, kubeconfigPath, d)
}

func deployThroughTemplate(kubeconfigPath, image string) error {
	return kubectlApply(kubeconfigPath, fmt.Sprintf("spec:\n  containers:\n  - name: hapi\n    image: %s\n", image))
}

type serviceSpec struct {
	name  string
	image string
}

func deployThroughStruct(ctx context.Context, kubeconfigPath, imageName string) error {
	spec := serviceSpec{name: "notification", image: imageName}
	d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: spec.name, Image: spec.image}},
	}}}}
	return applyDeployment(ctx, kubeconfigPath, d)
}

// The only literal is a third-party image: the parameter is not ignored in
// favour of a local build.
func deployRedis(kubeconfigPath, redisImage string) error {
	_ = redisImage
	return kubectlApply(kubeconfigPath, "spec:\n  containers:\n  - name: redis\n    image: quay.io/jordigilh/redis:7\n")
}
