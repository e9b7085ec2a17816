// Package dev is run by make test-dev, which builds $(DEV_IMG) on the host
// and loads nothing: the suite deploys it on Kind, where it is not.
package dev

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func TestDeploy(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", "example.com/sidecar:dev"))
	run(exec.Command("kubectl", "create", "deployment", "sidecar", "--image=example.com/sidecar:dev"))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("DEV_IMG"))) // want `the image from DEV_IMG is built on the host and deployed by kubectl create deployment, but nothing loads it into the cluster`
}

// Not the image make built: nothing of the recipe's is this test's.
func TestOther(t *testing.T) {
	run(exec.Command("kubectl", "create", "deployment", "sidecar", "--image=example.com/sidecar:dev"))
}
