package infrastructure

import (
	"context"
	"fmt"
	"io"
	"time"
)

// SetupWorkflowExecutionInfrastructureHybrid is the hybrid setup as it was
// before the Dec 26 fix: build images first, then create the cluster, load
// and deploy.
func SetupWorkflowExecutionInfrastructureHybrid(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupWorkflowExecutionInfrastructureHybrid:"build\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) save\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	start := time.Now()
	controllerImage := fmt.Sprintf("localhost/kubernaut-workflowexecution:%s", generateServiceImageTag("workflowexecution"))

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 1: Build images in parallel (no cluster yet)
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	buildErrs := make(chan error, 2)
	go func() {
		buildErrs <- buildImage(controllerImage, "docker/workflowexecution-controller.Dockerfile", false, writer)
	}()
	go func() { buildErrs <- buildDataStorageImage(writer) }()
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
	// PHASE 3: Load images
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, controllerImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return err
	}
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	fmt.Fprintf(writer, "  📛 DataStorage image for this suite: %s\n", dataStorageImageName)

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 4: Deploy services in parallel
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
		// Per DD-TEST-001: dynamic DataStorage tag per consumer service
		dsImage := GenerateInfraImageName("datastorage", "workflowexecution") // want `GenerateInfraImageName called again for the same image.*line 50.*\[regenerated-tag\]`
		err := deployDataStorageServiceInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, dsImage, writer)
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

// SetupWorkflowExecutionInfrastructureHybridWithCoverage is the setup after
// the Dec 26 "fix" that adopted the RemediationOrchestrator Phase 3.5
// re-tagging; the audit of the same day rejected that pattern.
func SetupWorkflowExecutionInfrastructureHybridWithCoverage(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupWorkflowExecutionInfrastructureHybridWithCoverage:"build\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) save\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) node-retag\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	controllerImage := fmt.Sprintf("localhost/kubernaut-workflowexecution:%s", generateServiceImageTag("workflowexecution"))

	fmt.Fprintln(writer, "\n📦 PHASE 1: Building images in parallel...")
	buildErrs := make(chan error, 2)
	go func() {
		buildErrs <- buildImage(controllerImage, "docker/workflowexecution-controller.Dockerfile", true, writer)
	}()
	go func() { buildErrs <- buildDataStorageImage(writer) }()
	for i := 0; i < 2; i++ {
		if err := <-buildErrs; err != nil {
			return fmt.Errorf("image build failed: %w", err)
		}
	}

	fmt.Fprintln(writer, "\n☸️  PHASE 2: Creating Kind cluster...")
	if err := CreateWorkflowExecutionCluster(ctx, clusterName, kubeconfigPath, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "\n📥 PHASE 3: Loading images into Kind...")
	if err := loadImage(clusterName, controllerImage, writer); err != nil {
		return err
	}
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return err
	}

	// ═══════════════════════════════════════════════════════════════════
	// PHASE 3.5: Tag DataStorage image with dynamic name (prevents collisions)
	// ═══════════════════════════════════════════════════════════════════
	fmt.Fprintln(writer, "\n🏷️  Tagging DataStorage image with dynamic name...")
	// Generate DataStorage image name ONCE (non-idempotent, likely timestamp-based)
	// This prevents mismatches between loading and deployment phases
	// AND allows parallel E2E tests without image tag conflicts
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	fmt.Fprintf(writer, "  📛 DataStorage dynamic tag: %s\n", dataStorageImageName)

	if err := tagDataStorageImageInKind(clusterName, dataStorageImageName, writer); err != nil { // want `tagDataStorageImageInKind re-tags .*\[retag-after-load\]`
		return fmt.Errorf("failed to tag DataStorage image: %w", err)
	}
	fmt.Fprintf(writer, "  ✅ DataStorage tagged: %s\n", dataStorageImageName)

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
		// CRITICAL: Reuse the tag generated in Phase 3.5 (UUID-based, non-idempotent)
		// Per DD-TEST-001: Dynamic tags for parallel E2E isolation
		err := deployDataStorageServiceInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, dataStorageImageName, writer)
		deployResults <- deployResult{"DataStorage", err}
	}()
	go func() {
		err := deployWorkflowExecutionController(ctx, WorkflowExecutionNamespace, kubeconfigPath, controllerImage, writer)
		deployResults <- deployResult{"WorkflowExecution controller", err}
	}()
	for i := 0; i < 3; i++ {
		r := <-deployResults
		if r.err != nil {
			return fmt.Errorf("failed to deploy %s: %w", r.name, r.err)
		}
		fmt.Fprintf(writer, "  ✅ %s deployed\n", r.name)
	}
	return nil
}
