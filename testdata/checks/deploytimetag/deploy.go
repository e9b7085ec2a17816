// Package deploytimetag holds deploy-time-tag cases: the tag generator is
// called while deploying, so the deployed tag was never built or loaded.
package deploytimetag

import (
	"context"
	"fmt"
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"

	"imagetaglint.test/e2e/kit"
)

// GenerateInfraImageName is the default generator: time-based, so every
// call yields a different name.
func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	uuid := fmt.Sprintf("%x", time.Now().UnixNano())[:8]
	return fmt.Sprintf("localhost/%s:%s-%s", infrastructure, consumer, uuid)
}

func buildDataStorageImage(writer io.Writer) error {
	return kit.Build("localhost/kubernaut-datastorage:e2e-test-datastorage", writer)
}

func loadDataStorageImage(clusterName string, writer io.Writer) error {
	return kit.Load(clusterName, "localhost/kubernaut-datastorage:e2e-test-datastorage", writer)
}

func deployDataStorageServiceInNamespace(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	container := corev1.Container{Name: "datastorage", Image: imageName, ImagePullPolicy: corev1.PullNever}
	fmt.Fprintf(writer, "deploying %s to %s (%s)\n", container.Image, namespace, kubeconfigPath)
	return kit.Apply(ctx, container)
}

// SetupGatewayInfrastructure is the Gateway flow of the Dec 26 audit.
func SetupGatewayInfrastructure(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupGatewayInfrastructure:"build\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) load\\(\"localhost/kubernaut-datastorage:e2e-test-datastorage\"\\) deploys$"
	if err := buildDataStorageImage(writer); err != nil {
		return fmt.Errorf("phase 1: %w", err)
	}
	if err := loadDataStorageImage(clusterName, writer); err != nil {
		return fmt.Errorf("phase 3: %w", err)
	}
	// Phase 4: the tag is generated here, so it was never built.
	return deployDataStorageServiceInNamespace(ctx, "gateway-e2e", kubeconfigPath, GenerateInfraImageName("datastorage", "gateway"), writer) // want `GenerateInfraImageName called while deploying \(deployDataStorageServiceInNamespace\) makes a tag that was never built or loaded; generate it once before the build and pass that value \[deploy-time-tag\]`
}

func nestedInSprintf(ctx context.Context, kubeconfigPath string, writer io.Writer) error {
	return deployDataStorageServiceInNamespace(ctx, "sp-e2e", kubeconfigPath,
		fmt.Sprintf("localhost/%s", GenerateInfraImageName("datastorage", "signalprocessing")), writer) // want `GenerateInfraImageName called while deploying \(deployDataStorageServiceInNamespace\)`
}

func asContainerImage() corev1.Container {
	return corev1.Container{Name: "datastorage", Image: GenerateInfraImageName("datastorage", "aianalysis")} // want `GenerateInfraImageName called while deploying \(container spec\)`
}

func deployWithTag(ctx context.Context, namespace, tag string, writer io.Writer) error {
	return deployDataStorageServiceInNamespace(ctx, namespace, "", tag, writer)
}

func viaFuncValue(ctx context.Context, writer io.Writer) error {
	gen := GenerateInfraImageName
	return deployWithTag(ctx, "ro-e2e", gen("datastorage", "remediationorchestrator"), writer) // want `GenerateInfraImageName called while deploying \(deployWithTag\)`
}

// Negatives.

// SetupWorkflowExecution generates the tag once, before the build, and
// passes that value everywhere.
func SetupWorkflowExecution(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want SetupWorkflowExecution:"deploys$"
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	if err := buildDataStorageImageWithTag(dataStorageImageName, writer); err != nil {
		return err
	}
	if err := loadDataStorageImageWithTag(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}
	return deployDataStorageServiceInNamespace(ctx, "we-e2e", kubeconfigPath, dataStorageImageName, writer)
}

func buildDataStorageImageWithTag(imageName string, writer io.Writer) error {
	return kit.Build(imageName, writer)
}

func loadDataStorageImageWithTag(clusterName, imageName string, writer io.Writer) error {
	return kit.Load(clusterName, imageName, writer)
}

func generatedInAClosureThatBuilds(ctx context.Context, writer io.Writer) error {
	return deployWith(ctx, func() string {
		name := GenerateInfraImageName("datastorage", "toolset")
		_ = buildDataStorageImageWithTag(name, writer)
		return name
	})
}

// deployWith calls build before deploying: a function literal argument is
// not evaluated at deploy time.
func deployWith(ctx context.Context, build func() string) error {
	image := build()
	return deployDataStorageServiceInNamespace(ctx, "toolset-e2e", "", image, io.Discard)
}

func generatedForLogging(writer io.Writer) {
	fmt.Fprintf(writer, "example tag: %s\n", GenerateInfraImageName("datastorage", "docs"))
}
