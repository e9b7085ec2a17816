// Package nolint has two findings of each of two checks, one of each
// suppressed with //nolint:imagetaglint: run.sh asserts that golangci-lint
// reports exactly the other two.
package nolint

import (
	"io"

	corev1 "k8s.io/api/core/v1"
)

// ImageConfig says what to build.
type ImageConfig struct{ Name, Dockerfile string }

// BuildAndLoadImageToKind builds an image, loads it into Kind and returns its
// reference.
func BuildAndLoadImageToKind(cfg ImageConfig, w io.Writer) (string, error) {
	return "localhost/" + cfg.Name + ":e2e-1", nil
}

// Setup drops the built image twice.
func Setup(w io.Writer) {
	cfg := ImageConfig{Name: "app", Dockerfile: "Dockerfile"}
	BuildAndLoadImageToKind(cfg, w) // want: discarded-image (reported)
	BuildAndLoadImageToKind(cfg, w) //nolint:imagetaglint // suppressed
}

// Containers hardcodes the locally built image twice.
func Containers() []corev1.Container {
	return []corev1.Container{
		{Name: "app", Image: "localhost/app:e2e"},  // want: hardcoded-image (reported)
		{Name: "app2", Image: "localhost/app:e2e"}, //nolint:imagetaglint // suppressed
	}
}
