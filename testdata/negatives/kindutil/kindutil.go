// Package kindutil holds the shared E2E helpers the negative test packages
// import: the producer, the generator, build and load helpers and kubectl
// wrappers. Nothing in negatives/ may be reported by imagetaglint.
package kindutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// E2EImageConfig describes an image BuildAndLoadImageToKind builds.
type E2EImageConfig struct {
	ServiceName     string
	ImageName       string
	DockerfilePath  string
	KindClusterName string
	EnableCoverage  bool
}

// BuildAndLoadImageToKind builds cfg with a unique tag, loads it into Kind
// and returns the image name to deploy.
func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:produced"
	tag := fmt.Sprintf("%s-%d", cfg.ServiceName, time.Now().UnixNano())
	image := fmt.Sprintf("localhost/kubernaut/%s:%s", cfg.ImageName, tag)
	if err := BuildImageWithTag(image, cfg.DockerfilePath, cfg.EnableCoverage, writer); err != nil {
		return "", err
	}
	if err := LoadImageWithTag(cfg.KindClusterName, image, writer); err != nil {
		return "", err
	}
	return image, nil
}

// GenerateInfraImageName returns a fresh name for shared infrastructure.
func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

// BuildImageWithTag builds image from dockerfile.
func BuildImageWithTag(image, dockerfile string, coverage bool, writer io.Writer) error { // want BuildImageWithTag:"p0:build"
	args := []string{"build", "-t", image, "-f", dockerfile}
	if coverage {
		args = append(args, "--build-arg", "GOFLAGS=-cover")
	}
	cmd := exec.Command("podman", append(args, ".")...)
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("podman build %s: %w", image, err)
	}
	return nil
}

// LoadImageWithTag loads image into the Kind cluster.
func LoadImageWithTag(clusterName, image string, writer io.Writer) error { // want LoadImageWithTag:"p1:load\\+escape"
	archive := filepath.Join(os.TempDir(), strings.NewReplacer("/", "_", ":", "_").Replace(image)+".tar")
	defer os.Remove(archive)
	save := exec.Command("podman", "save", "-o", archive, image)
	save.Stdout = writer
	save.Stderr = writer
	if err := save.Run(); err != nil {
		return fmt.Errorf("podman save %s: %w", image, err)
	}
	load := exec.Command("kind", "load", "image-archive", archive, "--name", clusterName)
	load.Stdout = writer
	load.Stderr = writer
	if err := load.Run(); err != nil {
		return fmt.Errorf("kind load %s: %w", image, err)
	}
	return nil
}

// Apply pipes a manifest to kubectl apply.
func Apply(ctx context.Context, kubeconfigPath, manifest string, writer io.Writer) error { // want Apply:"p2:escape"
	cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "apply", "-f", "-")
	cmd.Stdin = bytes.NewBufferString(manifest)
	cmd.Stdout = writer
	cmd.Stderr = writer
	return cmd.Run()
}

// ApplyObjects applies typed objects as a JSON list.
func ApplyObjects(ctx context.Context, kubeconfigPath string, writer io.Writer, objs ...any) error {
	data, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": objs})
	if err != nil {
		return err
	}
	return Apply(ctx, kubeconfigPath, string(data), writer)
}
