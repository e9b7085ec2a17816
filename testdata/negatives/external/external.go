// Package external deploys third-party images pulled from registries. They
// are written as literals on purpose: nothing here is built or loaded
// locally, so nothing may be reported.
package external

import (
	"context"
	"io"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"imagetaglint.test/e2e/negatives/kindutil"
)

const redisImage = "redis:7"

func deployment(name, namespace string, spec corev1.PodSpec) *appsv1.Deployment {
	replicas := int32(1)
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
		},
	}
}

// deployPostgreSQL: docker.io library image with a tag.
func deployPostgreSQL(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	return kindutil.ApplyObjects(ctx, kubeconfig, w, deployment("postgresql", namespace, corev1.PodSpec{
		Containers: []corev1.Container{{
			Name:  "postgresql",
			Image: "postgres:16-alpine",
			Env:   []corev1.EnvVar{{Name: "POSTGRES_PASSWORD", Value: "test"}},
			Ports: []corev1.ContainerPort{{ContainerPort: 5432}},
		}},
	}))
}

// deployRedis: a constant external image, and the project's quay.io mirror.
func deployRedis(ctx context.Context, namespace, kubeconfig string, mirror bool, w io.Writer) error {
	c := corev1.Container{Name: "redis", Image: redisImage, ImagePullPolicy: corev1.PullIfNotPresent}
	if mirror {
		c.Image = "quay.io/jordigilh/redis:7"
	}
	return kindutil.ApplyObjects(ctx, kubeconfig, w, deployment("redis", namespace, corev1.PodSpec{Containers: []corev1.Container{c}}))
}

// deployApp: quay.io application with a ghcr.io sidecar and a busybox init
// container.
func deployApp(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	return kindutil.ApplyObjects(ctx, kubeconfig, w, deployment("app", namespace, corev1.PodSpec{
		InitContainers: []corev1.Container{{
			Name:    "wait-for-db",
			Image:   "busybox",
			Command: []string{"sh", "-c", "until nc -z postgresql 5432; do sleep 1; done"},
		}},
		Containers: []corev1.Container{
			{Name: "app", Image: "quay.io/org/app:v1", ImagePullPolicy: corev1.PullAlways},
			{Name: "exporter", Image: "ghcr.io/x/y:1.0"},
		},
	}))
}

// debugPod: an ephemeral debug container from a public image, next to the
// pause container.
func debugPod(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	return kindutil.ApplyObjects(ctx, kubeconfig, w, &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "debug", Namespace: namespace},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.9"}},
			EphemeralContainers: []corev1.EphemeralContainer{{
				EphemeralContainerCommon: corev1.EphemeralContainerCommon{
					Name:  "debugger",
					Image: "docker.io/library/busybox:1.36",
				},
				TargetContainerName: "pause",
			}},
		},
	})
}

// deployMonitoring: external images in a YAML manifest.
func deployMonitoring(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	return kindutil.Apply(ctx, kubeconfig, `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: prometheus}
  template:
    metadata:
      labels: {app: prometheus}
    spec:
      initContainers:
      - name: init-perms
        image: busybox:1.36
        command: ["chown", "-R", "65534", "/prometheus"]
      containers:
      - name: prometheus
        image: quay.io/prometheus/prometheus:v2.53.0
      - name: postgres-exporter
        image: quay.io/prometheuscommunity/postgres-exporter:v0.15.0
`, w)
}

// deployMockServer: external images in a JSON manifest.
func deployMockServer(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	manifest := `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "mockserver", "namespace": "` + namespace + `"},
  "spec": {
    "containers": [
      {"name": "mockserver", "image": "mockserver/mockserver:5.15.0"},
      {"name": "db", "image": "postgres:16-alpine", "imagePullPolicy": "IfNotPresent"}
    ]
  }
}`
	return kindutil.Apply(ctx, kubeconfig, manifest, w)
}

// Setup deploys every external dependency.
func Setup(ctx context.Context, namespace, kubeconfig string, w io.Writer) error { // want Setup:"p1:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"redis:7\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"busybox\"\\) deploy\\(\"quay\\.io/org/app:v1\"\\) deploy\\(\"ghcr\\.io/x/y:1\\.0\"\\) deploy\\(\"registry\\.k8s\\.io/pause:3\\.9\"\\) deploy\\(\"docker\\.io/library/busybox:1\\.36\"\\) deploy\\(\"busybox:1\\.36\"\\) deploy\\(\"quay\\.io/prometheus/prometheus:v2\\.53\\.0\"\\) deploy\\(\"quay\\.io/prometheuscommunity/postgres-exporter:v0\\.15\\.0\"\\) deploys$"
	if err := deployPostgreSQL(ctx, namespace, kubeconfig, w); err != nil {
		return err
	}
	if err := deployRedis(ctx, namespace, kubeconfig, true, w); err != nil {
		return err
	}
	if err := deployApp(ctx, namespace, kubeconfig, w); err != nil {
		return err
	}
	if err := debugPod(ctx, namespace, kubeconfig, w); err != nil {
		return err
	}
	if err := deployMonitoring(ctx, namespace, kubeconfig, w); err != nil {
		return err
	}
	return deployMockServer(ctx, namespace, kubeconfig, w)
}
