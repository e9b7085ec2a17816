// Package pushed: a package that pushes images, here through the
// kubebuilder scaffold's multi-platform target, gives no finding: pushes
// are not followed to what they push.
package pushed

import (
	"context"
	"fmt"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

func SetupPushed(ctx context.Context, w io.Writer) error { // want SetupPushed:"build\\(\"localhost/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:e2e\"\\) deploys$"
	const img = "localhost/kubernaut/gateway:e2e"
	if err := exec.Command("make", "docker-buildx", fmt.Sprintf("IMG=%s", img)).Run(); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", img)
}
