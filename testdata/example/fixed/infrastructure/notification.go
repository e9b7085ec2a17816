package infrastructure

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NotificationNamespace is where the Notification controller runs in E2E.
const NotificationNamespace = "notification-e2e"

// DeployNotificationController builds the Notification controller image
// and deploys it into NotificationNamespace.
func DeployNotificationController(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want DeployNotificationController:"p1:store deploys$"
	fmt.Fprintln(writer, "🔔 Deploying Notification controller")
	if err := createTestNamespace(ctx, NotificationNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := applyManifest(ctx, kubeconfigPath, notificationCRDManifest, writer); err != nil {
		return fmt.Errorf("failed to install NotificationRequest CRD: %w", err)
	}

	imageConfig := E2EImageConfig{
		ServiceName:     "notification",
		ImageName:       "notification-controller",
		DockerfilePath:  "docker/notification-controller.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
	}
	notificationImage, err := BuildAndLoadImageToKind(imageConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load Notification image: %w", err)
	}
	if err := deployNotificationController(ctx, NotificationNamespace, kubeconfigPath, notificationImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Notification controller: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, NotificationNamespace, "notification-controller", 2*time.Minute, writer)
}

// deployNotificationController deploys the controller running imageName.
func deployNotificationController(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Notification controller (%s)...\n", imageName)
	replicas := int32(1)
	labels := map[string]string{"app": "notification-controller"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "notification-controller", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					ServiceAccountName: "notification-controller",
					Containers: []corev1.Container{{
						Name:            "manager",
						Image:           imageName,
						ImagePullPolicy: corev1.PullNever,
						Args:            []string{"--leader-elect=false", "--metrics-bind-address=:8080"},
						Env: []corev1.EnvVar{
							{Name: "FILE_OUTPUT_DIR", Value: "/tmp/notifications"},
							{Name: "GOCOVERDIR", Value: "/coverdata"},
						},
						VolumeMounts: []corev1.VolumeMount{{Name: "notifications", MountPath: "/tmp/notifications"}},
					}},
					Volumes: []corev1.Volume{{
						Name:         "notifications",
						VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}},
					}},
				},
			},
		},
	}
	return applyObjects(ctx, kubeconfigPath, writer, deployment)
}

// DeployNotificationAuditInfrastructure deploys the DataStorage audit trail
// the Notification suite verifies (PostgreSQL, Redis, DataStorage).
func DeployNotificationAuditInfrastructure(ctx context.Context, clusterName, namespace, kubeconfigPath string, writer io.Writer) error { // want DeployNotificationAuditInfrastructure:"p1:store p2:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	fmt.Fprintln(writer, "📋 Deploying audit infrastructure for Notification E2E")

	if err := deployPostgreSQLInNamespace(ctx, namespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy PostgreSQL: %w", err)
	}
	if err := deployRedisInNamespace(ctx, namespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy Redis: %w", err)
	}
	if err := applyDataStorageMigrations(ctx, namespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to apply audit migrations: %w", err)
	}

	imageConfig := E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
	}
	dataStorageImage, err := BuildAndLoadImageToKind(imageConfig, writer) // ✅ Capture return value
	if err != nil {
		return fmt.Errorf("failed to build/load Data Storage image: %w", err)
	}
	fmt.Fprintf(writer, "   Using image: %s\n", dataStorageImage) // ✅ Log it

	if err := deployDataStorageServiceForNotification(ctx, namespace, kubeconfigPath, dataStorageImage, writer); err != nil { // ✅ Pass it
		return fmt.Errorf("failed to deploy Data Storage Service: %w", err)
	}
	if err := waitForDeploymentReady(ctx, kubeconfigPath, namespace, "datastorage", 3*time.Minute, writer); err != nil {
		return err
	}
	fmt.Fprintln(writer, "✅ Audit infrastructure ready")
	return nil
}

func deployDataStorageServiceForNotification(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error { // ✅ Add parameter
	fmt.Fprintf(writer, "  📦 Deploying Data Storage Service for Notification in %s...\n", namespace)
	replicas := int32(1)
	labels := map[string]string{"app": "datastorage"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "datastorage", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:            "datastorage",
						Image:           imageName, // ✅ Use dynamic tag
						ImagePullPolicy: corev1.PullNever,
						Ports:           []corev1.ContainerPort{{Name: "http", ContainerPort: dataStorageServicePort}},
						Env:             dataStorageEnv(namespace),
						ReadinessProbe:  httpProbe("/health/ready", dataStorageServicePort),
					}},
				},
			},
		},
	}
	return applyObjects(ctx, kubeconfigPath, writer, deployment, dataStorageService(namespace))
}

const notificationCRDManifest = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: notificationrequests.kubernaut.ai
spec:
  group: kubernaut.ai
  names:
    kind: NotificationRequest
    plural: notificationrequests
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`
