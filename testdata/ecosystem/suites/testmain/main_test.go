// Package testmain builds and loads its image in TestMain, before every
// test: each Test function runs after that setup, alone.
package testmain

import (
	"os"
	"os/exec"
	"testing"
)

const image = "example.com/app:e2e"

func TestMain(m *testing.M) {
	_ = exec.Command("docker", "build", "-t", image, ".").Run()
	_ = exec.Command("kind", "load", "docker-image", image).Run()
	code := m.Run()
	_ = exec.Command("kind", "delete", "cluster").Run()
	os.Exit(code)
}

func TestDeploys(t *testing.T) {
	_ = exec.Command("kubectl", "run", "app", "--image="+image).Run()
}

func TestOtherTag(t *testing.T) {
	_ = exec.Command("kubectl", "run", "app", "--image=example.com/app:v2").Run() // want `deployed image "example.com/app:v2" is not the image built and loaded here \("example.com/app:e2e"\)`
}

// Subtests run in turn: the second deploys what the first loaded.
func TestSubtests(t *testing.T) {
	t.Run("load", func(t *testing.T) {
		_ = exec.Command("kind", "load", "docker-image", "example.com/sub:v1").Run()
	})
	t.Run("deploy", func(t *testing.T) {
		_ = exec.Command("kubectl", "run", "sub", "--image=example.com/sub:v1").Run()
	})
}

// Test functions run each alone: what one loads is not what another deploys.
func TestLoadsWorker(t *testing.T) {
	_ = exec.Command("kind", "load", "docker-image", "example.com/worker:v1").Run()
}

func TestDeploysWorker(t *testing.T) {
	_ = exec.Command("kubectl", "run", "worker", "--image=example.com/worker:v2").Run()
}
