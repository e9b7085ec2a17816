// Package logging mentions locally built images only in log and error
// messages: nothing is deployed from these strings.
package logging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os/exec"

	"imagetaglint.test/e2e/negatives/kindutil"
)

var errStaleImage = errors.New("cluster still runs localhost/kubernaut-datastorage:e2e-test-datastorage; delete the cluster")

// Setup builds, loads and deploys one image and talks a lot about others.
func Setup(ctx context.Context, cluster, kubeconfig string, w io.Writer) error { // want Setup:"p1:store deploys$"
	fmt.Fprintf(w, "using localhost/ds:e2e\n")
	fmt.Fprintln(w, "⚠️  localhost/kubernaut-datastorage:e2e-test-datastorage is obsolete (DD-TEST-001)")
	log.Printf("deploying localhost/kubernaut-notification:e2e-test into %s", cluster)
	fmt.Fprintf(w, "image: localhost/kubernaut-datastorage:e2e\n")

	image, err := kindutil.BuildAndLoadImageToKind(kindutil.E2EImageConfig{
		ServiceName: "notification", ImageName: "notification",
		DockerfilePath: "docker/notification.Dockerfile", KindClusterName: cluster,
	}, w)
	if err != nil {
		return fmt.Errorf("building localhost/kubernaut-notification:e2e-test failed: %w", err)
	}
	fmt.Fprintf(w, "   Using image: %s\n", image)

	out, err := exec.CommandContext(ctx, "podman", "images", "--filter", "reference=localhost/kubernaut-*", "--format", "{{.Repository}}:{{.Tag}}").Output()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "local images:\n%s", out)
	if len(out) == 0 {
		return errStaleImage
	}
	return deployNotification(ctx, kubeconfig, image, w)
}

func deployNotification(ctx context.Context, kubeconfig, imageName string, w io.Writer) error {
	log.Printf("deploying %s (previously localhost/kubernaut-notification:e2e-test)", imageName)
	return kindutil.Apply(ctx, kubeconfig, fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: notification
spec:
  containers:
  - name: manager
    image: %s
`, imageName), w)
}
