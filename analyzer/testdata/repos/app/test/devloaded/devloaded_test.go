// Package devloaded is run by make test-dev-loaded, which builds and loads
// $(DEV_IMG) into Kind before go test.
package devloaded

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func TestDeploy(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", "example.com/sidecar:dev"))
	run(exec.Command("kubectl", "create", "deployment", "sidecar", "--image=example.com/sidecar:dev"))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("DEV_IMG")))
}
