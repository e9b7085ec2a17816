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

// SignalProcessingNamespace is where the SignalProcessing controller runs.
const SignalProcessingNamespace = "kubernaut-system"

func signalProcessingImageConfig(clusterName string, coverage bool) E2EImageConfig {
	return E2EImageConfig{
		ServiceName:     "signalprocessing",
		ImageName:       "signalprocessing-controller",
		DockerfilePath:  "docker/signalprocessing-controller.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  coverage,
	}
}

// SetupSignalProcessingInfrastructure creates the SignalProcessing E2E
// environment sequentially.
func SetupSignalProcessingInfrastructure(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupSignalProcessingInfrastructure:"p1:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"busybox\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 SignalProcessing E2E infrastructure")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := installSignalProcessingCRDs(ctx, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "  🔨 Building DataStorage image...")
	imageConfig := E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: clusterName,
	}
	dataStorageImage, err := BuildAndLoadImageToKind(imageConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load DataStorage image: %w", err)
	}
	if err := deploySignalProcessingAuditDependencies(ctx, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageService(ctx, SignalProcessingNamespace, kubeconfigPath, dataStorageImage, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}

	fmt.Fprintln(writer, "  🔨 Building SignalProcessing controller image...")
	spImage, err := BuildAndLoadImageToKind(signalProcessingImageConfig(clusterName, false), writer)
	if err != nil {
		return fmt.Errorf("failed to build/load SignalProcessing image: %w", err)
	}
	return deploySignalProcessingController(ctx, SignalProcessingNamespace, kubeconfigPath, spImage, writer)
}

// SetupSignalProcessingInfrastructureParallel overlaps the image builds
// with the database deployments.
func SetupSignalProcessingInfrastructureParallel(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupSignalProcessingInfrastructureParallel:"p1:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"busybox\"\\) deploys opaque"
	fmt.Fprintln(writer, "🚀 SignalProcessing E2E infrastructure (parallel)")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := installSignalProcessingCRDs(ctx, kubeconfigPath, writer); err != nil {
		return err
	}

	results := make(chan buildResult, 3)
	go func() {
		image, err := BuildAndLoadImageToKind(signalProcessingImageConfig(clusterName, false), writer)
		results <- buildResult{name: "SignalProcessing", image: image, err: err}
	}()
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "datastorage",
			ImageName:       "datastorage",
			DockerfilePath:  "docker/data-storage.Dockerfile",
			KindClusterName: clusterName,
		}
		image, err := BuildAndLoadImageToKind(imageConfig, writer)
		results <- buildResult{name: "DataStorage", image: image, err: err}
	}()
	go func() {
		results <- buildResult{name: "audit dependencies", err: deploySignalProcessingAuditDependencies(ctx, kubeconfigPath, writer)}
	}()

	images := make(map[string]string)
	for i := 0; i < 3; i++ {
		r := <-results
		if r.err != nil {
			return fmt.Errorf("%s failed: %w", r.name, r.err)
		}
		images[r.name] = r.image
		fmt.Fprintf(writer, "  ✅ %s\n", r.name)
	}

	if err := deployDataStorageService(ctx, SignalProcessingNamespace, kubeconfigPath, images["DataStorage"], writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	return deploySignalProcessingController(ctx, SignalProcessingNamespace, kubeconfigPath, images["SignalProcessing"], writer)
}

// SetupSignalProcessingInfrastructureWithCoverage builds the controller with
// coverage instrumentation and collects GOCOVERDIR data.
func SetupSignalProcessingInfrastructureWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupSignalProcessingInfrastructureWithCoverage:"p1:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"busybox\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 SignalProcessing E2E infrastructure (coverage)")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := installSignalProcessingCRDs(ctx, kubeconfigPath, writer); err != nil {
		return err
	}

	spImage, err := BuildAndLoadImageToKind(signalProcessingImageConfig(clusterName, true), writer)
	if err != nil {
		return fmt.Errorf("failed to build/load SignalProcessing image: %w", err)
	}
	fmt.Fprintf(writer, "  📊 Coverage image: %s\n", spImage)

	imageConfig := E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
	}
	dataStorageImage, err := BuildAndLoadImageToKind(imageConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load DataStorage image: %w", err)
	}

	if err := deploySignalProcessingAuditDependencies(ctx, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageService(ctx, SignalProcessingNamespace, kubeconfigPath, dataStorageImage, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	return deploySignalProcessingController(ctx, SignalProcessingNamespace, kubeconfigPath, spImage, writer)
}

// SetupSignalProcessingInfrastructureHybridWithCoverage: build → cluster →
// load → deploy.
func SetupSignalProcessingInfrastructureHybridWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupSignalProcessingInfrastructureHybridWithCoverage:"deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"busybox\"\\) deploys$"
	spImage := fmt.Sprintf("localhost/kubernaut-signalprocessing:%s", generateServiceImageTag("signalprocessing"))

	// PHASE 0: Generate the DataStorage image name ONCE, before any build
	dataStorageImageName := GenerateInfraImageName("datastorage", "signalprocessing")

	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	buildErrs := make(chan error, 2)
	go func() {
		buildErrs <- buildImage(spImage, "docker/signalprocessing-controller.Dockerfile", true, writer)
	}()
	go func() { buildErrs <- buildDataStorageImageWithTag(dataStorageImageName, writer) }()
	for i := 0; i < 2; i++ {
		if err := <-buildErrs; err != nil {
			return fmt.Errorf("image build failed: %w", err)
		}
	}

	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := installSignalProcessingCRDs(ctx, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, spImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImageWithTag(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n🚀 PHASE 4: Deploying services...")
	if err := deploySignalProcessingAuditDependencies(ctx, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageServiceInNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, dataStorageImageName, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	if err := waitForDeploymentReady(ctx, kubeconfigPath, SignalProcessingNamespace, "datastorage", 3*time.Minute, writer); err != nil {
		return err
	}
	return deploySignalProcessingController(ctx, SignalProcessingNamespace, kubeconfigPath, spImage, writer)
}

// deploySignalProcessingAuditDependencies deploys PostgreSQL and Redis and
// applies the audit schema.
func deploySignalProcessingAuditDependencies(ctx context.Context, kubeconfigPath string, writer io.Writer) error {
	if err := deployPostgreSQLInNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy PostgreSQL: %w", err)
	}
	if err := deployRedisInNamespace(ctx, SignalProcessingNamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy Redis: %w", err)
	}
	return applyDataStorageMigrations(ctx, SignalProcessingNamespace, kubeconfigPath, writer)
}

// deploySignalProcessingController deploys the controller running imageName
// with the Rego policies mounted from a ConfigMap.
func deploySignalProcessingController(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying SignalProcessing controller (%s)...\n", imageName)
	policies := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: "signalprocessing-policies", Namespace: namespace},
		Data: map[string]string{
			"environment.rego": "package signalprocessing.environment\n\ndefault environment := \"unknown\"\n",
			"priority.rego":    "package signalprocessing.priority\n\ndefault priority := \"P3\"\n",
		},
	}
	replicas := int32(1)
	labels := map[string]string{"app": "signalprocessing-controller"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "signalprocessing-controller", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					ServiceAccountName: "signalprocessing-controller",
					InitContainers: []corev1.Container{{
						Name:    "wait-for-datastorage",
						Image:   "busybox",
						Command: []string{"sh", "-c", "until wget -qO- http://datastorage:8080/health/ready; do sleep 2; done"},
					}},
					Containers: []corev1.Container{{
						Name:            "manager",
						Image:           imageName,
						ImagePullPolicy: corev1.PullNever,
						Args:            []string{"--policies-dir=/etc/signalprocessing/policies"},
						Env:             []corev1.EnvVar{{Name: "GOCOVERDIR", Value: "/coverdata"}},
						VolumeMounts:    []corev1.VolumeMount{{Name: "policies", MountPath: "/etc/signalprocessing/policies", ReadOnly: true}},
					}},
					Volumes: []corev1.Volume{{
						Name: "policies",
						VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
							LocalObjectReference: corev1.LocalObjectReference{Name: "signalprocessing-policies"},
						}},
					}},
				},
			},
		},
	}
	if err := applyObjects(ctx, kubeconfigPath, writer, policies, deployment); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "signalprocessing-controller", 2*time.Minute, writer)
}

func installSignalProcessingCRDs(ctx context.Context, kubeconfigPath string, writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	crd, err := os.ReadFile(projectRoot + "/config/crd/bases/kubernaut.ai_signalprocessings.yaml")
	if err != nil {
		return fmt.Errorf("failed to read SignalProcessing CRD: %w", err)
	}
	return applyManifest(ctx, kubeconfigPath, string(crd), writer)
}
