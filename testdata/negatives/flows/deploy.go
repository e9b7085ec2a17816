// Package flows holds correct setup flows: the image that is built and
// loaded reaches the deployment through variables, struct fields, channels,
// maps and string normalisations. Nothing here may be reported.
package flows

import (
	"context"
	"io"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"imagetaglint.test/e2e/negatives/kindutil"
)

// deployService deploys one container running imageName.
func deployService(ctx context.Context, kubeconfigPath, namespace, name, imageName string, w io.Writer) error {
	replicas := int32(1)
	labels := map[string]string{"app": name}
	return kindutil.ApplyObjects(ctx, kubeconfigPath, w, &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					InitContainers: []corev1.Container{{
						Name:    "migrate",
						Image:   imageName,
						Command: []string{"/usr/local/bin/migrate", "up"},
					}},
					Containers: []corev1.Container{{
						Name:            name,
						Image:           imageName,
						ImagePullPolicy: corev1.PullNever,
					}},
				},
			},
		},
	})
}

// deployDebugContainer adds an ephemeral debug container running the service's
// own (locally built) debug image.
func deployDebugContainer(ctx context.Context, kubeconfigPath, namespace, pod, debugImage string, w io.Writer) error {
	debug := corev1.EphemeralContainer{
		EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name:            "debug",
			Image:           debugImage,
			ImagePullPolicy: corev1.PullNever,
			Command:         []string{"sleep", "3600"},
		},
		TargetContainerName: pod,
	}
	return kindutil.ApplyObjects(ctx, kubeconfigPath, w, &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: pod, Namespace: namespace},
		Spec:       corev1.PodSpec{EphemeralContainers: []corev1.EphemeralContainer{debug}},
	})
}
