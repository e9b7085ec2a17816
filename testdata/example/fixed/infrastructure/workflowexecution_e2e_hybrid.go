package infrastructure

import (
	"context"
	"fmt"
	"io"
	"time"
)

// SetupWorkflowExecutionInfrastructureHybrid builds images first, then
// creates the cluster, loads and deploys. The DataStorage image name is
// generated ONCE in Phase 0 and reused by build, load and deploy.
func SetupWorkflowExecutionInfrastructureHybrid(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupWorkflowExecutionInfrastructureHybrid:"deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	return setupWorkflowExecutionHybrid(ctx, clusterName, kubeconfigPath, false, writer)
}

// SetupWorkflowExecutionInfrastructureHybridWithCoverage is the same setup
// with a coverage-instrumented controller.
func SetupWorkflowExecutionInfrastructureHybridWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupWorkflowExecutionInfrastructureHybridWithCoverage:"deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	return setupWorkflowExecutionHybrid(ctx, clusterName, kubeconfigPath, true, writer)
}

func setupWorkflowExecutionHybrid(ctx context.Context, clusterName, kubeconfigPath string, coverage bool, writer io.Writer) error {
	start := time.Now()
	controllerImage := fmt.Sprintf("localhost/kubernaut-workflowexecution:%s", generateServiceImageTag("workflowexecution"))

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 0: Generate the DataStorage image name ONCE (before any build)
	// ═══════════════════════════════════════════════════════════════════
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	fmt.Fprintf(writer, "📛 DataStorage image: %s\n", dataStorageImageName)

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 1: Build images in parallel (no cluster yet)
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	buildErrs := make(chan error, 2)
	go func() {
		buildErrs <- buildImage(controllerImage, "docker/workflowexecution-controller.Dockerfile", coverage, writer)
	}()
	go func() { buildErrs <- buildDataStorageImageWithTag(dataStorageImageName, writer) }()
	for i := 0; i < 2; i++ {
		if err := <-buildErrs; err != nil {
			return fmt.Errorf("image build failed: %w", err)
		}
	}

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 2: Kind cluster + Tekton
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := CreateWorkflowExecutionCluster(ctx, clusterName, kubeconfigPath, writer); err != nil {
		return err
	}

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 3: Load the SAME images
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, controllerImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImageWithTag(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 4: Deploy services in parallel with the SAME names
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n🚀 PHASE 4: Deploying services in parallel...")
	deployResults := make(chan deployResult, 3)
	go func() {
		err := deployPostgreSQLInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, writer)
		if err == nil {
			err = deployRedisInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, writer)
		}
		deployResults <- deployResult{"PostgreSQL+Redis", err}
	}()
	go func() {
		// Reuse the Phase 0 name: it is the image that was built and loaded
		err := deployDataStorageServiceInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, dataStorageImageName, writer)
		deployResults <- deployResult{"DataStorage", err}
	}()
	go func() {
		err := deployWorkflowExecutionController(ctx, WorkflowExecutionNamespace, kubeconfigPath, controllerImage, writer)
		deployResults <- deployResult{"WorkflowExecution controller", err}
	}()
	var failed []string
	for i := 0; i < 3; i++ {
		r := <-deployResults
		if r.err != nil {
			fmt.Fprintf(writer, "  ❌ %s: %v\n", r.name, r.err)
			failed = append(failed, r.name)
			continue
		}
		fmt.Fprintf(writer, "  ✅ %s deployed\n", r.name)
	}
	if len(failed) > 0 {
		return fmt.Errorf("deployments failed: %v", failed)
	}
	fmt.Fprintf(writer, "\n✅ Infrastructure ready in %s (DataStorage %s)\n", time.Since(start).Round(time.Second), dataStorageImageName)
	return nil
}
