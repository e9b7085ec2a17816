// Package hardcoded tests hardcoded-image's fix, which applies when
// ignored-image-param is disabled.
package hardcoded

import (
	"io"

	corev1 "k8s.io/api/core/v1"

	"imagetaglint.test/e2e/kit"
)

// The caller builds and loads the image it passes.
func dataStorage(w io.Writer) (corev1.Container, error) {
	const image = "localhost/kubernaut-datastorage:e2e-1"
	if err := kit.Build(image, w); err != nil {
		return corev1.Container{}, err
	}
	if err := kit.Load("kind", image, w); err != nil {
		return corev1.Container{}, err
	}
	return dataStorageContainer("datastorage", "e2e-1", image), nil // want `dataStorageContainer deploys "localhost/kubernaut-datastorage:e2e"`
}

// The function has one image parameter, deployed nowhere, and a constant
// where it belongs.
func dataStorageContainer(name string, tag string, dataStorageImage string) corev1.Container {
	_ = tag
	_ = dataStorageImage
	return corev1.Container{Name: name, Image: "localhost/kubernaut-datastorage:e2e"} // want `hardcoded image "localhost/kubernaut-datastorage:e2e"`
}

// The parameter is deployed already: the constant is another image.
func withSidecar(image string) []corev1.Container {
	return []corev1.Container{
		{Name: "app", Image: image},
		{Name: "mock", Image: "localhost/mock-llm:e2e"}, // want `hardcoded image "localhost/mock-llm:e2e"`
	}
}

// No image parameter: nothing to substitute.
func notificationContainer() corev1.Container {
	return corev1.Container{Name: "notification", Image: "localhost/kubernaut-notification:e2e"} // want `hardcoded image "localhost/kubernaut-notification:e2e"`
}
