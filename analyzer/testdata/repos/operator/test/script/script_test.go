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

// The image the script builds and loads while HUB and TAG are unset,
// hard-coded: HUB=quay.io/me changes the build, not the deploy.
func TestWebhook(t *testing.T) {
	_ = exec.Command("./hack/e2e-setup.sh").Run()
	_ = exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook=ghcr.io/example/webhook:dev").Run() // want `deployed image "ghcr.io/example/webhook:dev" is the image hack/e2e-setup.sh:8 built and loaded only while HUB and TAG are unset: the environment changes the build, not this deploy; read HUB and TAG as the run does`
}

// The script loads a tag its build never made.
func TestLoadLatest(t *testing.T) {
	_ = exec.Command("bash", "hack/e2e-load.sh").Run() // want `loaded image "ghcr.io/example/webhook:latest" is not the image built here`
}
