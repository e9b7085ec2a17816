// Package ignoredimageparam holds ignored-image-param cases: a deploy
// function receives the image and deploys a literal anyway. A parameter is
// an image parameter because of what flows into it (SetupSuite passes each
// one a built image) or out of it (it is loaded), never because of its name.
package ignoredimageparam

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"imagetaglint.test/e2e/kit"
)

// buildAndLoad builds and loads a fresh image and returns it: a producer by
// what it does.
func buildAndLoad(name string, w io.Writer) (string, error) {
	image := fmt.Sprintf("localhost/kubernaut/%s:e2e-%d", name, time.Now().Unix())
	if err := kit.Build(image, w); err != nil {
		return "", err
	}
	if err := kit.Load("e2e", image, w); err != nil {
		return "", err
	}
	return image, nil
}

func applyDeployment(ctx context.Context, kubeconfigPath string, d *appsv1.Deployment) error {
	fmt.Printf("kubectl --kubeconfig %s apply %s\n", kubeconfigPath, d.Name)
	return kit.Apply(ctx, d)
}

func kubectlApply(kubeconfigPath, manifest string) error {
	cmd := exec.Command("kubectl", "--kubeconfig", kubeconfigPath, "apply", "-f", "-")
	cmd.Stdin = strings.NewReader(manifest)
	return cmd.Run()
}

// SetupSuite hands every deploy function below the image it built.
func SetupSuite(ctx context.Context, kubeconfigPath string, w io.Writer) error { // want SetupSuite:"p1:escape deploy\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploy\\(\"localhost/kubernaut-gateway:e2e\"\\) deploy\\(\"localhost/w:e2e\"\\) deploy\\(\"ghcr\\.io/kubernaut/worker:v1\\.2\\.0\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"localhost/kubernaut-fixtures:e2e\"\\) deploy\\(\"localhost/kubernaut-private:e2e\"\\) deploys$"
	ds, err := buildAndLoad("datastorage", w)
	if err != nil {
		return err
	}
	gw, err := buildAndLoad("gateway", w)
	if err != nil {
		return err
	}
	return firstErr(
		deployDataStorageService(ctx, "ds-e2e", kubeconfigPath, ds, w),
		deployGatewayManifest(kubeconfigPath, gw),
		deployWorkerThroughHelper(ctx, ds, w),
		deployLabelled(ctx, ds),
		deployUsesParam(ctx, "ds-e2e", kubeconfigPath, ds),
		deployThroughTemplate(kubeconfigPath, ds),
		deployThroughStruct(ctx, kubeconfigPath, ds),
		deployRedis(kubeconfigPath, "quay.io/jordigilh/redis:7"),
		deployFixtures(ctx, "testdata/images"),
		deployWithPullSecret(ctx, ImagePullSecretConfig{Name: "regcred"}),
	)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
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

// The parameter is trimmed into an annotation, but the manifest keeps its
// literal.
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

// Through one more helper: the parameter is logged, a literal goes on.
func deployWorkerThroughHelper(ctx context.Context, image string, w io.Writer) error { // want `deployWorkerThroughHelper receives image parameter image but deploys "localhost/w:e2e"`
	fmt.Fprintf(w, "worker built as %s\n", image)
	return kit.Deploy(ctx, "worker-e2e", "worker", "localhost/w:e2e")
}

// Any registry: the parameter only names a label, a registry image runs.
func deployLabelled(ctx context.Context, image string) error { // want `deployLabelled receives image parameter image but deploys "ghcr.io/kubernaut/worker:v1.2.0"`
	labels := map[string]string{"built-image": strings.ReplaceAll(image, ":", "_")}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "worker", Labels: labels},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "worker", Image: "ghcr.io/kubernaut/worker:v1.2.0"}},
		}}},
	}
	return applyDeployment(ctx, "", d)
}

// Loaded, which makes it an image parameter without any caller, and not
// deployed.
func loadThenDeployLiteral(ctx context.Context, cluster, image string, w io.Writer) error { // want `loadThenDeployLiteral receives image parameter image but deploys "localhost/kubernaut-notification:e2e"`
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "notification-e2e", "notification", "localhost/kubernaut-notification:e2e")
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

// Its callers pass the very image it deploys.
func deployRedis(kubeconfigPath, redisImage string) error {
	fmt.Printf("redis: %s\n", redisImage)
	return kubectlApply(kubeconfigPath, "spec:\n  containers:\n  - name: redis\n    image: quay.io/jordigilh/redis:7\n")
}

// imgDir names a directory of fixtures, not an image: only the literal is
// wrong here.
func deployFixtures(ctx context.Context, imgDir string) error {
	fmt.Printf("fixtures from %s\n", imgDir)
	c := corev1.Container{Name: "fixtures", Image: "localhost/kubernaut-fixtures:e2e"} // want `hardcoded image "localhost/kubernaut-fixtures:e2e" in container spec`
	return kit.Apply(ctx, c)
}

// ImagePullSecretConfig names a pull secret; its type's name says "Image",
// its values are no image.
type ImagePullSecretConfig struct{ Name string }

func deployWithPullSecret(ctx context.Context, secret ImagePullSecretConfig) error {
	c := corev1.Container{Name: "private", Image: "localhost/kubernaut-private:e2e"} // want `hardcoded image "localhost/kubernaut-private:e2e" in container spec`
	fmt.Printf("pull secret %s\n", secret.Name)
	return kit.Apply(ctx, c)
}
