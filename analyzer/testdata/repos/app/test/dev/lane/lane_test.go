// Package lane is a suite with a TestMain, run by make test-dev too: each
// test's lane starts with the recipe's build.
package lane

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func TestMain(m *testing.M) {
	run(exec.Command("kind", "load", "docker-image", "example.com/sidecar:dev"))
	os.Exit(m.Run())
}

func TestDeploy(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "sidecar", "--image=example.com/sidecar:dev"))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("DEV_IMG"))) // want `the image from DEV_IMG is built on the host and deployed by kubectl create deployment, but nothing loads it into the cluster`
}
