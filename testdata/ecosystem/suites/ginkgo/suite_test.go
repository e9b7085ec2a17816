// Package ginkgo is one Ginkgo v2 suite over two files: BeforeSuite here
// builds and loads the operator's image, the specs in specs_test.go deploy
// it. Each lane of the suite (the setup, then one spec, or one ordered
// container's specs) is one flow: steps pair along it, never across
// sibling specs.
package ginkgo

import (
	"os/exec"
	"testing"

	. "github.com/onsi/ginkgo/v2"
)

// projectImage is set in BeforeSuite and read by the specs: it carries its
// value along the suite.
var projectImage string

func TestSuite(t *testing.T) {
	RunSpecs(t, "suites")
}

var _ = BeforeSuite(func() {
	projectImage = "example.com/operator:v0.1.0"
	_ = exec.Command("docker", "build", "-t", projectImage, ".").Run()
	_ = exec.Command("kind", "load", "docker-image", projectImage).Run()
	DeferCleanup(func() {
		_ = exec.Command("kind", "delete", "cluster").Run()
	})
})

var _ = AfterSuite(func() {
	_ = exec.Command("kubectl", "delete", "ns", "operator-system").Run()
})
