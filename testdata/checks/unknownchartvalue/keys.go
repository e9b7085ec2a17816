package unknownchartvalue

// The chart in ./charts/operator keeps its values under controller.image,
// with a sidecar image, a map open to any key, and a key only a template
// reads.

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// The keys of another chart's layout: helm ignores both.
func installTopLevelKeys(repository, tag string) error {
	return exec.Command("helm", "install", "operator", "./charts/operator",
		"--set", "image.repository="+repository, // want `helm install sets image.repository, which chart "./charts/operator" does not have: helm ignores it and the chart's default image runs; set the key the chart reads \[unknown-chart-value\]`
		"--set", "image.tag="+tag, // want `helm install sets image.tag, which chart "./charts/operator" does not have`
	).Run()
}

// A misspelt key under one the chart has: the nearest key is named.
func installMisspelt(tag string) error {
	return exec.Command("helm", "upgrade", "--install", "operator", "./charts/operator",
		"--set", "controller.images.tag="+tag, // want `helm upgrade sets controller.images.tag, which chart "./charts/operator" does not have.*\(its nearest key is at \S*charts/operator/values.yaml:1\)`
	).Run()
}

// Negatives.

// The keys the chart has.
func installControllerKeys(repository, tag string) error {
	return exec.Command("helm", "install", "operator", "./charts/operator",
		"--set", "controller.image.repository="+repository,
		"--set", "controller.image.tag="+tag,
		"--set", "sidecar.image=localhost/proxy:e2e",
	).Run()
}

// A key no values.yaml line defines but a template reads, a key under an
// empty map, a global one, and one that sets no image.
func installReadKeys(tag string) error {
	return exec.Command("helm", "install", "operator", "./charts/operator",
		"--set", "webhook.image.repository=localhost/webhook:"+tag,
		"--set", "extraImages.debug.image=busybox:1.36",
		"--set", "global.image.registry=localhost",
		"--set", "replicas=2",
	).Run()
}

// A repository chart is not read.
func installFromRepository(tag string) error {
	return exec.Command("helm", "install", "operator", "acme/operator", "--set", fmt.Sprintf("image.tag=%s", tag)).Run()
}

// The chart's path joined from a run-time root: the module's one
// directory ending in charts/operator.
func installFromRoot(root, tag string) error {
	chart := filepath.Join(root, "charts", "operator")
	return exec.Command("helm", "install", "operator", chart,
		"--set", "image.tag="+tag, // want `helm install sets image.tag, which chart "\S*charts/operator" does not have`
	).Run()
}

// Negative: a bare name after the root says too little (several
// directories of the module end in templates): the chart is not known.
func installFromRootAmbiguous(root, tag string) error {
	return exec.Command("helm", "install", "operator", filepath.Join(root, "templates"),
		"--set", "image.tag="+tag,
	).Run()
}
