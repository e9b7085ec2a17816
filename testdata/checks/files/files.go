// Package files applies manifests that live in files of the module: the
// checks read them (bounded to the module) and report at the Go call that
// applies them, with the file and line in the message and as a related
// position.
package files

import (
	"context"
	"os/exec"
)

const image = "localhost/kubernaut/app:e2e"

func buildAndLoad(ctx context.Context, cluster string) error {
	if err := exec.CommandContext(ctx, "podman", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kind", "load", "docker-image", image, "--name", cluster).Run()
}

// The file deploys a mutable tag of the repository the suite builds.
func SetupMutableTag(ctx context.Context, cluster string) error { // want SetupMutableTag:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/app.yaml").Run() // want `kubectl apply deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
}

// A local image no step of the package builds, written in a file.
func SetupOther(ctx context.Context) error { // want SetupOther:"deploy\\(\"localhost/kubernaut/other:e2e\"\\) deploy\\(\"redis:7\"\\) deploys$"
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/other.yaml").Run() // want `hardcoded image "localhost/kubernaut/other:e2e" in testdata/other.yaml:8, applied by kubectl apply`
}

// Negatives.

// The file deploys the very constant the suite builds and loads: a file
// cannot name the Go constant.
func SetupConsistent(ctx context.Context, cluster string) error { // want SetupConsistent:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "testdata/consistent.yaml").Run()
}

// A kustomization rewrites the placeholder to the built image.
func SetupKustomize(ctx context.Context, cluster string) error { // want SetupKustomize:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-k", "testdata/overlay").Run()
}

// A release manifest from the internet deploys only its publisher's
// images.
func InstallCertManager(ctx context.Context) error { // want InstallCertManager:"deploys$"
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", "https://github.com/cert-manager/cert-manager/releases/download/v1.16.0/cert-manager.yaml").Run()
}
