package e2e

import (
	"os/exec"
	"testing"
)

// A helm install in a recipe: its --set values are the Makefile's
// defaults unless the call sets them.
func TestHelmDefaultTag(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "kind-load", "IMG="+managerImage))
	run(exec.Command("make", "helm-deploy")) // want `deployed image "ghcr.io/example/operator:dev" is not the image built and loaded here`
}
