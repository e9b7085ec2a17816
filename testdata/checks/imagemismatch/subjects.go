package imagemismatch

import (
	"context"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

// Precedence is by subject: the step and image a finding is about. These
// shapes have more than one check with something to say of one mistake;
// each reports it once.

// A constant handed to a helper that deploys its parameter: the call is
// the deploy step, and the constant is what it deploys. image-mismatch
// names it; hardcoded-image of the same constant at the same call and
// undeployed-image of the build it replaces are dropped.
func SetupConstantToHelper(ctx context.Context, cluster string, w io.Writer) error { // want SetupConstantToHelper:"build\\(\"localhost/kubernaut/gateway:e2e\"\\) load\\(\"localhost/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:v1\"\\) deploys$"
	const image = "localhost/kubernaut/gateway:e2e"
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return deployDataStorage(ctx, "gw-e2e", "localhost/kubernaut/gateway:v1") // want `deployed image "localhost/kubernaut/gateway:v1" is not the image built and loaded here \("localhost/kubernaut/gateway:e2e"\) \[image-mismatch\]`
}

// One load step of two images, one of them deployed under another tag:
// one finding, for that image (undeployed-image of the loaded worker:e2e
// is the same mistake); the other image is deployed as loaded.
func SetupTwoImagesOneWrong(ctx context.Context, cluster string, w io.Writer) error { // want SetupTwoImagesOneWrong:"deploys$"
	const api, worker = "localhost/kubernaut/api:e2e", "localhost/kubernaut/worker:e2e"
	if err := kit.Build(api, w); err != nil {
		return err
	}
	if err := kit.Build(worker, w); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", api, worker, "--name", cluster).Run(); err != nil {
		return err
	}
	if err := kit.Deploy(ctx, "e2e", "api", api); err != nil {
		return err
	}
	return kit.Deploy(ctx, "e2e", "worker", "localhost/kubernaut/worker:v1") // want `deployed image "localhost/kubernaut/worker:v1" is not the image built and loaded here \("localhost/kubernaut/worker:e2e"\) \[image-mismatch\]`
}
