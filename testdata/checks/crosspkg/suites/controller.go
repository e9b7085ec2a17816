package suites

import (
	"context"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"

	"imagetaglint.test/e2e/checks/crosspkg/controller"
	"imagetaglint.test/e2e/checks/crosspkg/wrappers"
)

// The pod the controller derives from app is deployed too, as its fact
// says: the standalone command analyses the controller for this package,
// though nothing in the controller counts on its own.
func deployedThroughController(ctx context.Context, app *controller.App, writer io.Writer) (*corev1.Pod, error) {
	image, err := wrappers.BuildDataStorage("gateway", writer) // want `the image from BuildDataStorage \(line 18\) is built and loaded here but never deployed, while this flow deploys "redis:7"`
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(writer, "built", image)
	_ = wrappers.StartDataStorage(ctx, "gw-e2e", "redis:7")
	return controller.DesiredPod(app), nil
}
