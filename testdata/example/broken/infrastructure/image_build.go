// Package infrastructure sets up the Kind clusters, images and services the
// kubernaut E2E suites run against.
//
// This is the bundled BROKEN example of imagetaglint: a snapshot of the E2E
// infrastructure as it stood before the December 2025 image tag fixes (see
// the incident reports "Image Tag Mismatch Bug in E2E Infrastructure",
// "E2E DataStorage Image Tag Pattern Audit" and "WorkflowExecution E2E Image
// Tag Fix"). Each "want" expectation marks one finding of those reports.
package infrastructure

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// E2EImageConfig describes one service image that BuildAndLoadImageToKind
// builds with podman and loads into a Kind cluster.
type E2EImageConfig struct {
	ServiceName      string // "datastorage", "gateway", ... (used in the tag)
	ImageName        string // repository below localhost/kubernaut/, e.g. "datastorage"
	DockerfilePath   string // relative to the project root
	BuildContextPath string // defaults to the project root
	KindClusterName  string
	EnableCoverage   bool // build with GOFLAGS=-cover for E2E coverage
}

// BuildAndLoadImageToKind builds the image described by cfg with a unique,
// timestamp-based tag, loads it into the Kind cluster and returns the full
// image name. Callers MUST deploy the returned name: no other tag exists in
// the cluster.
func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:produced"
	projectRoot, err := findProjectRoot()
	if err != nil {
		return "", err
	}
	contextDir := cfg.BuildContextPath
	if contextDir == "" {
		contextDir = projectRoot
	}

	imageTag := generateServiceImageTag(cfg.ServiceName)
	fullImageName := fmt.Sprintf("localhost/kubernaut/%s:%s", cfg.ImageName, imageTag)
	fmt.Fprintf(writer, "🔨 Building %s image: %s\n", cfg.ServiceName, fullImageName)

	buildArgs := []string{"build", "-t", fullImageName, "-f", filepath.Join(projectRoot, cfg.DockerfilePath)}
	if cfg.EnableCoverage {
		buildArgs = append(buildArgs, "--build-arg", "GOFLAGS=-cover")
		fmt.Fprintln(writer, "   📊 Coverage instrumentation enabled (GOFLAGS=-cover)")
	}
	buildArgs = append(buildArgs, contextDir)
	buildCmd := exec.Command("podman", buildArgs...)
	buildCmd.Stdout = writer
	buildCmd.Stderr = writer
	if err := buildCmd.Run(); err != nil {
		return "", fmt.Errorf("failed to build %s image: %w", cfg.ServiceName, err)
	}

	archive := filepath.Join(os.TempDir(), fmt.Sprintf("%s-%s.tar", cfg.ServiceName, imageTag))
	defer os.Remove(archive)
	saveCmd := exec.Command("podman", "save", "-o", archive, fullImageName)
	saveCmd.Stdout = writer
	saveCmd.Stderr = writer
	if err := saveCmd.Run(); err != nil {
		return "", fmt.Errorf("failed to save %s image: %w", cfg.ServiceName, err)
	}

	fmt.Fprintf(writer, "📦 Loading %s image into Kind cluster %s...\n", cfg.ServiceName, cfg.KindClusterName)
	loadCmd := exec.Command("kind", "load", "image-archive", archive, "--name", cfg.KindClusterName)
	loadCmd.Stdout = writer
	loadCmd.Stderr = writer
	if err := loadCmd.Run(); err != nil {
		return "", fmt.Errorf("failed to load %s image into Kind: %w", cfg.ServiceName, err)
	}
	fmt.Fprintf(writer, "✅ %s image ready: %s\n", cfg.ServiceName, fullImageName)
	return fullImageName, nil
}

// generateServiceImageTag returns "<service>-<user>-<timestamp>", unique per
// build so that parallel suites never share an image.
func generateServiceImageTag(serviceName string) string {
	user := os.Getenv("USER")
	if user == "" {
		user = serviceName
	}
	return fmt.Sprintf("%s-%s-%d", serviceName, user, time.Now().Unix()%100000000)
}

// GenerateInfraImageName returns a fresh image name for shared
// infrastructure (DataStorage, HolmesGPT API) used by one consumer service,
// e.g. localhost/datastorage:workflowexecution-1a2b3c4d.
//
// Every call returns a DIFFERENT name (DD-TEST-001): call it once per setup.
func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s", infrastructure, generateInfrastructureImageTag(infrastructure, consumer))
}

func generateInfrastructureImageTag(infrastructure, consumer string) string {
	uuid := fmt.Sprintf("%x", time.Now().UnixNano())[:8]
	return fmt.Sprintf("%s-%s", consumer, uuid)
}

// buildDataStorageImage builds DataStorage with the shared fixed tag.
func buildDataStorageImage(writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	fmt.Fprintln(writer, "  🔨 Building Data Storage image (e2e-test-datastorage)...")
	buildCmd := exec.Command("podman", "build",
		"-t", "localhost/kubernaut-datastorage:e2e-test-datastorage",
		"-f", "docker/data-storage.Dockerfile",
		".")
	buildCmd.Dir = projectRoot
	buildCmd.Stdout = writer
	buildCmd.Stderr = writer
	if err := buildCmd.Run(); err != nil {
		return fmt.Errorf("failed to build Data Storage image: %w", err)
	}
	fmt.Fprintln(writer, "  ✅ Data Storage image built")
	return nil
}

// loadDataStorageImage loads the image built by buildDataStorageImage.
func loadDataStorageImage(clusterName string, writer io.Writer) error {
	archive := filepath.Join(os.TempDir(), "datastorage-e2e.tar")
	saveCmd := exec.Command("podman", "save",
		"localhost/kubernaut-datastorage:e2e-test-datastorage",
		"-o", archive)
	saveCmd.Stdout = writer
	saveCmd.Stderr = writer
	if err := saveCmd.Run(); err != nil {
		return fmt.Errorf("failed to save Data Storage image: %w", err)
	}
	defer os.Remove(archive)

	loadCmd := exec.Command("kind", "load", "image-archive", archive, "--name", clusterName)
	loadCmd.Stdout = writer
	loadCmd.Stderr = writer
	if err := loadCmd.Run(); err != nil {
		return fmt.Errorf("failed to load Data Storage image into Kind: %w", err)
	}
	fmt.Fprintln(writer, "  ✅ Data Storage image loaded")
	return nil
}

// buildDataStorageImageWithTag builds DataStorage as imageTag (a full image
// name from GenerateInfraImageName).
func buildDataStorageImageWithTag(imageTag string, writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	fmt.Fprintf(writer, "  🔨 Building Data Storage image %s...\n", imageTag)
	buildCmd := exec.Command("podman", "build", "-t", imageTag, "-f", "docker/data-storage.Dockerfile", ".")
	buildCmd.Dir = projectRoot
	buildCmd.Stdout = writer
	buildCmd.Stderr = writer
	if err := buildCmd.Run(); err != nil {
		return fmt.Errorf("failed to build Data Storage image %s: %w", imageTag, err)
	}
	return nil
}

// loadDataStorageImageWithTag loads the image built by
// buildDataStorageImageWithTag.
func loadDataStorageImageWithTag(clusterName, imageTag string, writer io.Writer) error {
	archive := filepath.Join(os.TempDir(), strings.NewReplacer("/", "-", ":", "-").Replace(imageTag)+".tar")
	saveCmd := exec.Command("podman", "save", "-o", archive, imageTag)
	saveCmd.Stdout = writer
	saveCmd.Stderr = writer
	if err := saveCmd.Run(); err != nil {
		return fmt.Errorf("failed to save %s: %w", imageTag, err)
	}
	defer os.Remove(archive)

	loadCmd := exec.Command("kind", "load", "image-archive", archive, "--name", clusterName)
	loadCmd.Stdout = writer
	loadCmd.Stderr = writer
	if err := loadCmd.Run(); err != nil {
		return fmt.Errorf("failed to load %s into Kind: %w", imageTag, err)
	}
	fmt.Fprintf(writer, "  ✅ Loaded %s\n", imageTag)
	return nil
}

// tagDataStorageImageInKind gives the shared e2e-test-datastorage image a
// second, per-service name inside the Kind node ("Phase 3.5").
//
// Dec 26 audit: this re-tags the SHARED cached image, so every service tests
// whatever DataStorage was built first. Obsolete: remove.
func tagDataStorageImageInKind(clusterName, dynamicTag string, writer io.Writer) error {
	nodeName := clusterName + "-control-plane"
	sourceImage := "localhost/kubernaut-datastorage:e2e-test-datastorage"
	targetImage := dynamicTag

	// Use ctr (containerd CLI) to tag image INSIDE the Kind node
	tagCmd := exec.Command("podman", "exec", nodeName, // want `re-tags .*\[retag-after-load\]`
		"ctr", "-n", "k8s.io", "images", "tag",
		sourceImage, targetImage)
	tagCmd.Stdout = writer
	tagCmd.Stderr = writer
	if err := tagCmd.Run(); err != nil {
		return fmt.Errorf("failed to tag %s as %s in %s: %w", sourceImage, targetImage, nodeName, err)
	}
	return nil
}

// findProjectRoot walks up from the working directory to the go.mod.
func findProjectRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above working directory")
		}
		dir = parent
	}
}

// buildImage builds imageName from dockerfile (relative to the project
// root), optionally with coverage instrumentation.
func buildImage(imageName, dockerfile string, enableCoverage bool, writer io.Writer) error {
	projectRoot, err := findProjectRoot()
	if err != nil {
		return err
	}
	args := []string{"build", "-t", imageName, "-f", filepath.Join(projectRoot, dockerfile)}
	if enableCoverage {
		args = append(args, "--build-arg", "GOFLAGS=-cover")
	}
	args = append(args, projectRoot)
	fmt.Fprintf(writer, "  🔨 podman %s\n", strings.Join(args, " "))
	cmd := exec.Command("podman", args...)
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("failed to build %s: %w", imageName, err)
	}
	return nil
}

// loadImage loads a locally built image into the Kind cluster.
func loadImage(clusterName, imageName string, writer io.Writer) error {
	archive := filepath.Join(os.TempDir(), strings.NewReplacer("/", "-", ":", "-").Replace(imageName)+".tar")
	defer os.Remove(archive)
	saveCmd := exec.Command("podman", "save", "-o", archive, imageName)
	saveCmd.Stdout = writer
	saveCmd.Stderr = writer
	if err := saveCmd.Run(); err != nil {
		return fmt.Errorf("failed to save %s: %w", imageName, err)
	}
	loadCmd := exec.Command("kind", "load", "image-archive", archive, "--name", clusterName)
	loadCmd.Stdout = writer
	loadCmd.Stderr = writer
	if err := loadCmd.Run(); err != nil {
		return fmt.Errorf("failed to load %s into Kind: %w", imageName, err)
	}
	fmt.Fprintf(writer, "  ✅ Loaded %s into %s\n", imageName, clusterName)
	return nil
}
