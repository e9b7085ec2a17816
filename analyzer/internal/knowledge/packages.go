package knowledge

import (
	"maps"
	"slices"
)

// Packages returns the import paths of the packages whose functions or
// struct fields the table lists, sorted: a file that imports none of them
// (nor os/exec, nor the core API types) calls none of these APIs, and the
// documentation of the supported APIs must name each. Typed clients are
// reached through the clientset package that makes them, and
// e2e-framework's types through the packages that alias them.
func Packages() []string {
	paths := maps.Clone(tablePkgs)
	for _, p := range []string{
		"k8s.io/client-go/kubernetes",
		"sigs.k8s.io/e2e-framework/pkg/env",
		"sigs.k8s.io/e2e-framework/support",
		"sigs.k8s.io/e2e-framework/support/kind",
	} {
		paths[p] = true
	}
	for _, f := range fields {
		paths[pkgOf(f.Struct)] = true
	}
	return slices.Sorted(maps.Keys(paths))
}
