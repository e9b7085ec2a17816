// Package split holds the fix of hand-split-reference: strings.Cut on ":"
// becomes a function that splits with github.com/distribution/reference.
package split

import (
	"os/exec"
	"strings"
)

func installChart(image string) error {
	repo, tag, _ := strings.Cut(image, ":") // want `strings.Cut splits an image reference on ":" by hand, and its parts become a helm image value`
	return exec.Command("helm", "install", "app", "oci://ghcr.io/acme/charts/app",
		"--set", "image.repository="+repo, "--set", "image.tag="+tag).Run()
}
