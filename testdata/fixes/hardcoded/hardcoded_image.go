// Package hardcoded tests hardcoded-image's fix, which applies when
// ignored-image-param is disabled.
package hardcoded

import corev1 "k8s.io/api/core/v1"

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
