// Package ci is run by the workflow with IMG=ghcr.io/o/app:e2e, the image
// it loads: os.Getenv("IMG") is that image.
package ci

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// The published image, not the one CI loads.
func TestLatest(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:latest")) // want `deployed image "ghcr.io/o/app:latest" is not the image built and loaded here \(\$IMG: "ghcr.io/o/app:e2e"\)`
}

// A tag nothing builds.
func TestDev(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev")) // want `deployed image "ghcr.io/o/app:dev" is not the image built and loaded here \(\$IMG: "ghcr.io/o/app:e2e"\)`
}

// The run's image, read or written as CI sets it, and another project's.
func TestSame(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app2", "--image=ghcr.io/o/app:e2e"))
	run(exec.Command("kubectl", "create", "deployment", "pause", "--image=registry.k8s.io/pause:3.9"))
}

// An upgrade: the release, then the run's image.
func TestUpgrade(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:v0.1.0"))
	run(exec.Command("kubectl", "set", "image", "deployment/app", "app="+os.Getenv("IMG")))
}

// The run's image is deployed, but the test built and loaded another tag:
// IMG is the image CI sets.
func TestBuiltOther(t *testing.T) {
	run(exec.Command("docker", "build", "-t", "ghcr.io/o/app:dev", "."))
	run(exec.Command("kind", "load", "docker-image", "ghcr.io/o/app:dev"))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("IMG"))) // want `deployed image "ghcr.io/o/app:e2e" is not the image built and loaded here \("ghcr.io/o/app:dev"\)`
}
