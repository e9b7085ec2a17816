package files

import (
	"context"
	"os"
	"os/exec"
)

// A custom resource of the module (testdata/crd declares Runner): the
// image keys of its spec are what its operator runs.

// The worker's image is a mutable tag of the repository the suite builds.
func SetupStaleRunner(ctx context.Context, cluster string) error { // want SetupStaleRunner:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/runner-stale.yaml").Run() // want `kubectl apply deploys "localhost/kubernaut/app:latest" \(testdata/runner-stale.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
}

// Negatives.

// Both image keys name the image built and loaded.
func SetupRunner(ctx context.Context, cluster string) error { // want SetupRunner:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/runner.yaml").Run()
}

// A resource of another project (no CRD of the module declares
// Prometheus), and a kind cluster's node image in a Go string: neither
// is an image this suite's operator runs.
const kindConfig = `
apiVersion: kind.x-k8s.io/v1alpha4
kind: Cluster
nodes:
- role: control-plane
  image: kindest/node:v1.31.0
`

func SetupClusterAndPrometheus(ctx context.Context, cluster string) error { // want SetupClusterAndPrometheus:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := os.WriteFile("kind.yaml", []byte(kindConfig), 0o644); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kind", "create", "cluster", "--name", cluster, "--config", "kind.yaml").Run(); err != nil {
		return err
	}
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/prometheus.yaml").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/runner.yaml").Run()
}
