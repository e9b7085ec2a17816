// Package retagafterload holds retag-after-load cases: a loaded image is
// re-tagged inside the Kind node (the "Phase 3.5" of the Dec 26 reports).
package retagafterload

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"

	"imagetaglint.test/e2e/kit"
)

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func loadDataStorageImage(clusterName string, writer io.Writer) error {
	cmd := exec.Command("kind", "load", "docker-image", "localhost/kubernaut-datastorage:e2e-test-datastorage", "--name", clusterName)
	cmd.Stdout, cmd.Stderr = writer, writer
	return cmd.Run()
}

func deployDataStorageServiceInNamespace(ctx context.Context, namespace, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "deploying %s to %s\n", imageName, namespace)
	return kit.Deploy(ctx, namespace, "datastorage", imageName)
}

// tagDataStorageImageInKind is the helper of the WorkflowExecution report.
func tagDataStorageImageInKind(clusterName, dynamicTag string, writer io.Writer) error {
	nodeName := clusterName + "-control-plane"
	sourceImage := "localhost/kubernaut-datastorage:e2e-test-datastorage"
	targetImage := dynamicTag

	// Use ctr (containerd CLI) to tag image INSIDE the Kind node
	tagCmd := exec.Command("podman", "exec", nodeName, // want `"podman exec ... ctr -n k8s.io images tag ... ..." re-tags an image inside the Kind node, so the suite tests a shared cached image; generate the tag before the build, then build and load with it \[retag-after-load\]`
		"ctr", "-n", "k8s.io", "images", "tag",
		sourceImage, targetImage)
	tagCmd.Stdout, tagCmd.Stderr = writer, writer
	return tagCmd.Run()
}

// SetupRemediationOrchestrator is the Phase 3.5 flow the Dec 26 audit
// rejects.
func SetupRemediationOrchestrator(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupRemediationOrchestrator:"load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) node-retag\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploys$"
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return err
	}
	dataStorageImageName := GenerateInfraImageName("datastorage", "remediationorchestrator")
	if err := tagDataStorageImageInKind(clusterName, dataStorageImageName, writer); err != nil { // want `tagDataStorageImageInKind re-tags an image inside the Kind node`
		return fmt.Errorf("failed to tag DataStorage image: %w", err)
	}
	return deployDataStorageServiceInNamespace(ctx, "ro-e2e", dataStorageImageName, writer)
}

func crictlThroughShell(ctx context.Context, node string) error {
	return exec.CommandContext(ctx, "docker", "exec", node, "sh", "-c", "crictl images && ctr -n k8s.io image tag localhost/a:1 localhost/a:2").Run() // want `re-tags an image inside the Kind node`
}

func hostRetagOfLoadedImage(clusterName string, writer io.Writer) error {
	if err := exec.Command("kind", "load", "docker-image", "localhost/kubernaut-gateway:e2e", "--name", clusterName).Run(); err != nil {
		return err
	}
	return exec.Command("podman", "tag", "localhost/kubernaut-gateway:e2e", "localhost/kubernaut-gateway:gateway-1").Run() // want `"podman tag localhost/kubernaut-gateway:e2e localhost/kubernaut-gateway:gateway-1" re-tags an image after it was loaded`
}

type E2EImageConfig struct{ ServiceName string }

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) {
	return "localhost/" + cfg.ServiceName + ":e2e", nil
}

func hostRetagOfProducedImage(writer io.Writer) error {
	image, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "notification"}, writer)
	if err != nil {
		return err
	}
	return exec.Command("docker", "tag", image, "localhost/notification:shared").Run() // want `"docker tag ... localhost/notification:shared" re-tags an image after it was loaded`
}

// Negatives.

// Tagging on the host before building and loading is how an image gets
// its generated name.
func tagBeforeLoad(clusterName string) error {
	if err := exec.Command("podman", "tag", "localhost/kubernaut-gateway:build", "localhost/kubernaut-gateway:e2e").Run(); err != nil {
		return err
	}
	return exec.Command("kind", "load", "docker-image", "localhost/kubernaut-gateway:e2e", "--name", clusterName).Run()
}

func listImagesInNode(node string) ([]byte, error) {
	return exec.Command("podman", "exec", node, "crictl", "images").Output()
}

func tagRelease(version string) error {
	return exec.Command("git", "tag", version).Run()
}
