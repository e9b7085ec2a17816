// Package cmddir runs make in the directory its exec.Cmd's Dir names: the
// Makefile there, not the nearest one above the package.
package cmddir

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const webhookImage = "ghcr.io/example/webhook:e2e"

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// projectDir is the repository root, known only at run time.
func projectDir() string {
	wd, _ := os.Getwd()
	return strings.TrimSuffix(wd, "/test/cmddir")
}

// A constant Dir: webhook/Makefile's deploy, without IMG=, deploys its
// default.
func TestConstDir(t *testing.T) {
	build := exec.Command("make", "docker-build", "IMG="+webhookImage)
	build.Dir = "../../webhook"
	run(build)
	deploy := exec.Command("make", "deploy") // want `make deploy deploys "ghcr.io/example/webhook:dev" \(webhook/Makefile:8, the default of IMG at webhook/Makefile:2\), not the image built and loaded \("ghcr.io/example/webhook:e2e"\)`
	deploy.Dir = "../../webhook"
	run(deploy)
}

// A run-time root joined with "webhook": the one directory of the
// repository ending so that holds a Makefile.
func TestRootJoin(t *testing.T) {
	dir := filepath.Join(projectDir(), "webhook")
	build := exec.Command("make", "docker-build", "IMG="+webhookImage)
	build.Dir = dir
	run(build)
	deploy := exec.Command("make", "deploy") // want `make deploy deploys "ghcr.io/example/webhook:dev" \(webhook/Makefile:8`
	deploy.Dir = dir
	run(deploy)
}

// The same with IMG=: the webhook's Makefile deploys the build.
func TestRootJoinImage(t *testing.T) {
	dir := filepath.Join(projectDir(), "webhook")
	build := exec.Command("make", "docker-build", "IMG="+webhookImage)
	build.Dir = dir
	run(build)
	deploy := exec.Command("make", "deploy", "IMG="+webhookImage)
	deploy.Dir = dir
	run(deploy)
}

// A Dir known only at run time, with two Makefiles in the repository: no
// Makefile is guessed (the root one would deploy its default of IMG), so
// make deploy deploys what it cannot name.
func TestRunTimeDir(t *testing.T) {
	build := exec.Command("make", "docker-build", "IMG=ghcr.io/example/operator:e2e")
	build.Dir = projectDir()
	run(build)
	deploy := exec.Command("make", "deploy")
	deploy.Dir = projectDir()
	run(deploy)
}

// Without Dir, the nearest Makefile above the package: the root one.
func TestNoDir(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG=ghcr.io/example/operator:e2e"))
	run(exec.Command("make", "deploy")) // want `make deploy deploys "ghcr.io/example/operator:dev" \(Makefile:21, the default of IMG at Makefile:7\)`
}

// A script run from its directory: followed there.
func TestScriptDir(t *testing.T) {
	setup := exec.Command("bash", "e2e-setup.sh")
	setup.Dir = "../../hack"
	run(setup)
	run(exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook=ghcr.io/example/webhook:v1")) // want `deployed image "ghcr.io/example/webhook:v1" is not the image built and loaded here \("ghcr.io/example/webhook:dev"\)`
}

// The same script from a directory known only at run time: not followed.
func TestScriptRunTimeDir(t *testing.T) {
	setup := exec.Command("bash", "hack/e2e-setup.sh")
	setup.Dir = projectDir()
	run(setup)
	run(exec.Command("kubectl", "set", "image", "deployment/webhook", "webhook=ghcr.io/example/webhook:v1"))
}
