package infrastructure

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// ToolsetNamespace is where the dynamic toolset suite runs.
const ToolsetNamespace = "toolset-e2e"

// SetupToolsetInfrastructure deploys the DataStorage image that
// BuildAndLoadImageToKind built and loaded, under the name it returned.
func SetupToolsetInfrastructure(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupToolsetInfrastructure:"p1:store deploy\\(\"postgres:16-alpine\"\\) deploy\\(\"quay\\.io/jordigilh/redis:7\"\\) deploys$"
	fmt.Fprintln(writer, "🚀 Toolset E2E infrastructure")

	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	if err := createTestNamespace(ctx, ToolsetNamespace, kubeconfigPath, writer); err != nil {
		return err
	}

	// Phase 1: build and load DataStorage
	dsConfig := E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: clusterName,
		EnableCoverage:  os.Getenv("E2E_COVERAGE") == "true",
	}
	dataStorageImage, err := BuildAndLoadImageToKind(dsConfig, writer)
	if err != nil {
		return fmt.Errorf("failed to build/load DataStorage image: %w", err)
	}
	fmt.Fprintf(writer, "  📛 DataStorage image: %s\n", dataStorageImage)

	// Phase 2: dependencies, then DataStorage with the image just loaded
	if err := deployPostgreSQLInNamespace(ctx, ToolsetNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployRedisInNamespace(ctx, ToolsetNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := applyDataStorageMigrations(ctx, ToolsetNamespace, kubeconfigPath, writer); err != nil {
		return err
	}
	if err := deployDataStorageServiceInNamespace(ctx, ToolsetNamespace, kubeconfigPath, dataStorageImage, writer); err != nil {
		return fmt.Errorf("failed to deploy DataStorage: %w", err)
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, ToolsetNamespace, "datastorage", 3*time.Minute, writer)
}
