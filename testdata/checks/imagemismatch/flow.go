// Package imagemismatch holds image-mismatch cases: the image a setup flow
// deploys is not the one it built and loaded.
package imagemismatch

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"imagetaglint.test/e2e/kit"
)

type E2EImageConfig struct {
	ServiceName    string
	ImageName      string
	DockerfilePath string
}

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", cfg.ImageName, cfg.ServiceName, time.Now().UnixNano()), nil
}

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func buildImage(image, dockerfile string, writer io.Writer) error {
	cmd := exec.Command("podman", "build", "-t", image, "-f", dockerfile, ".")
	cmd.Stdout, cmd.Stderr = writer, writer
	return cmd.Run()
}

func loadImage(clusterName, image string, writer io.Writer) error {
	cmd := exec.Command("kind", "load", "docker-image", image, "--name", clusterName)
	cmd.Stdout, cmd.Stderr = writer, writer
	return cmd.Run()
}

func deployService(ctx context.Context, namespace, name, image string, writer io.Writer) error {
	fmt.Fprintf(writer, "deploying %s (%s) into %s\n", name, image, namespace)
	return kit.Deploy(ctx, namespace, name, image)
}

func SetupAIAnalysis(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupAIAnalysis:"build\\(\"localhost/kubernaut-holmesgpt-api:e2e\"\\) load\\(\"localhost/kubernaut-holmesgpt-api:e2e\"\\) deploy\\(\"localhost/holmesgpt-api:e2e\"\\) deploys$"
	if err := buildImage("localhost/kubernaut-holmesgpt-api:e2e", "holmesgpt-api/Dockerfile", writer); err != nil {
		return err
	}
	if err := loadImage(clusterName, "localhost/kubernaut-holmesgpt-api:e2e", writer); err != nil {
		return err
	}
	return deployService(ctx, "aianalysis-e2e", "holmesgpt-api", "localhost/holmesgpt-api:e2e", writer) // want `deployed image "localhost/holmesgpt-api:e2e" is not the image built and loaded here \("localhost/kubernaut-holmesgpt-api:e2e"\) \[image-mismatch\]`
}

func SetupToolset(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupToolset:"build\\(\"localhost/kubernaut-toolset:e2e-test\"\\) load\\(\"localhost/kubernaut-toolset:e2e-test\"\\) deploy\\(\"localhost/kubernaut-toolset:latest\"\\) deploys$"
	const built = "localhost/kubernaut-toolset:e2e-test"
	if err := buildImage(built, "toolset/Dockerfile", writer); err != nil {
		return err
	}
	if err := loadImage(clusterName, built, writer); err != nil {
		return err
	}
	return deployService(ctx, "toolset-e2e", "toolset", "localhost/kubernaut-toolset:latest", writer) // want `deployed image "localhost/kubernaut-toolset:latest" is not the image built and loaded here \("localhost/kubernaut-toolset:e2e-test"\)`
}

// SetupNotificationDecoy deploys a freshly generated tag while the builder
// computed, and the caller dropped, its own.
func SetupNotificationDecoy(ctx context.Context, writer io.Writer) error { // want SetupNotificationDecoy:"deploys$"
	imageName := GenerateInfraImageName("datastorage", "notification")
	fmt.Fprintf(writer, "DataStorage image: %s\n", imageName)
	_, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "notification", ImageName: "kubernaut/datastorage"}, writer) // want `BuildAndLoadImageToKind is assigned to _`
	if err != nil {
		return err
	}
	return deployService(ctx, "notification-e2e", "datastorage", imageName, writer) // want `deployed image comes from GenerateInfraImageName \(line 72\), which never reached a build or load`
}

type buildResult struct {
	service string
	image   string
	err     error
}

// SetupGatewayParallel loses the built image between goroutines: the
// result struct carries the image, but the deploy uses a constant.
func SetupGatewayParallel(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupGatewayParallel:"build\\(\"localhost/kubernaut-gateway:e2e\"\\) load\\(\"localhost/kubernaut-gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:e2e\"\\) deploys$"
	results := make(chan buildResult, 1)
	go func() {
		err := buildImage("localhost/kubernaut-gateway:e2e", "gateway/Dockerfile", writer)
		if err == nil {
			err = loadImage(clusterName, "localhost/kubernaut-gateway:e2e", writer)
		}
		results <- buildResult{service: "gateway", image: "localhost/kubernaut-gateway:e2e", err: err}
	}()
	r := <-results
	if r.err != nil {
		return r.err
	}
	return deployService(ctx, "gateway-e2e", "gateway", "localhost/kubernaut/gateway:e2e", writer) // want `deployed image "localhost/kubernaut/gateway:e2e" is not the image built and loaded here`
}

// Negatives.

// The same value travels through a result struct on a channel, a map keyed
// by service name and the usual normalisations.
func SetupSignalProcessing(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupSignalProcessing:"deploys opaque"
	images := map[string]string{}
	results := make(chan buildResult, 2)
	for _, svc := range []string{"signalprocessing", "datastorage"} {
		go func(svc string) {
			image, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "signalprocessing", ImageName: "kubernaut/" + svc}, writer)
			results <- buildResult{service: svc, image: image, err: err}
		}(svc)
	}
	for range 2 {
		r := <-results
		if r.err != nil {
			return r.err
		}
		images[r.service] = r.image
	}
	dataStorage := strings.TrimPrefix(images["datastorage"], "localhost/")
	if err := deployService(ctx, "sp-e2e", "datastorage", fmt.Sprintf("localhost/%s", dataStorage), writer); err != nil {
		return err
	}
	return deployService(ctx, "sp-e2e", "signalprocessing", images["signalprocessing"], writer)
}

// SetupWorkflowExecution is the audit's correct flow.
func SetupWorkflowExecution(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupWorkflowExecution:"deploys$"
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	if err := buildImage(dataStorageImageName, "datastorage/Dockerfile", writer); err != nil {
		return err
	}
	if err := loadImage(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}
	return deployService(ctx, "we-e2e", "datastorage", dataStorageImageName, writer)
}

// Built without a tag is built as :latest.
func SetupUntagged(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupUntagged:"build\\(\"localhost/kubernaut-mock-llm\"\\) deploy\\(\"localhost/kubernaut-mock-llm:latest\"\\) deploy\\(\"localhost/kubernaut-mock-llm:e2e\"\\) deploys$"
	if err := buildImage("localhost/kubernaut-mock-llm", "mock-llm/Dockerfile", writer); err != nil {
		return err
	}
	if err := deployService(ctx, "mock-e2e", "mock-llm", "localhost/kubernaut-mock-llm:latest", writer); err != nil { // want `"localhost/kubernaut-mock-llm" is built on the host and deployed by deployService, but nothing loads it.*\[unloaded-image\]`
		return err
	}
	return deployService(ctx, "mock-e2e", "mock-llm", "localhost/kubernaut-mock-llm:e2e", writer) // want `deployed image "localhost/kubernaut-mock-llm:e2e" is not the image built and loaded here \("localhost/kubernaut-mock-llm"\)`
}

// Constants that match, and constants unrelated to anything built here.
func SetupMatching(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupMatching:"build\\(\"localhost/kubernaut-effectiveness:e2e\"\\) load\\(\"kubernaut-effectiveness:e2e\"\\) deploy\\(\"kubernaut-effectiveness:e2e\"\\) deploy\\(\"postgres:16-alpine\"\\) deploys$"
	if err := buildImage("localhost/kubernaut-effectiveness:e2e", "Dockerfile", writer); err != nil {
		return err
	}
	if err := loadImage(clusterName, "kubernaut-effectiveness:e2e", writer); err != nil {
		return err
	}
	if err := deployService(ctx, "em-e2e", "effectiveness", "kubernaut-effectiveness:e2e", writer); err != nil {
		return err
	}
	return deployService(ctx, "em-e2e", "postgres", "postgres:16-alpine", writer)
}

// The image comes from the environment: its origin is unknown.
func SetupFromEnvironment(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupFromEnvironment:"deploys opaque"
	image := os.Getenv("GATEWAY_IMAGE")
	if err := loadImage(clusterName, image, writer); err != nil {
		return err
	}
	return deployService(ctx, "gateway-e2e", "gateway", strings.ReplaceAll(image, "docker.io/", "localhost/"), writer)
}

// The generated tag reaches the builder through its config.
func SetupThroughConfig(ctx context.Context, writer io.Writer) error { // want SetupThroughConfig:"deploys$"
	tag := GenerateInfraImageName("datastorage", "remediationorchestrator")
	image, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "ro", ImageName: tag}, writer)
	if err != nil {
		return err
	}
	return deployService(ctx, "ro-e2e", "datastorage", image, writer)
}
