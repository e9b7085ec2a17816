// Package official runs with -official-images=kubernaut-tools: that single
// name is declared pullable, other unofficial names stay local.
package official

import (
	"context"
	"os/exec"

	corev1 "k8s.io/api/core/v1"
)

// Both repositories are loaded here under other tags: without the setting,
// both constants below would be local.
func load(ctx context.Context) error {
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "kubernaut-tools:dev").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kind", "load", "docker-image", "datastorage:dev").Run()
}

func containers() []corev1.Container {
	return []corev1.Container{
		{Name: "tools", Image: "kubernaut-tools:1.4"},
		{Name: "datastorage", Image: "datastorage:e2e"}, // want `hardcoded image "datastorage:e2e" in container spec`
	}
}
