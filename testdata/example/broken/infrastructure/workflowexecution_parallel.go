package infrastructure

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// SetupWorkflowExecutionInfrastructureParallel sets up the WorkflowExecution
// E2E environment with the independent steps running concurrently:
//
//	Phase 1 (sequential): Kind cluster + Tekton
//	Phase 2 (parallel):   WE controller image | DataStorage image | PostgreSQL+Redis
//	Phase 3 (sequential): migrations, DataStorage, controller
func SetupWorkflowExecutionInfrastructureParallel(ctx context.Context, clusterName, kubeconfigPath string, output io.Writer) error { // want SetupWorkflowExecutionInfrastructureParallel:"p1:store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploy\\(\"localhost/kubernaut-datastorage:latest\"\\) deploys$"
	start := time.Now()
	fmt.Fprintln(output, "🚀 WorkflowExecution E2E infrastructure (parallel)")

	fmt.Fprintln(output, "\n📦 PHASE 1: Kind cluster and Tekton")
	if err := CreateWorkflowExecutionCluster(ctx, clusterName, kubeconfigPath, output); err != nil {
		return err
	}

	fmt.Fprintln(output, "\n⚡ PHASE 2: images and databases in parallel")
	type phase2Result struct {
		name  string
		image string
		err   error
	}
	results := make(chan phase2Result, 3)
	var mu sync.Mutex // serialises progress output of the goroutines
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(output, format, args...)
	}

	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "workflowexecution",
			ImageName:       "workflowexecution-controller",
			DockerfilePath:  "docker/workflowexecution-controller.Dockerfile",
			KindClusterName: clusterName,
			EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
		}
		image, err := BuildAndLoadImageToKind(imageConfig, output)
		logf("  controller image: %s\n", image)
		results <- phase2Result{name: "WE controller", image: image, err: err}
	}()
	go func() {
		imageConfig := E2EImageConfig{
			ServiceName:     "datastorage",
			ImageName:       "datastorage",
			DockerfilePath:  "docker/data-storage.Dockerfile",
			KindClusterName: clusterName,
			EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
		}
		_, err := BuildAndLoadImageToKind(imageConfig, output) // want `BuildAndLoadImageToKind is assigned to _.*\[discarded-image\]`
		if err != nil {
			err = fmt.Errorf("DS image build+load failed: %w", err)
		}
		results <- phase2Result{name: "DataStorage image", err: err}
	}()
	go func() {
		var err error
		if err = deployPostgreSQLInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, output); err == nil {
			err = deployRedisInNamespace(ctx, WorkflowExecutionNamespace, kubeconfigPath, output)
		}
		results <- phase2Result{name: "PostgreSQL+Redis", err: err}
	}()

	var controllerImage string
	var failures []string
	for i := 0; i < 3; i++ {
		r := <-results
		if r.err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", r.name, r.err))
			continue
		}
		if r.image != "" {
			controllerImage = r.image
		}
		logf("  ✅ %s\n", r.name)
	}
	if len(failures) > 0 {
		return fmt.Errorf("phase 2 failed:\n  %s", strings.Join(failures, "\n  "))
	}

	fmt.Fprintln(output, "\n🚀 PHASE 3: DataStorage and controller")
	if err := applyDataStorageMigrations(ctx, WorkflowExecutionNamespace, kubeconfigPath, output); err != nil {
		return err
	}
	if err := deployDataStorageForWorkflowExecution(ctx, WorkflowExecutionNamespace, kubeconfigPath, output); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	if err := deployWorkflowExecutionController(ctx, WorkflowExecutionNamespace, kubeconfigPath, controllerImage, output); err != nil {
		return fmt.Errorf("failed to deploy controller: %w", err)
	}
	fmt.Fprintf(output, "\n✅ WorkflowExecution infrastructure ready in %s\n", time.Since(start).Round(time.Second))
	return nil
}
