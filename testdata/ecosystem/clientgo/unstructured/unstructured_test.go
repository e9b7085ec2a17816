// Package unstructured builds and loads an image, then sets it into the
// container maps of an unstructured Deployment with apimachinery's
// SetNestedField before creating it with client-go's dynamic client: the
// value set under an "image" key is what the container runs.
package unstructured

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

const image = "localhost/app:e2e"

var deployments = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}

func buildAndLoad(t *testing.T) {
	if err := exec.Command("docker", "build", "-t", image, "../../app").Run(); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		t.Fatal(err)
	}
}

func deployment() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]interface{}{"name": "app"},
	}}
}

// setImages sets img into every container of obj.
func setImages(t *testing.T, obj *unstructured.Unstructured, img string) {
	containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
	for i, c := range containers {
		m := c.(map[string]interface{})
		if err := unstructured.SetNestedField(m, img, "image"); err != nil {
			t.Fatal(err)
		}
		containers[i] = m
	}
	if err := unstructured.SetNestedSlice(obj.Object, containers, "spec", "template", "spec", "containers"); err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, obj *unstructured.Unstructured) {
	client := dynamic.NewForConfigOrDie(&rest.Config{})
	if _, err := client.Resource(deployments).Namespace("default").Create(context.Background(), obj, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// The container runs the published tag, not the image built and loaded.
func TestPublishedTag(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
	for _, c := range containers {
		if err := unstructured.SetNestedField(c.(map[string]interface{}), "localhost/app:latest", "image"); err != nil { // want `deployed image "localhost/app:latest" is not the image built and loaded here \("localhost/app:e2e"\) \[image-mismatch\]`
			t.Fatal(err)
		}
	}
	create(t, obj)
}

// Negatives.

// The built image, set through a helper.
func TestBuiltImage(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	setImages(t, obj, image)
	create(t, obj)
}

// Keys that are no image, and a path that is not constant.
func TestOtherKeys(t *testing.T) {
	path := strings.Fields(os.Getenv("IMAGE_PATH"))
	obj := deployment()
	if err := unstructured.SetNestedField(obj.Object, int64(2), "spec", "replicas"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedField(obj.Object, "localhost/app:latest", path...); err != nil {
		t.Fatal(err)
	}
	create(t, obj)
}
