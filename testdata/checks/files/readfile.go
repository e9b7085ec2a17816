package files

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

//go:embed testdata/app.yaml
var appManifest string

//go:embed testdata
var manifests embed.FS

//go:embed testdata/consistent.yaml
var consistentManifest []byte

//go:embed testdata/placeholder.yaml
var placeholderManifest string

// applyStdin applies a manifest held in memory.
func applyStdin(ctx context.Context, manifest []byte) error {
	cmd := exec.CommandContext(ctx, "kubectl", "apply", "-f", "-")
	cmd.Stdin = bytes.NewReader(manifest)
	return cmd.Run()
}

// A manifest read by a constant path deploys a mutable tag of the
// repository the suite builds.
func SetupReadFile(ctx context.Context, cluster string) error { // want SetupReadFile:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join("testdata", "app.yaml")) // want `os.ReadFile deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
	if err != nil {
		return err
	}
	return applyStdin(ctx, data)
}

// The same manifest, embedded.
func SetupEmbedded(ctx context.Context, cluster string) error { // want SetupEmbedded:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return applyStdin(ctx, []byte(appManifest)) // want `deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded`
}

// A local image no step of the package builds, in a file read by a
// method of an embed.FS.
func SetupOtherRead(ctx context.Context) error { // want SetupOtherRead:"deploy\\(\"localhost/kubernaut/other:e2e\"\\) deploy\\(\"redis:7\"\\) deploys$"
	data, err := manifests.ReadFile("testdata/other.yaml") // want `hardcoded image "localhost/kubernaut/other:e2e" in testdata/other.yaml:8, read by \(embed.FS\).ReadFile`
	if err != nil {
		return err
	}
	return applyStdin(ctx, data)
}

// Negatives.

// The embedded manifest deploys the image built and loaded.
func SetupEmbeddedConsistent(ctx context.Context, cluster string) error { // want SetupEmbeddedConsistent:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return applyStdin(ctx, consistentManifest)
}

// The placeholder is replaced by the built image before applying.
func SetupReplaced(ctx context.Context, cluster string) error { // want SetupReplaced:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	return applyStdin(ctx, []byte(strings.ReplaceAll(placeholderManifest, "localhost/kubernaut/app:placeholder", image)))
}

// The file is read, then its placeholder replaced.
func SetupReadReplaced(ctx context.Context, cluster string) error { // want SetupReadReplaced:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/placeholder.yaml")
	if err != nil {
		return err
	}
	return applyStdin(ctx, bytes.ReplaceAll(data, []byte("localhost/kubernaut/app:placeholder"), []byte(image)))
}

// The file (JSON, which is YAML too) is decoded and its container's image
// set to the built one.
func SetupDecoded(ctx context.Context, cluster string) error { // want SetupDecoded:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys$"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	data, err := os.ReadFile("testdata/pod.yaml")
	if err != nil {
		return err
	}
	var pod corev1.Pod
	if err := json.Unmarshal(data, &pod); err != nil {
		return err
	}
	pod.Spec.Containers[0].Image = image
	out, err := json.Marshal(&pod)
	if err != nil {
		return err
	}
	return applyStdin(ctx, out)
}

// Files that are no manifests: other extensions, missing, no containers.
func readOthers() ([]byte, error) {
	if _, err := os.ReadFile("testdata/Dockerfile"); err != nil {
		return nil, err
	}
	if _, err := os.ReadFile("testdata/missing.yaml"); err != nil {
		return nil, err
	}
	return os.ReadFile("testdata/base/kustomization.yaml")
}
