package knowledge

import (
	"maps"
	"slices"
)

// Packages returns the import paths of the packages whose functions or
// struct fields the table lists, sorted: what documentation of the
// supported APIs must name.
func Packages() []string {
	paths := maps.Clone(tablePkgs)
	for _, f := range fields {
		paths[pkgOf(f.Struct)] = true
	}
	return slices.Sorted(maps.Keys(paths))
}
