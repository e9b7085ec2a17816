// Package e2e builds, loads and deploys the operator through the
// repository's Makefile.
package e2e

import (
	"os/exec"
	"testing"
)

const managerImage = "ghcr.io/example/operator:e2e"

var otherImage = "ghcr.io/example/operator:e2e-2"

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// make deploy without IMG= deploys the Makefile's default.
func TestDeployDefault(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "kind-load", "IMG="+managerImage))
	run(exec.Command("make", "deploy")) // want `make deploy deploys "ghcr.io/example/operator:dev" \(Makefile:21, the default of IMG at Makefile:7\), not the image built and loaded \("ghcr.io/example/operator:e2e"\)`
}

// kind load of a tag the build never made.
func TestLoadOtherTag(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "kind-load", "IMG="+otherImage)) // want `loaded image "ghcr.io/example/operator:e2e-2" is not the image built here \("ghcr.io/example/operator:e2e"\)`
	run(exec.Command("make", "deploy", "IMG="+otherImage))
}
