// Package unfollowed runs make where the model cannot follow it: the
// targets' names say what it does, as before.
package unfollowed

import (
	"os/exec"
	"testing"
)

const managerImage = "ghcr.io/example/operator:e2e"

func run(cmd *exec.Cmd) { _ = cmd.Run() }

// make -C names a directory the test only knows at run time; a target
// the Makefile does not define.
func TestOther(t *testing.T) {
	run(exec.Command("make", "docker-build", "IMG="+managerImage))
	run(exec.Command("make", "-C", "other", "deploy"))
	run(exec.Command("make", "deploy-all", "IMG=ghcr.io/example/operator:e2e"))
}
