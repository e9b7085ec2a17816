// Package handsplitreference: references split by hand whose parts reach a
// repository or tag sink are reported; splits of other text, and parts used
// for anything else, are not.
package handsplitreference

import (
	"fmt"
	"net"
	"os/exec"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Index and LastIndex slices of the reference, rebuilt into a container's
// image.
func retagged(image string) corev1.Container {
	repo := image[:strings.LastIndex(image, ":")] // want `splits an image reference on ":" by hand`
	return corev1.Container{Name: "app", Image: repo + ":e2e"}
}

// Negative: a host and port, not an image.
func dial(addr string) (net.Conn, error) {
	host, port, _ := strings.Cut(addr, ":")
	return net.Dial("tcp", net.JoinHostPort(host, port))
}

// Negative: a path split on "/" for a name.
func lastElem(path string) string {
	parts := strings.Split(path, "/")
	return parts[len(parts)-1]
}

// Negative: the parts of the image are only printed.
func describe(image string) string {
	repo, tag, _ := strings.Cut(image, ":")
	return fmt.Sprintf("repository %s, tag %s", repo, tag)
}

// Negative: the whole reference goes to helm; the split only names a release.
func install(image string) error {
	name := image[strings.LastIndex(image, "/")+1:]
	return exec.Command("helm", "install", name, "oci://ghcr.io/acme/charts/app", "--set", "image.repository="+image).Run()
}
