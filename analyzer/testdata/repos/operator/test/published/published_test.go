// Package published builds and loads the image IMG names, as the Makefile
// builds it, then deploys a published reference of that image.
package published

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func buildAndLoad(img string) {
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
}

// The release manifest names the published operator: the build never runs.
func TestReleaseManifest(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
	run(exec.Command("kubectl", "apply", "-f", "../../dist/install.yaml")) // want `kubectl apply deploys "ghcr.io/example/operator:v0.1.0" \(../../dist/install.yaml:11\), a published reference of the repository's own image ghcr.io/example/operator \(built at Makefile:18\), while this flow built and loaded it as IMG: the published image runs, not the build; deploy IMG`
}

// The release overlay's images: default.
func TestKustomizeDefault(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
	run(exec.Command("kubectl", "apply", "-k", "../../config/release")) // want `kubectl apply deploys "ghcr.io/example/operator:v0.1.0" \(../../config/manager/manager.yaml:10\), a published reference of the repository's own image`
}

// :latest written in Go.
func TestLatest(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("docker", "build", "-t", img, "../.."))
	run(exec.Command("kind", "load", "docker-image", img))
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image=ghcr.io/example/operator:latest")) // want `deployed image "ghcr.io/example/operator:latest" is a published reference of the repository's own image ghcr.io/example/operator \(built at Makefile:18\), while this flow built and loaded it as IMG`
}

// An upgrade test: the release first, then the run's build.
func TestUpgrade(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
	run(exec.Command("kubectl", "apply", "-f", "../../dist/install.yaml"))
	run(exec.Command("make", "deploy"))
}

// Other projects' images stay silent, published tags and public
// registries alike; a tag of the own image that is no release may be the
// one CI sets IMG to.
func TestOthers(t *testing.T) {
	img := os.Getenv("IMG")
	run(exec.Command("make", "docker-build", "IMG="+img))
	run(exec.Command("make", "kind-load", "IMG="+img))
	run(exec.Command("kubectl", "create", "deployment", "cm", "--image=quay.io/jetstack/cert-manager-controller:v1.16.0"))
	run(exec.Command("kubectl", "create", "deployment", "proxy", "--image=registry.k8s.io/kube-rbac-proxy:latest"))
	run(exec.Command("kubectl", "create", "deployment", "operator", "--image=ghcr.io/example/operator:e2e"))
	run(exec.Command("make", "deploy"))
}

// Nothing built or loaded: the release is what the test means to run.
func TestReleaseOnly(t *testing.T) {
	run(exec.Command("kubectl", "apply", "-f", "../../dist/install.yaml"))
}

// The build and load in a helper the image is handed to.
func TestHelper(t *testing.T) {
	buildAndLoad(os.Getenv("IMG"))
	run(exec.Command("kubectl", "apply", "-f", "../../dist/install.yaml")) // want `kubectl apply deploys "ghcr.io/example/operator:v0.1.0" \(../../dist/install.yaml:11\), a published reference`
}
