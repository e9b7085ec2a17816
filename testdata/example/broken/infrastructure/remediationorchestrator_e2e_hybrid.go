package infrastructure

import (
	"context"
	"fmt"
	"io"
	"time"
)

// ROControllerNamespace is where the RemediationOrchestrator runs in E2E.
const ROControllerNamespace = "kubernaut-system"

// SetupROInfrastructureHybridWithCoverage sets up the RemediationOrchestrator
// E2E environment with the hybrid pattern: build → cluster → load → deploy.
func SetupROInfrastructureHybridWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupROInfrastructureHybridWithCoverage:"build\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) save\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) node-retag\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	start := time.Now()
	roImage := fmt.Sprintf("localhost/kubernaut-remediationorchestrator:%s", generateServiceImageTag("remediationorchestrator"))

	// PHASE 1: Build images in parallel
	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	type imageBuild struct {
		name string
		err  error
	}
	builds := make(chan imageBuild, 2)
	go func() {
		builds <- imageBuild{"RemediationOrchestrator", buildImage(roImage, "docker/remediationorchestrator-controller.Dockerfile", true, writer)}
	}()
	go func() {
		builds <- imageBuild{"DataStorage", buildDataStorageImage(writer)}
	}()
	for i := 0; i < 2; i++ {
		b := <-builds
		if b.err != nil {
			return fmt.Errorf("failed to build %s image: %w", b.name, b.err)
		}
		fmt.Fprintf(writer, "  ✅ %s image built\n", b.name)
	}

	// PHASE 2: Create Kind cluster
	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, ROControllerNamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	// PHASE 3: Load images
	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	dataStorageImageName := GenerateInfraImageName("datastorage", "remediationorchestrator")
	if err := loadImage(clusterName, roImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return fmt.Errorf("failed to load DataStorage image: %w", err)
	}

	// Phase 3.5: Tag DataStorage image with dynamic name (prevents collisions)
	fmt.Fprintf(writer, "  🏷️  Tagging DataStorage image as %s\n", dataStorageImageName)
	if err := tagDataStorageImageInKind(clusterName, dataStorageImageName, writer); err != nil { // want `tagDataStorageImageInKind re-tags .*\[retag-after-load\]`
		return fmt.Errorf("failed to tag DataStorage image: %w", err)
	}

	// PHASE 4: Deploy with the SAME dynamic tag
	fmt.Fprintln(writer, "\n🚀 PHASE 4: Deploying services...")
	if err := deployPostgreSQLInNamespace(ctx, ROControllerNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployRedisInNamespace(ctx, ROControllerNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := applyDataStorageMigrations(ctx, ROControllerNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	dsErr := make(chan error, 1)
	go func() {
		err := deployDataStorageServiceInNamespace(ctx, ROControllerNamespace, kubeconfigPath, dataStorageImageName, writer)
		if err == nil {
			err = waitForDeploymentReady(ctx, kubeconfigPath, ROControllerNamespace, "datastorage", 3*time.Minute, writer)
		}
		dsErr <- err
	}()
	if err := deployROController(ctx, ROControllerNamespace, kubeconfigPath, roImage, writer); err != nil {
		return fmt.Errorf("failed to deploy RemediationOrchestrator: %w", err)
	}
	if err := <-dsErr; err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	fmt.Fprintf(writer, "\n✅ RemediationOrchestrator infrastructure ready in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// deployROController deploys the RemediationOrchestrator running imageName.
func deployROController(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying RemediationOrchestrator (%s)...\n", imageName)
	manifest := fmt.Sprintf(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: remediationorchestrator-controller
  namespace: %s
spec:
  replicas: 1
  selector:
    matchLabels:
      app: remediationorchestrator-controller
  template:
    metadata:
      labels:
        app: remediationorchestrator-controller
    spec:
      containers:
      - name: manager
        image: %s
        imagePullPolicy: Never
        args:
        - --leader-elect=false
        env:
        - name: GOCOVERDIR
          value: /coverdata
`, namespace, imageName)
	if err := applyManifest(ctx, kubeconfigPath, manifest, writer); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "remediationorchestrator-controller", 2*time.Minute, writer)
}
