// Package partial runs a target whose recipe runs a script the repository
// does not have: the build and load are known, what the script deploys is
// not, so the image is not reported as never deployed.
package partial

import (
	"os/exec"
	"testing"
)

const managerImage = "ghcr.io/example/operator:e2e"

func TestPartial(t *testing.T) {
	_ = exec.Command("make", "e2e-all", "IMG="+managerImage).Run()
	_ = exec.Command("kubectl", "create", "deployment", "proxy", "--image=registry.k8s.io/kube-rbac-proxy:v0.16.0").Run()
}
