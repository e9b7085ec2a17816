// Package discardedimage holds discarded-image cases: the image a producer
// returns is lost, and the negatives where it travels on.
package discardedimage

import (
	"context"
	"fmt"
	"io"
	"time"

	"imagetaglint.test/e2e/kit"
)

type E2EImageConfig struct {
	ServiceName      string
	ImageName        string
	DockerfilePath   string
	BuildContextPath string
}

// BuildAndLoadImageToKind is the default producer.
func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:generated"
	tag := fmt.Sprintf("%s-%x", cfg.ServiceName, time.Now().UnixNano())
	image := fmt.Sprintf("localhost/%s:%s", cfg.ImageName, tag)
	fmt.Fprintf(writer, "built and loaded %s\n", image)
	return image, nil
}

func deployService(namespace, image string, writer io.Writer) error {
	fmt.Fprintf(writer, "deploying %s into %s\n", image, namespace)
	return kit.Deploy(context.Background(), namespace, "service", image)
}

func blankInIf(cfg E2EImageConfig, writer io.Writer) error {
	if _, err := BuildAndLoadImageToKind(cfg, writer); err != nil { // want `the image returned by BuildAndLoadImageToKind is assigned to _; bind it and deploy that value \[discarded-image\]`
		return fmt.Errorf("failed to build/load Data Storage image: %w", err)
	}
	return deployService("kubernaut-system", "localhost/kubernaut-datastorage:e2e-test-datastorage", writer) // want `hardcoded image "localhost/kubernaut-datastorage:e2e-test-datastorage" deployed by deployService; deploy the reference your build step returns \[hardcoded-image\]`
}

func blankDefine(cfg E2EImageConfig, writer io.Writer) error {
	_, err := BuildAndLoadImageToKind(cfg, writer) // want `BuildAndLoadImageToKind is assigned to _`
	return err
}

func bareCall(cfg E2EImageConfig, writer io.Writer) {
	BuildAndLoadImageToKind(cfg, writer) // want `BuildAndLoadImageToKind is dropped by the call statement`
}

func goAndDefer(cfg E2EImageConfig, writer io.Writer) {
	go BuildAndLoadImageToKind(cfg, writer)    // want `dropped by the go statement`
	defer BuildAndLoadImageToKind(cfg, writer) // want `dropped by the defer statement`
}

func storedNeverRead(cfg E2EImageConfig, writer io.Writer) error {
	image, err := BuildAndLoadImageToKind(cfg, writer) // want `BuildAndLoadImageToKind is stored in image but never read`
	if err != nil {
		return err
	}
	_ = image                                                                                  // silences the compiler, deploys nothing
	return deployService("kubernaut-system", "localhost/kubernaut-datastorage:latest", writer) // want `hardcoded image "localhost/kubernaut-datastorage:latest" deployed by deployService`
}

func overwrittenAfterLastRead(cfg E2EImageConfig, writer io.Writer) error {
	image := "localhost/kubernaut-datastorage:e2e-test-datastorage"
	fmt.Fprintf(writer, "previous image: %s\n", image)
	var err error
	image, err = BuildAndLoadImageToKind(cfg, writer) // want `stored in image but never read`
	return err
}

func readInLaterIteration(configs []E2EImageConfig, writer io.Writer) error {
	var last string
	for _, cfg := range configs {
		if last != "" {
			fmt.Fprintf(writer, "replacing %s\n", last)
		}
		var err error
		last, err = BuildAndLoadImageToKind(cfg, writer) // read by the next iteration
		if err != nil {
			return err
		}
	}
	return nil
}

func throughFuncValue(cfg E2EImageConfig, writer io.Writer) error {
	build := BuildAndLoadImageToKind
	_, err := build(cfg, writer) // want `BuildAndLoadImageToKind is assigned to _`
	return err
}

// Negatives: the image is used, returned, stored or sent on.

func usedInDeploy(cfg E2EImageConfig, writer io.Writer) error {
	image, err := BuildAndLoadImageToKind(cfg, writer)
	if err != nil {
		return err
	}
	return deployService("kubernaut-system", image, writer)
}

func returned(cfg E2EImageConfig, writer io.Writer) (string, error) {
	return BuildAndLoadImageToKind(cfg, writer)
}

func namedResult(cfg E2EImageConfig, writer io.Writer) (image string, err error) {
	image, err = BuildAndLoadImageToKind(cfg, writer)
	return
}

type buildResult struct {
	name  string
	image string
	err   error
}

func sentOnChannel(configs map[string]E2EImageConfig, writer io.Writer) map[string]string {
	results := make(chan buildResult, len(configs))
	for name, cfg := range configs {
		go func(name string, cfg E2EImageConfig) {
			image, err := BuildAndLoadImageToKind(cfg, writer)
			results <- buildResult{name: name, image: image, err: err}
		}(name, cfg)
	}
	images := make(map[string]string)
	for range configs {
		r := <-results
		if r.err == nil {
			images[r.name] = r.image
		}
	}
	return images
}

func storedInMap(cfg E2EImageConfig, writer io.Writer, images map[string]string) error {
	var err error
	images["datastorage"], err = BuildAndLoadImageToKind(cfg, writer)
	return err
}

func capturedByClosure(cfg E2EImageConfig, writer io.Writer) error {
	image, err := BuildAndLoadImageToKind(cfg, writer)
	if err != nil {
		return err
	}
	deploy := func() error { return deployService("ns", image, writer) }
	return deploy()
}

// notAProducer returns a string too, but imagetaglint does not know it.
func notAProducer(cfg E2EImageConfig) (string, error) { return cfg.ImageName, nil }

func otherResultsMayBeDropped(cfg E2EImageConfig) error {
	_, err := notAProducer(cfg)
	return err
}

// buildStub stands for a producer whose body does nothing the checks can
// see: only its configured name (BuildAndLoadImageToKind) makes it one.
type stubConfig struct{ Name string }

func callsConfiguredProducerOnly(cfg E2EImageConfig) {
	BuildAndLoadImageToKind(cfg, io.Discard) // want `BuildAndLoadImageToKind is dropped by the call statement`
}
