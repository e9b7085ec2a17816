// Package scripthub reads the registry the setup script builds under, as
// the script reads it.
package scripthub

import (
	"os"
	"os/exec"
	"testing"
)

func hub() string {
	if h := os.Getenv("HUB"); h != "" {
		return h
	}
	return "ghcr.io/example"
}

// The registry the script used, with the script's default tag (its
// hard-coded twin is reported in package script).
func TestWebhook(t *testing.T) {
	_ = exec.Command("bash", "hack/e2e-setup.sh").Run()
	_ = exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook="+hub()+"/webhook:dev").Run()
}
