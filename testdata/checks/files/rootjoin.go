package files

import (
	"context"
	"os"
	"path/filepath"
)

// A path joined from a run-time root and constant elements is the
// module's one file ending in them.
func SetupFromRoot(ctx context.Context, cluster string) error { // want SetupFromRoot:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	root := os.Getenv("REPO_ROOT")
	data, err := os.ReadFile(filepath.Join(root, "testdata", "app.yaml")) // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded`
	if err != nil {
		return err
	}
	return applyStdin(ctx, data)
}

// Negative: several files of the module end in deployment.yaml: which
// one is read is not known.
func SetupFromRootAmbiguous(ctx context.Context, cluster string) error { // want SetupFromRootAmbiguous:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\)$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(os.Getenv("REPO_ROOT"), "deployment.yaml"))
	if err != nil {
		return err
	}
	return applyStdin(ctx, data)
}
