package infrastructure

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	// DataStorageE2ENamespace is the namespace of the DataStorage suite.
	DataStorageE2ENamespace = "datastorage-e2e"
	dataStorageServicePort  = 8080
	postgresImage           = "postgres:16-alpine"
)

// buildResult is what a parallel build goroutine reports.
type buildResult struct {
	name  string
	image string
	err   error
}

// deployResult is what a parallel deploy goroutine reports.
type deployResult struct {
	name string
	err  error
}

// SetupDataStorageInfrastructure creates the DataStorage E2E environment:
// Kind cluster, PostgreSQL, Redis and the DataStorage service.
func SetupDataStorageInfrastructure(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupDataStorageInfrastructure:"p1:store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 Setting up DataStorage E2E infrastructure")

	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, DataStorageE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	imageConfig := E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
	}
	dataStorageImage, err := BuildAndLoadImageToKind(imageConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load Data Storage image: %w", err)
	}
	fmt.Fprintf(writer, "   Using image: %s\n", dataStorageImage)

	if err := deployPostgreSQLInNamespace(ctx, DataStorageE2ENamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy PostgreSQL: %w", err)
	}
	if err := deployRedisInNamespace(ctx, DataStorageE2ENamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy Redis: %w", err)
	}
	if err := applyDataStorageMigrations(ctx, DataStorageE2ENamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to apply migrations: %w", err)
	}
	if err := deployDataStorageService(ctx, DataStorageE2ENamespace, kubeconfigPath, dataStorageImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Data Storage Service: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, DataStorageE2ENamespace, "datastorage", 3*time.Minute, writer)
}

// SetupDataStorageInfrastructureParallel builds the image while the cluster
// and the databases come up.
func SetupDataStorageInfrastructureParallel(ctx context.Context, clusterName, kubeconfigPath, namespace string, writer io.Writer) error { // want SetupDataStorageInfrastructureParallel:"p1:store p3:escape\\+store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 DataStorage E2E infrastructure (parallel)")
	fmt.Fprintln(writer, "  Phase 1: Kind cluster")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, namespace, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "  Phase 2: image build ∥ PostgreSQL ∥ Redis")
	results := make(chan buildResult, 3)
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "datastorage",
			ImageName:       "datastorage",
			DockerfilePath:  "docker/data-storage.Dockerfile",
			KindClusterName: clusterName,
			EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
		}
		image, err := BuildAndLoadImageToKind(imageConfig, writer)
		if err != nil {
			err = fmt.Errorf("DS image build+load failed: %w", err)
		}
		results <- buildResult{name: "DataStorage image", image: image, err: err}
	}()
	go func() {
		results <- buildResult{name: "PostgreSQL", err: deployPostgreSQLInNamespace(ctx, namespace, kubeconfigPath, writer)}
	}()
	go func() {
		results <- buildResult{name: "Redis", err: deployRedisInNamespace(ctx, namespace, kubeconfigPath, writer)}
	}()
	var errs []error
	var dataStorageImage string
	for i := 0; i < 3; i++ {
		r := <-results
		if r.err != nil {
			fmt.Fprintf(writer, "  ❌ %s: %v\n", r.name, r.err)
			errs = append(errs, r.err)
			continue
		}
		if r.image != "" {
			dataStorageImage = r.image
		}
		fmt.Fprintf(writer, "  ✅ %s ready\n", r.name)
	}
	if len(errs) > 0 {
		return fmt.Errorf("parallel setup failed: %v", errs)
	}

	fmt.Fprintln(writer, "  Phase 3: migrations and DataStorage service")
	if err := applyDataStorageMigrations(ctx, namespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to apply migrations: %w", err)
	}
	if err := deployDataStorageService(ctx, namespace, kubeconfigPath, dataStorageImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Data Storage Service: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "datastorage", 3*time.Minute, writer)
}

// deployDataStorageServiceInNamespace deploys DataStorage running imageName
// into namespace (used by every service that needs the audit trail).
func deployDataStorageServiceInNamespace(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Data Storage Service in %s (%s)...\n", namespace, imageName)
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
						Image:           imageName,
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

// deployDataStorageService deploys the DataStorage service of the
// DataStorage suite itself, running the image BuildAndLoadImageToKind built.
func deployDataStorageService(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Data Storage Service (%s)...\n", imageName)
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
						Image:           imageName, // Dynamic tag from BuildAndLoadImageToKind
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

func dataStorageEnv(namespace string) []corev1.EnvVar {
	return []corev1.EnvVar{
		{Name: "POSTGRES_HOST", Value: "postgresql." + namespace + ".svc.cluster.local"},
		{Name: "POSTGRES_PORT", Value: "5432"},
		{Name: "POSTGRES_DB", Value: "action_history"},
		{Name: "POSTGRES_USER", Value: "slm_user"},
		{Name: "POSTGRES_PASSWORD", Value: "test_password"},
		{Name: "REDIS_ADDR", Value: "redis." + namespace + ".svc.cluster.local:6379"},
		{Name: "GOCOVERDIR", Value: "/coverdata"},
	}
}

func dataStorageService(namespace string) *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: "datastorage", Namespace: namespace},
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeNodePort,
			Selector: map[string]string{"app": "datastorage"},
			Ports: []corev1.ServicePort{{
				Name:       "http",
				Port:       dataStorageServicePort,
				TargetPort: intstr.FromInt(dataStorageServicePort),
				NodePort:   30081,
			}},
		},
	}
}

// deployPostgreSQLInNamespace deploys the upstream PostgreSQL image.
func deployPostgreSQLInNamespace(ctx context.Context, namespace, kubeconfigPath string, writer io.Writer) error {
	fmt.Fprintf(writer, "  🐘 Deploying PostgreSQL in %s...\n", namespace)
	replicas := int32(1)
	labels := map[string]string{"app": "postgresql"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "postgresql", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:  "postgresql",
						Image: postgresImage,
						Ports: []corev1.ContainerPort{{ContainerPort: 5432}},
						Env: []corev1.EnvVar{
							{Name: "POSTGRES_DB", Value: "action_history"},
							{Name: "POSTGRES_USER", Value: "slm_user"},
							{Name: "POSTGRES_PASSWORD", Value: "test_password"},
						},
					}},
				},
			},
		},
	}
	service := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: "postgresql", Namespace: namespace},
		Spec: corev1.ServiceSpec{
			Selector: labels,
			Ports:    []corev1.ServicePort{{Port: 5432, TargetPort: intstr.FromInt(5432)}},
		},
	}
	if err := applyObjects(ctx, kubeconfigPath, writer, deployment, service); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "postgresql", 2*time.Minute, writer)
}

// deployRedisInNamespace deploys Redis from the project's quay.io mirror.
func deployRedisInNamespace(ctx context.Context, namespace, kubeconfigPath string, writer io.Writer) error {
	fmt.Fprintf(writer, "  🔴 Deploying Redis in %s...\n", namespace)
	replicas := int32(1)
	labels := map[string]string{"app": "redis"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "redis", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:  "redis",
						Image: "quay.io/jordigilh/redis:7",
						Ports: []corev1.ContainerPort{{ContainerPort: 6379}},
					}},
				},
			},
		},
	}
	service := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: "redis", Namespace: namespace},
		Spec: corev1.ServiceSpec{
			Selector: labels,
			Ports:    []corev1.ServicePort{{Port: 6379, TargetPort: intstr.FromInt(6379)}},
		},
	}
	return applyObjects(ctx, kubeconfigPath, writer, deployment, service)
}

// applyDataStorageMigrations runs the goose migrations with psql inside the
// PostgreSQL pod.
func applyDataStorageMigrations(ctx context.Context, namespace, kubeconfigPath string, writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	migrations, err := os.ReadFile(projectRoot + "/migrations/all_up.sql")
	if err != nil {
		return fmt.Errorf("failed to read migrations: %w", err)
	}
	cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "-n", namespace,
		"exec", "-i", "deploy/postgresql", "--", "psql", "-U", "slm_user", "-d", "action_history")
	cmd.Stdin = bytes.NewReader(migrations)
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("psql migrations failed: %w", err)
	}
	fmt.Fprintln(writer, "  ✅ Migrations applied")
	return nil
}

// createKindCluster creates a Kind cluster and writes its kubeconfig.
func createKindCluster(clusterName, kubeconfigPath string, writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	cmd := exec.Command("kind", "create", "cluster",
		"--name", clusterName,
		"--kubeconfig", kubeconfigPath,
		"--config", projectRoot+"/test/infrastructure/kind-config.yaml",
		"--wait", "2m")
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kind create cluster %s: %w", clusterName, err)
	}
	return nil
}

// createTestNamespace creates namespace if it does not exist.
func createTestNamespace(ctx context.Context, namespace, kubeconfigPath string, writer io.Writer) error {
	manifest := fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", namespace)
	return applyManifest(ctx, kubeconfigPath, manifest, writer)
}

// applyManifest pipes a YAML or JSON manifest to kubectl apply.
func applyManifest(ctx context.Context, kubeconfigPath, manifest string, writer io.Writer) error {
	cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "apply", "-f", "-")
	cmd.Stdin = bytes.NewBufferString(manifest)
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kubectl apply failed: %w", err)
	}
	return nil
}

// applyObjects applies typed objects as a JSON list.
func applyObjects(ctx context.Context, kubeconfigPath string, writer io.Writer, objs ...any) error {
	list := map[string]any{"apiVersion": "v1", "kind": "List", "items": objs}
	data, err := json.Marshal(list)
	if err != nil {
		return fmt.Errorf("failed to marshal objects: %w", err)
	}
	return applyManifest(ctx, kubeconfigPath, string(data), writer)
}

// waitForDeploymentReady waits for a rollout to finish.
func waitForDeploymentReady(ctx context.Context, kubeconfigPath, namespace, name string, timeout time.Duration, writer io.Writer) error {
	fmt.Fprintf(writer, "  ⏳ Waiting for %s/%s...\n", namespace, name)
	cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "-n", namespace,
		"rollout", "status", "deployment/"+name, "--timeout", timeout.String())
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("deployment %s/%s not ready after %s: %w", namespace, name, timeout, err)
	}
	return nil
}

func httpProbe(path string, port int) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt(port)}},
		InitialDelaySeconds: 5,
		PeriodSeconds:       5,
	}
}
