package handsplitreference

import (
	"fmt"
	"os/exec"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The parts pass through local variables before they become helm values.
func installParts(image string) error {
	repo, tag, _ := strings.Cut(image, ":") // want `strings.Cut splits an image reference on ":" by hand, and its parts become a helm image value`
	repoArg := "image.repository=" + repo
	tagArg := fmt.Sprintf("image.tag=%s", tag)
	return exec.Command("helm", "install", "app", "./chart", "--set", repoArg, "--set", tagArg).Run()
}

// The parts are copied, then joined into a container's image held in a
// variable.
func containerParts(image string) corev1.Container {
	parts := strings.Split(image, ":") // want `strings.Split splits an image reference on ":" by hand, and its parts become part of a deployed image`
	repository := parts[0]
	name := repository
	ref := name + ":e2e"
	c := corev1.Container{Name: "app"}
	c.Image = ref
	return c
}

// The arguments are collected in a slice first.
func installArgs(image string) error {
	i := strings.LastIndex(image, ":") // want `strings.LastIndex splits an image reference on ":" by hand, and its parts become a helm image value`
	repo, tag := image[:i], image[i+1:]
	args := []string{"install", "app", "./chart"}
	args = append(args, "--set", "image.repository="+repo, "--set", "image.tag="+tag)
	return exec.Command("helm", args...).Run()
}

// Negative: the parts pass through variables into a log line only.
func logParts(image string) string {
	repo, tag, _ := strings.Cut(image, ":")
	line := "repository " + repo
	return line + ", tag " + tag
}
