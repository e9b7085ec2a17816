// Package official runs with -official-images=kubernaut-tools: that single
// name is declared pullable, other unofficial names stay local.
package official

import corev1 "k8s.io/api/core/v1"

func containers() []corev1.Container {
	return []corev1.Container{
		{Name: "tools", Image: "kubernaut-tools:1.4"},
		{Name: "datastorage", Image: "datastorage:e2e"}, // want `hardcoded image "datastorage:e2e" in container spec`
	}
}
