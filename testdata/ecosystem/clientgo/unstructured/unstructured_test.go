// Package unstructured builds and loads an image, then sets it into the
// container maps of an unstructured Deployment with apimachinery's
// SetNestedField, SetNestedSlice, SetNestedMap or SetNestedStringMap
// before creating it with client-go's dynamic client: the value set under
// an "image" key, by the path or inside the value set, is what the
// container (or the custom resource's operator) runs.
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

// A containers slice set whole: its maps' image is what runs.
func TestPublishedSlice(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	containers := []interface{}{
		map[string]interface{}{"name": "app", "image": "localhost/app:latest"}, // want `deployed image "localhost/app:latest" is not the image built and loaded here \("localhost/app:e2e"\) \[image-mismatch\]`
	}
	if err := unstructured.SetNestedSlice(obj.Object, containers, "spec", "template", "spec", "containers"); err != nil {
		t.Fatal(err)
	}
	create(t, obj)
}

// A pod spec set as a map: the containers inside it.
func TestPublishedPodSpec(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	podSpec := map[string]interface{}{
		"initContainers": []interface{}{map[string]interface{}{"name": "init", "image": image}},
		"containers":     []interface{}{map[string]interface{}{"name": "app", "image": "localhost/app:latest"}}, // want `deployed image "localhost/app:latest" is not the image built and loaded here \("localhost/app:e2e"\) \[image-mismatch\]`
	}
	if err := unstructured.SetNestedMap(obj.Object, podSpec, "spec", "template", "spec"); err != nil {
		t.Fatal(err)
	}
	create(t, obj)
}

// A custom resource whose image is a string field: its operator runs it.
func TestPublishedCustomImage(t *testing.T) {
	buildAndLoad(t)
	cr := &unstructured.Unstructured{Object: map[string]interface{}{"apiVersion": "apps.example.com/v1", "kind": "App"}}
	if err := unstructured.SetNestedStringMap(cr.Object, map[string]string{"image": "localhost/app:latest", "mode": "fast"}, "spec", "runner"); err != nil { // want `deployed image "localhost/app:latest" is not the image built and loaded here \("localhost/app:e2e"\) \[image-mismatch\]`
		t.Fatal(err)
	}
	create(t, cr)
}

// Negatives.

// The built image, in a slice and in a map set whole.
func TestBuiltSliceAndMap(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	if err := unstructured.SetNestedSlice(obj.Object, []interface{}{map[string]interface{}{"name": "app", "image": image}}, "spec", "template", "spec", "containers"); err != nil {
		t.Fatal(err)
	}
	cr := &unstructured.Unstructured{Object: map[string]interface{}{"apiVersion": "apps.example.com/v1", "kind": "App"}}
	if err := unstructured.SetNestedMap(cr.Object, map[string]interface{}{"image": image, "replicas": int64(2)}, "spec"); err != nil {
		t.Fatal(err)
	}
	create(t, obj)
	create(t, cr)
}

// Labels and annotations named image, an image given as parts, a value
// that is no reference, and a containers slice read back at run time:
// none names what a container runs.
func TestNotImages(t *testing.T) {
	buildAndLoad(t)
	obj := deployment()
	if err := unstructured.SetNestedStringMap(obj.Object, map[string]string{"image": "localhost/app:latest"}, "metadata", "annotations"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedMap(obj.Object, map[string]interface{}{"image": map[string]interface{}{"repository": "localhost/app", "tag": "latest"}}, "spec", "values"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedMap(obj.Object, map[string]interface{}{"image": "Always:Never:"}, "spec", "policy"); err != nil {
		t.Fatal(err)
	}
	containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
	if err := unstructured.SetNestedSlice(obj.Object, containers, "spec", "template", "spec", "containers"); err != nil {
		t.Fatal(err)
	}
	create(t, obj)
}

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
