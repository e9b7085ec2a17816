// Package unset is run by the workflow without IMG: its value is not known.
package unset

import (
	"os"
	"os/exec"
	"testing"
)

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// Not compared: only undeployed-image says what it knows.
func TestDev(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", os.Getenv("IMG"))) // want `the image from IMG is loaded here but never deployed`
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev"))
}
