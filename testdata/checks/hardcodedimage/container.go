// Package hardcodedimage holds hardcoded-image cases in Go container specs
// and in manifests held in Go strings.
package hardcodedimage

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const registryImage = "localhost:5000/kubernaut/gateway:e2e"

func dataStorageDeployment(namespace string) *appsv1.Deployment {
	replicas := int32(1)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "datastorage", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Template: corev1.PodTemplateSpec{
				Spec: corev1.PodSpec{
					InitContainers: []corev1.Container{{
						Name:  "migrate",
						Image: "localhost/kubernaut-datastorage-migrate:e2e", // want `hardcoded image "localhost/kubernaut-datastorage-migrate:e2e" in container spec; deploy the reference your build step returns \[hardcoded-image\]`
					}},
					Containers: []corev1.Container{
						{
							Name:            "datastorage",
							Image:           "localhost/kubernaut-datastorage:e2e-test-datastorage", // want `hardcoded image "localhost/kubernaut-datastorage:e2e-test-datastorage" in container spec`
							ImagePullPolicy: corev1.PullNever,
						},
						{
							Name:  "postgres",
							Image: "postgres:16-alpine", // third-party: pulled, never flagged
						},
						{
							Name:  "redis",
							Image: "quay.io/jordigilh/redis:7",
						},
					},
				},
			},
		},
	}
}

func viaConstantAndVariable() []corev1.Container {
	image := "ko.local/kubernaut/notification:dev"
	return []corev1.Container{
		{Name: "gateway", Image: registryImage}, // want `hardcoded image "localhost:5000/kubernaut/gateway:e2e"`
		{Name: "notification", Image: image},    // want `hardcoded image "ko.local/kubernaut/notification:dev"`
	}
}

func pullNeverMeansLocal() corev1.Container {
	return corev1.Container{
		Name:            "holmesgpt",
		Image:           "kubernaut/holmesgpt-api:e2e", // want `hardcoded image "kubernaut/holmesgpt-api:e2e"`
		ImagePullPolicy: corev1.PullNever,
	}
}

func builtByThisPackage(writer io.Writer) error {
	cmd := exec.Command("podman", "build", "-t", "kubernaut-signalprocessing:e2e", "-f", "docker/signalprocessing.Dockerfile", ".")
	cmd.Stdout, cmd.Stderr = writer, writer
	return cmd.Run()
}

func deploysWhatThePackageBuilt() corev1.Container {
	return corev1.Container{Name: "sp", Image: "kubernaut-signalprocessing:e2e"} // want `hardcoded image "kubernaut-signalprocessing:e2e"`
}

func assignment(pod *corev1.PodSpec) {
	c := corev1.Container{Name: "debug"}
	c.Image = "kind.local/debug:e2e" // want `hardcoded image "kind.local/debug:e2e"`
	pod.Containers = append(pod.Containers, c)
}

func ephemeral() corev1.EphemeralContainer {
	return corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
		Name:  "debugger",
		Image: "localhost/kubernaut-debug:e2e", // want `hardcoded image "localhost/kubernaut-debug:e2e"`
	}}
}

// Negatives.

func fromParameter(imageName string) corev1.Container {
	return corev1.Container{Name: "datastorage", Image: imageName, ImagePullPolicy: corev1.PullNever}
}

func normalised(tag string) corev1.Container {
	return corev1.Container{Name: "datastorage", Image: fmt.Sprintf("localhost/datastorage:%s", tag)}
}

func fromEnvironment() corev1.Container {
	image := os.Getenv("DATASTORAGE_IMAGE")
	if image == "" {
		image = "localhost/kubernaut-datastorage:latest" // a fallback, assigned beside a run-time value
	}
	return corev1.Container{Name: "datastorage", Image: image}
}

// A parameter with a default: the caller's value usually wins.
func withDefault(image string) corev1.Container {
	if image == "" {
		image = "localhost/kubernaut-datastorage:e2e"
	}
	return corev1.Container{Name: "datastorage", Image: image}
}

type serviceConfig struct{ name, image string }

// Fields are tracked per field: the parameter's field is the caller's, not
// the constant set on another value of the same type.
func fieldOfParameter(in serviceConfig) []corev1.Container {
	fallback := serviceConfig{name: "fallback", image: "localhost/kubernaut-fallback:e2e"}
	_ = fallback
	return []corev1.Container{{Name: in.name, Image: in.image}}
}

// A receiver's fields are the caller's too.
func (in serviceConfig) container() corev1.Container {
	defaults := serviceConfig{image: "localhost/kubernaut-defaults:e2e"}
	_ = defaults
	return corev1.Container{Name: in.name, Image: in.image}
}

func thirdParty() []corev1.Container {
	return []corev1.Container{
		{Name: "busybox", Image: "busybox"},
		{Name: "app", Image: "quay.io/org/app:v1"},
		{Name: "tool", Image: "ghcr.io/kubernaut/tool:1.0", ImagePullPolicy: corev1.PullIfNotPresent},
	}
}

func onlyLogged(writer io.Writer) {
	fmt.Fprintf(writer, "deploying localhost/kubernaut-datastorage:e2e-test-datastorage\n")
	log.Printf("image: %s", "localhost/kubernaut-datastorage:e2e-test-datastorage")
}
