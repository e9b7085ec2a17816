// Package archive: the image reaches the cluster in an archive whose
// content is not known here (saved by a helper from a run-time list): it
// may be the image built, so no finding.
package archive

import (
	"context"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

func save(archive string, refs ...string) error {
	return exec.Command("docker", append([]string{"save", "-o", archive}, refs...)...).Run()
}

func Setup(ctx context.Context, archive string, w io.Writer) error { // want Setup:"p1:store build\\(\"localhost/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:e2e\"\\) deploys$"
	const image = "localhost/kubernaut/gateway:e2e"
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := save(archive, image); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "image-archive", archive).Run(); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", image)
}
