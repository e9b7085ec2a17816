// Package controller builds the pods of a custom resource, as an
// operator's controllers do: every image it writes is a field of the
// resource, nothing it names. The standalone command analyses it only for
// the packages that depend on it, which read its facts.
package controller

import corev1 "k8s.io/api/core/v1"

// AppSpec is the desired state of an App.
type AppSpec struct {
	Image string
}

// App is a custom resource.
type App struct {
	Name string
	Spec AppSpec
}

// DesiredPod is the pod an App runs.
func DesiredPod(app *App) *corev1.Pod { // want DesiredPod:"deploys$"
	return &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: app.Name, Image: app.Spec.Image}}}}
}
