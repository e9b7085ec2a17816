package infrastructure

import (
	"context"
	"fmt"
	"io"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	// AIAnalysisNamespace is where the AIAnalysis suite runs its services.
	AIAnalysisNamespace = "kubernaut-system"

	hapiImage       = "localhost/kubernaut-holmesgpt-api:e2e"
	aiAnalysisImage = "localhost/kubernaut-aianalysis:e2e-coverage"
)

// CreateAIAnalysisCluster builds the HolmesGPT API, AIAnalysis and
// DataStorage images, creates the cluster, loads them and deploys.
func CreateAIAnalysisCluster(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want CreateAIAnalysisCluster:"build\\(\"localhost/kubernaut-holmesgpt-api:e2e\"\\) build\\(\"localhost/kubernaut-aianalysis:e2e-coverage\"\\) load\\(\"localhost/kubernaut-holmesgpt-api:e2e\"\\) load\\(\"localhost/kubernaut-aianalysis:e2e-coverage\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"localhost/kubernaut-holmesgpt-api:e2e\"\\) deploy\\(\"localhost/kubernaut-aianalysis:e2e-coverage\"\\) deploys$"
	start := time.Now()
	fmt.Fprintln(writer, "🚀 AIAnalysis E2E infrastructure")

	// PHASE 0: Generate the DataStorage image name ONCE, before any build
	dataStorageImageName := GenerateInfraImageName("datastorage", "aianalysis")

	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	type build struct {
		name string
		err  error
	}
	builds := make(chan build, 3)
	go func() {
		builds <- build{"HolmesGPT API", buildImage(hapiImage, "holmesgpt-api/Dockerfile.e2e", false, writer)}
	}()
	go func() {
		builds <- build{"AIAnalysis", buildImage(aiAnalysisImage, "docker/aianalysis-controller.Dockerfile", true, writer)}
	}()
	go func() {
		builds <- build{"DataStorage", buildDataStorageImageWithTag(dataStorageImageName, writer)}
	}()
	for i := 0; i < 3; i++ {
		if b := <-builds; b.err != nil {
			return fmt.Errorf("failed to build %s image: %w", b.name, b.err)
		}
	}

	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, AIAnalysisNamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, hapiImage, writer); err != nil {
		return err
	}
	if err := loadImage(clusterName, aiAnalysisImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImageWithTag(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n🚀 PHASE 4: Deploying services...")
	if err := deployPostgreSQLInNamespace(ctx, AIAnalysisNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployRedisInNamespace(ctx, AIAnalysisNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := applyDataStorageMigrations(ctx, AIAnalysisNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageForAIAnalysis(ctx, AIAnalysisNamespace, kubeconfigPath, dataStorageImageName, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	if err := deployHolmesGPTAPI(ctx, AIAnalysisNamespace, kubeconfigPath, hapiImage, writer); err != nil {
		return fmt.Errorf("failed to deploy HolmesGPT API: %w", err)
	}
	if err := deployAIAnalysisController(ctx, AIAnalysisNamespace, kubeconfigPath, aiAnalysisImage, writer); err != nil {
		return fmt.Errorf("failed to deploy AIAnalysis controller: %w", err)
	}
	fmt.Fprintf(writer, "\n✅ AIAnalysis infrastructure ready in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// deployDataStorageForAIAnalysis deploys the DataStorage the AIAnalysis
// audit tests query, running imageName.
func deployDataStorageForAIAnalysis(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Data Storage for AIAnalysis (%s)...\n", imageName)
	manifest := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: datastorage
  namespace: %[1]s
spec:
  replicas: 1
  selector:
    matchLabels:
      app: datastorage
  template:
    metadata:
      labels:
        app: datastorage
    spec:
      containers:
      - name: datastorage
        image: %[2]s
        imagePullPolicy: Never
        ports:
        - containerPort: 8080
        env:
        - name: POSTGRES_HOST
          value: postgresql.%[1]s.svc.cluster.local
        - name: POSTGRES_DB
          value: action_history
---
apiVersion: v1
kind: Service
metadata:
  name: datastorage
  namespace: %[1]s
spec:
  selector:
    app: datastorage
  ports:
  - port: 8080
`, namespace, imageName)
	if err := applyManifest(ctx, kubeconfigPath, manifest, writer); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "datastorage", 3*time.Minute, writer)
}

// deployHolmesGPTAPI deploys the HolmesGPT API with the mock LLM provider.
func deployHolmesGPTAPI(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  🤖 Deploying HolmesGPT API (%s)...\n", imageName)
	manifest := fmt.Sprintf(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: holmesgpt-api
  namespace: %[1]s
spec:
  replicas: 1
  selector:
    matchLabels:
      app: holmesgpt-api
  template:
    metadata:
      labels:
        app: holmesgpt-api
    spec:
      containers:
      - name: holmesgpt-api
        image: %[2]s
        imagePullPolicy: Never
        ports:
        - containerPort: 8080
        env:
        - name: LLM_PROVIDER
          value: mock
        - name: DATASTORAGE_URL
          value: http://datastorage.%[1]s.svc.cluster.local:8080
`, namespace, imageName)
	if err := applyManifest(ctx, kubeconfigPath, manifest, writer); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "holmesgpt-api", 3*time.Minute, writer)
}

// deployAIAnalysisController deploys the AIAnalysis controller.
func deployAIAnalysisController(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying AIAnalysis controller (%s)...\n", imageName)
	replicas := int32(1)
	labels := map[string]string{"app": "aianalysis-controller"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "aianalysis-controller", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name:            "manager",
						Image:           imageName,
						ImagePullPolicy: corev1.PullNever,
						Args:            []string{"--holmesgpt-api-url=http://holmesgpt-api:8080"},
						Env:             []corev1.EnvVar{{Name: "GOCOVERDIR", Value: "/coverdata"}},
					}},
				},
			},
		},
	}
	if err := applyObjects(ctx, kubeconfigPath, writer, deployment); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "aianalysis-controller", 2*time.Minute, writer)
}
