// Package setuponce has a mistake in its setup: the setup runs before
// every spec, and what is wrong in it is reported once, against what the
// whole suite deploys.
package setuponce

import (
	"os/exec"
	"testing"

	. "github.com/onsi/ginkgo/v2"
)

func TestSuite(t *testing.T) {
	RunSpecs(t, "setuponce")
}

var _ = SynchronizedBeforeSuite(func() {
	_ = exec.Command("docker", "build", "-t", "example.com/setup:v1", ".").Run()
}, func() {
	_ = exec.Command("kind", "load", "docker-image", "example.com/setup:v2").Run()                                                                         // want `loaded image "example.com/setup:v2" is not the image built here \("example.com/setup:v1"\)`
	_ = exec.Command("docker", "exec", "kind-control-plane", "ctr", "-n", "k8s.io", "images", "tag", "example.com/setup:v2", "example.com/setup:v3").Run() // want `re-tags an image inside the Kind node`
})

var _ = Describe("specs", func() {
	It("deploys one", func() {
		_ = exec.Command("kubectl", "run", "one", "--image=example.com/one:v1").Run()
	})
	It("deploys another", func() {
		_ = exec.Command("kubectl", "run", "two", "--image=example.com/two:v1").Run()
	})
})
