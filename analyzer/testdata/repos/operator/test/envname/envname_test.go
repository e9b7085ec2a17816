// Package envname names its images by environment variables that the
// repository's workflow sets, or near names of them.
package envname

import (
	"os"
	"os/exec"
	"testing"
)

func deploy(name, image string) {
	_ = exec.Command("kubectl", "set", "image", "deployment/"+name, name+"="+image).Run()
}

// The workflow sets WEBHOOK_IMAGE_OVERRIDE for make test-e2e, which never
// hands it on: WEBHOOK_IMAGE is unset in CI.
func TestWebhook(t *testing.T) {
	deploy("webhook", os.Getenv("WEBHOOK_IMAGE")) // want `WEBHOOK_IMAGE names an image here, but no CI workflow sets it: .github/workflows/e2e.yml:10 sets WEBHOOK_IMAGE_OVERRIDE for make; read the variable the workflow sets, or set this one`
}

// Set by the workflow for go test.
func TestOperator(t *testing.T) {
	deploy("operator", os.Getenv("OPERATOR_IMAGE"))
}

// E2E_PROXY_IMAGE_TAG is read by test/utils: the workflow's variable is
// used, under its own name.
func TestProxy(t *testing.T) {
	deploy("proxy", os.Getenv("E2E_PROXY_IMAGE"))
}

// The Makefile assigns METRICS_IMAGE from the workflow's override.
func TestMetrics(t *testing.T) {
	deploy("metrics", os.Getenv("METRICS_IMAGE"))
}

// Not an image: the namespace the workflow does not set either.
func TestNamespace(t *testing.T) {
	_ = exec.Command("kubectl", "create", "namespace", os.Getenv("E2E_NAMESPACE")).Run()
}
