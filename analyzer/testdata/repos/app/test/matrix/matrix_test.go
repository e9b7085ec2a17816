// Package matrix is run twice by the workflow, with IMG=ghcr.io/o/app:a
// and IMG=ghcr.io/o/app:b: os.Getenv("IMG") is ghcr.io/o/app, tag
// unknown.
package matrix

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// Another registry's app: not the repository CI loads.
func TestOtherRegistry(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=docker.io/o/app:dev")) // want `deployed image "docker.io/o/app:dev" is not the image built and loaded here \(\$IMG: "ghcr.io/o/app:a" or "ghcr.io/o/app:b"\)`
}

// The same repository: its tag is not known, so image-mismatch does not
// compare it; what it knows is that the loaded image is not deployed.
func TestSameRepository(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG"))) // want `the image from IMG is loaded here but never deployed, while this flow deploys "ghcr.io/o/app:dev"`
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev"))
}

// The run's image.
func TestEnv(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("IMG")))
}
