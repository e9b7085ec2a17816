// Package describe holds small setups for the analyzer's flow map: helpers
// opened at their calls, parameters bound to what the flow passes, two
// calls of one helper as two images, a finding on its step, and unknowns
// with their reasons.
package describe

import (
	"fmt"
	"os/exec"

	corev1 "k8s.io/api/core/v1"
)

func build(image string) error {
	return exec.Command("podman", "build", "-t", image, ".").Run()
}

func load(image string) error {
	return exec.Command("kind", "load", "docker-image", image).Run()
}

func deployApp(image string) corev1.Container {
	return corev1.Container{Name: "app", Image: image}
}

// setup builds, loads and deploys one image through three helpers.
func setup() {
	image := "localhost/app:e2e"
	build(image)
	load(image)
	deployApp(image)
}

// buildNamed builds a name it makes of two run-time parts: a new value
// at each call.
func buildNamed(name, tag string) error {
	ref := fmt.Sprintf("localhost/%s:%s", name, tag)
	return exec.Command("podman", "build", "-t", ref, ".").Run()
}

// setupTwice builds two images with one helper.
func setupTwice(tag string) {
	buildNamed("api", tag)
	buildNamed("web", tag)
}

// setupSeveral deploys an image assigned in two ways.
func setupSeveral(fast bool) {
	image := "localhost/app:slow"
	if fast {
		image = "localhost/app:fast"
	}
	build(image)
	load(image)
	deployApp(image)
}

// setupStale deploys another tag than it built and loaded.
func setupStale() {
	build("localhost/app:new")
	load("localhost/app:new")
	deployApp("localhost/app:old") // want `deployed image "localhost/app:old" is not the image built and loaded here.*\[image-mismatch\]`
}

// setupMap deploys an image it reads from a map filled at run time.
func setupMap(names []string) {
	images := map[string]string{}
	for _, n := range names {
		images[n] = "localhost/" + n + ":e2e"
	}
	deployApp(images["app"])
}
