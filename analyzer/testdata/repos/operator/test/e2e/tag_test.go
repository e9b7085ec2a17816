package e2e

import (
	"os/exec"
	"testing"
)

var tag = "e2e"

// TAG= completes the Makefile's IMG ?= $(REGISTRY)/operator:$(TAG): the
// build makes ghcr.io/example/operator:e2e, not another tag.
func TestTagOnly(t *testing.T) {
	run(exec.Command("make", "docker-build", "TAG="+tag))
	run(exec.Command("make", "deploy", "IMG="+otherImage)) // want `deployed image "ghcr.io/example/operator:e2e-2" is not the image built and loaded here \("ghcr.io/example/operator:e2e"\)`
}

// The same TAG= for the build and the deploy: one image.
func TestSameTag(t *testing.T) {
	run(exec.Command("make", "docker-build", "TAG="+tag))
	run(exec.Command("make", "kind-load", "TAG="+tag))
	run(exec.Command("make", "deploy", "TAG="+tag))
}
