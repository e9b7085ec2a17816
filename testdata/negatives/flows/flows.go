package flows

import (
	"context"
	"fmt"
	"io"
	"strings"

	"imagetaglint.test/e2e/negatives/kindutil"
)

func dsConfig(cluster string) kindutil.E2EImageConfig {
	return kindutil.E2EImageConfig{
		ServiceName:     "datastorage",
		ImageName:       "datastorage",
		DockerfilePath:  "docker/data-storage.Dockerfile",
		KindClusterName: cluster,
	}
}

// boundVariable: the returned image is bound and passed on.
func boundVariable(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	image, err := kindutil.BuildAndLoadImageToKind(dsConfig(cluster), w)
	if err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "ds", "datastorage", image, w)
}

// suiteImages carries images between setup phases.
type suiteImages struct {
	DataStorage string
	Gateway     string
}

// structField: the image travels in a struct field.
func structField(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	var images suiteImages
	var err error
	if images.DataStorage, err = kindutil.BuildAndLoadImageToKind(dsConfig(cluster), w); err != nil {
		return err
	}
	gw := kindutil.E2EImageConfig{ServiceName: "gateway", ImageName: "gateway", DockerfilePath: "docker/gateway.Dockerfile", KindClusterName: cluster}
	if images.Gateway, err = kindutil.BuildAndLoadImageToKind(gw, w); err != nil {
		return err
	}
	if err := deployService(ctx, kubeconfig, "gw", "datastorage", images.DataStorage, w); err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "gw", "gateway", images.Gateway, w)
}

type buildResult struct {
	service string
	image   string
	err     error
}

// channelResults: goroutines send result structs on a channel.
func channelResults(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	configs := []kindutil.E2EImageConfig{
		dsConfig(cluster),
		{ServiceName: "notification", ImageName: "notification", DockerfilePath: "docker/notification.Dockerfile", KindClusterName: cluster},
	}
	results := make(chan buildResult, len(configs))
	for _, cfg := range configs {
		go func(cfg kindutil.E2EImageConfig) {
			image, err := kindutil.BuildAndLoadImageToKind(cfg, w)
			results <- buildResult{service: cfg.ServiceName, image: image, err: err}
		}(cfg)
	}
	for range configs {
		r := <-results
		if r.err != nil {
			return fmt.Errorf("%s: %w", r.service, r.err)
		}
		if err := deployService(ctx, kubeconfig, "notif", r.service, r.image, w); err != nil {
			return err
		}
	}
	return nil
}

// mapByService: images are kept in a map keyed by service name.
func mapByService(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	images := map[string]string{}
	img, err := kindutil.BuildAndLoadImageToKind(dsConfig(cluster), w)
	if err != nil {
		return err
	}
	images["datastorage"] = img
	fmt.Fprintf(w, "images: %v\n", images)
	return deployService(ctx, kubeconfig, "ro", "datastorage", images["datastorage"], w)
}

// trimPrefix: Kind sees localhost/x:t and x:t as the same image.
func trimPrefix(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	img, err := kindutil.BuildAndLoadImageToKind(dsConfig(cluster), w)
	if err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "sp", "datastorage", strings.TrimPrefix(img, "localhost/"), w)
}

// sprintfRegistry: the same tag variable names the built, loaded and
// deployed image.
func sprintfRegistry(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	tag := fmt.Sprintf("kubernaut-holmesgpt-api:e2e-%s", cluster)
	if err := kindutil.BuildImageWithTag(fmt.Sprintf("localhost/%s", tag), "holmesgpt-api/Dockerfile", false, w); err != nil {
		return err
	}
	if err := kindutil.LoadImageWithTag(cluster, fmt.Sprintf("localhost/%s", tag), w); err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "aa", "holmesgpt-api", fmt.Sprintf("localhost/%s", tag), w)
}

// generateOnce: the audit's pattern, Phase 0 → build → load → deploy.
func generateOnce(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	dataStorageImageName := kindutil.GenerateInfraImageName("datastorage", "workflowexecution")
	if err := kindutil.BuildImageWithTag(dataStorageImageName, "docker/data-storage.Dockerfile", true, w); err != nil {
		return err
	}
	if err := kindutil.LoadImageWithTag(cluster, dataStorageImageName, w); err != nil {
		return err
	}
	errs := make(chan error, 1)
	go func() {
		errs <- deployService(ctx, kubeconfig, "we", "datastorage", dataStorageImageName, w)
	}()
	return <-errs
}

// twoGeneratedImages: one generator call per DIFFERENT image.
func twoGeneratedImages(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	dsImage := kindutil.GenerateInfraImageName("datastorage", "aianalysis")
	hapiImage := kindutil.GenerateInfraImageName("holmesgpt-api", "aianalysis")
	for _, b := range []struct{ image, dockerfile string }{
		{dsImage, "docker/data-storage.Dockerfile"},
		{hapiImage, "holmesgpt-api/Dockerfile"},
	} {
		if err := kindutil.BuildImageWithTag(b.image, b.dockerfile, false, w); err != nil {
			return err
		}
	}
	if err := kindutil.LoadImageWithTag(cluster, dsImage, w); err != nil {
		return err
	}
	if err := kindutil.LoadImageWithTag(cluster, hapiImage, w); err != nil {
		return err
	}
	if err := deployService(ctx, kubeconfig, "aa", "datastorage", dsImage, w); err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "aa", "holmesgpt-api", hapiImage, w)
}

// buildDataStorage wraps the producer; its callers use what it returns.
func buildDataStorage(cluster string, w io.Writer) (string, error) {
	return kindutil.BuildAndLoadImageToKind(dsConfig(cluster), w)
}

// wrappedProducer: the result of a producer wrapper is used.
func wrappedProducer(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	image, err := buildDataStorage(cluster, w)
	if err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "toolset", "datastorage", image, w)
}

// constantEverywhere: one constant names the built, loaded and deployed image.
func constantEverywhere(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	const mockLLMImage = "localhost/kubernaut-mock-llm:e2e"
	if err := kindutil.BuildImageWithTag(mockLLMImage, "test/mock-llm/Dockerfile", false, w); err != nil {
		return err
	}
	if err := kindutil.LoadImageWithTag(cluster, mockLLMImage, w); err != nil {
		return err
	}
	return deployService(ctx, kubeconfig, "aa", "mock-llm", mockLLMImage, w)
}

// ephemeralDebug: a locally built debug image reaches an ephemeral container.
func ephemeralDebug(ctx context.Context, cluster, kubeconfig string, w io.Writer) error {
	cfg := kindutil.E2EImageConfig{ServiceName: "debug", ImageName: "debug-tools", DockerfilePath: "test/debug/Dockerfile", KindClusterName: cluster}
	debugImage, err := kindutil.BuildAndLoadImageToKind(cfg, w)
	if err != nil {
		return err
	}
	return deployDebugContainer(ctx, kubeconfig, "ds", "datastorage-0", debugImage, w)
}

// Setup runs every flow, so that none is unused.
func Setup(ctx context.Context, cluster, kubeconfig string, w io.Writer) error { // want Setup:"p1:escape p2:escape"
	for _, step := range []func(context.Context, string, string, io.Writer) error{
		boundVariable, structField, channelResults, mapByService, trimPrefix,
		sprintfRegistry, generateOnce, twoGeneratedImages, wrappedProducer,
		constantEverywhere, ephemeralDebug,
	} {
		if err := step(ctx, cluster, kubeconfig, w); err != nil {
			return err
		}
	}
	return nil
}
