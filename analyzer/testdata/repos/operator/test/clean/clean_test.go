// Package clean follows the Makefile and scripts correctly: no finding.
package clean

import (
	"os"
	"os/exec"
	"testing"
)

const managerImage = "ghcr.io/example/operator:e2e"

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// The build's image deployed by IMG=: kustomize edit set image replaces
// operator:latest, and the proxy is another project's image.
func TestDeploy(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "kind-load", "IMG="+managerImage))
	run(exec.Command("make", "deploy", "IMG="+managerImage))
	run(exec.Command("make", "cert-manager"))
	run(exec.Command("make", "undeploy"))
}

// IMG from the environment: make deploy without IMG= reads the same one.
func TestDeployFromEnv(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
	run(exec.Command("make", "deploy"))
}

// The tag the build made, given to the recipe's helm install.
func TestHelm(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "kind-load", "IMG="+managerImage))
	run(exec.Command("make", "helm-deploy", "TAG=e2e"))
}
