// Package script runs the repository's setup script, which builds and
// loads the webhook image.
package script

import (
	"os/exec"
	"testing"
)

func TestWebhookTag(t *testing.T) {
	_ = exec.Command("bash", "hack/e2e-setup.sh").Run()
	_ = exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook=ghcr.io/example/webhook:v1").Run() // want `deployed image "ghcr.io/example/webhook:v1" is not the image built and loaded here \("ghcr.io/example/webhook:dev"\)`
}

// The image the script built and loaded, deployed: consistent.
func TestWebhook(t *testing.T) {
	_ = exec.Command("./hack/e2e-setup.sh").Run()
	_ = exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook=ghcr.io/example/webhook:dev").Run()
}
