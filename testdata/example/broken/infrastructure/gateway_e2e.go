package infrastructure

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

const (
	// GatewayE2ENamespace is the namespace of the Gateway E2E suite.
	GatewayE2ENamespace = "kubernaut-system"
	gatewayClusterName  = "gateway-e2e"
)

// SetupGatewayInfrastructureWithDataStorage creates the Gateway E2E cluster
// with its DataStorage dependency, building both images in parallel.
func SetupGatewayInfrastructureWithDataStorage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupGatewayInfrastructureWithDataStorage:"p1:store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"datastorage:e2e-test\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 Gateway E2E infrastructure (with DataStorage)")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "  Phase 1: building Gateway ∥ DataStorage images")
	results := make(chan buildResult, 2)
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "gateway",
			ImageName:       "gateway",
			DockerfilePath:  "docker/gateway-ubi9.Dockerfile",
			KindClusterName: clusterName,
			EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
		}
		image, err := BuildAndLoadImageToKind(imageConfig, writer)
		results <- buildResult{name: "Gateway", image: image, err: err}
	}()
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "datastorage",
			ImageName:       "datastorage",
			DockerfilePath:  "docker/data-storage.Dockerfile",
			KindClusterName: clusterName,
			EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
		}
		_, err := BuildAndLoadImageToKind(imageConfig, writer) // want `BuildAndLoadImageToKind is assigned to _.*\[discarded-image\]`
		results <- buildResult{name: "DataStorage", err: err}
	}()

	var gatewayImage string
	for i := 0; i < 2; i++ {
		r := <-results
		if r.err != nil {
			return fmt.Errorf("%s image build failed: %w", r.name, r.err)
		}
		if r.name == "Gateway" {
			gatewayImage = r.image
		}
		fmt.Fprintf(writer, "  ✅ %s image ready\n", r.name)
	}

	fmt.Fprintln(writer, "  Phase 2: PostgreSQL, Redis, DataStorage")
	if err := deployPostgreSQLInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployRedisInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := applyDataStorageMigrations(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageToKind(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}

	fmt.Fprintln(writer, "  Phase 3: Gateway")
	if err := deployGatewayService(ctx, GatewayE2ENamespace, kubeconfigPath, gatewayImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Gateway: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, GatewayE2ENamespace, "gateway", 3*time.Minute, writer)
}

// SetupGatewayE2EInfrastructure is the sequential setup used by the
// per-process Ginkgo suites.
func SetupGatewayE2EInfrastructure(ctx context.Context, kubeconfigPath string, writer io.Writer) error { // want SetupGatewayE2EInfrastructure:"deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"datastorage:e2e-test\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 Gateway E2E infrastructure")
	if err := createKindCluster(gatewayClusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	gatewayConfig := E2EImageConfig{
		ServiceName:     "gateway",
		ImageName:       "gateway",
		DockerfilePath:  "docker/gateway-ubi9.Dockerfile",
		KindClusterName: gatewayClusterName,
	}
	gatewayImage, err := BuildAndLoadImageToKind(gatewayConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load Gateway image: %w", err)
	}

	// DataStorage image builds while PostgreSQL and Redis start.
	dsDone := make(chan error, 1)
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "datastorage",
			ImageName:       "datastorage",
			DockerfilePath:  "docker/data-storage.Dockerfile",
			KindClusterName: gatewayClusterName,
		}
		_, err := BuildAndLoadImageToKind(imageConfig, writer) // want `BuildAndLoadImageToKind is assigned to _.*\[discarded-image\]`
		dsDone <- err
	}()
	if err := deployPostgreSQLInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployRedisInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := <-dsDone; err != nil {
		return fmt.Errorf("failed to build/load DataStorage image: %w", err)
	}
	if err := applyDataStorageMigrations(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageToKind(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	if err := deployGatewayService(ctx, GatewayE2ENamespace, kubeconfigPath, gatewayImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Gateway: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, GatewayE2ENamespace, "gateway", 3*time.Minute, writer)
}

// SetupGatewayInfrastructureHybridWithCoverage builds every image before
// the cluster exists (hybrid pattern), then loads and deploys.
func SetupGatewayInfrastructureHybridWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupGatewayInfrastructureHybridWithCoverage:"build\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) save\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	gatewayImage := fmt.Sprintf("localhost/kubernaut-gateway:%s", generateServiceImageTag("gateway"))

	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	buildErrs := make(chan error, 2)
	go func() { buildErrs <- buildImage(gatewayImage, "docker/gateway-ubi9.Dockerfile", true, writer) }()
	go func() { buildErrs <- buildDataStorageImage(writer) }()
	for i := 0; i < 2; i++ {
		if err := <-buildErrs; err != nil {
			return fmt.Errorf("image build failed: %w", err)
		}
	}

	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, gatewayImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n🚀 PHASE 4: Deploying services in parallel...")
	deployResults := make(chan deployResult, 3)
	go func() {
		deployResults <- deployResult{"PostgreSQL", deployPostgreSQLInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer)}
	}()
	go func() {
		deployResults <- deployResult{"Redis", deployRedisInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, writer)}
	}()
	go func() {
		err := deployDataStorageServiceInNamespace(ctx, GatewayE2ENamespace, kubeconfigPath, GenerateInfraImageName("datastorage", "gateway"), writer) // want `GenerateInfraImageName called while deploying \(deployDataStorageServiceInNamespace\).*\[deploy-time-tag\]`
		deployResults <- deployResult{"DataStorage", err}
	}()
	for i := 0; i < 3; i++ {
		r := <-deployResults
		if r.err != nil {
			return fmt.Errorf("failed to deploy %s: %w", r.name, r.err)
		}
		fmt.Fprintf(writer, "  ✅ %s deployed\n", r.name)
	}
	if err := deployGatewayService(ctx, GatewayE2ENamespace, kubeconfigPath, gatewayImage, writer); err != nil {
		return fmt.Errorf("failed to deploy Gateway: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, GatewayE2ENamespace, "gateway", 3*time.Minute, writer)
}

// deployGatewayService deploys the Gateway running imageName.
func deployGatewayService(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Gateway (%s)...\n", imageName)
	manifest := fmt.Sprintf(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
  namespace: %[1]s
spec:
  replicas: 1
  selector:
    matchLabels:
      app: gateway
  template:
    metadata:
      labels:
        app: gateway
    spec:
      serviceAccountName: gateway
      containers:
      - name: gateway
        image: %[2]s
        imagePullPolicy: Never
        args: ["--config", "/etc/gateway/config.yaml"]
        ports:
        - containerPort: 8080
        env:
        - name: GOCOVERDIR
          value: /coverdata
---
apiVersion: v1
kind: Service
metadata:
  name: gateway
  namespace: %[1]s
spec:
  type: NodePort
  selector:
    app: gateway
  ports:
  - port: 8080
    nodePort: 30080
`, namespace, imageName)
	return applyManifest(ctx, kubeconfigPath, manifest, writer)
}

// deployDataStorageToKind deploys DataStorage for the Gateway suite from a
// static manifest.
func deployDataStorageToKind(ctx context.Context, namespace, kubeconfigPath string, writer io.Writer) error {
	fmt.Fprintln(writer, "  📦 Deploying Data Storage (Gateway audit)...")
	// want +35 `hardcoded image "datastorage:e2e-test" in manifest.*\[hardcoded-image\]`
	manifest := fmt.Sprintf(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: datastorage-config
  namespace: %[1]s
data:
  config.yaml: |
    server:
      port: 8080
    database:
      host: postgresql.%[1]s.svc.cluster.local
      port: 5432
      name: action_history
    redis:
      addr: redis.%[1]s.svc.cluster.local:6379
---
apiVersion: apps/v1
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
        image: datastorage:e2e-test
        imagePullPolicy: Never
        args: ["--config", "/etc/datastorage/config.yaml"]
        ports:
        - containerPort: 8080
        volumeMounts:
        - name: config
          mountPath: /etc/datastorage
      volumes:
      - name: config
        configMap:
          name: datastorage-config
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
`, namespace)
	if err := applyManifest(ctx, kubeconfigPath, manifest, writer); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "datastorage", 3*time.Minute, writer)
}
