// Package prelude is run by make test-prelude, which builds and loads
// $(IMG) first and hands it to go test: os.Getenv("IMG") is that image.
package prelude

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// The image make built and loaded, as the suite reads it.
func TestDeployEnv(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image="+os.Getenv("IMG")))
}

// Another tag of the same repository: make never built it.
func TestDeployOtherTag(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image=ghcr.io/example/operator:v1")) // want `deployed image "ghcr.io/example/operator:v1" is not the image make test-prelude builds and loads before it runs these tests \(\$\(IMG\): "ghcr.io/example/operator:dev"\)`
}

// Another project's image, and the default itself.
func TestOthers(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "proxy", "--image=registry.k8s.io/kube-rbac-proxy:v0.16.0"))
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image=ghcr.io/example/operator:dev"))
}

// An upgrade: the release, then the run's image.
func TestUpgrade(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image=ghcr.io/example/operator:v0.1.0"))
	run(exec.Command("kubectl", "set", "image", "deployment/operator", "manager="+os.Getenv("IMG")))
}
