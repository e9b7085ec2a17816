package knowledge

import (
	"slices"
	"testing"
)

func TestPackages(t *testing.T) {
	got := Packages()
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("Packages() = %q, want sorted and unique", got)
	}
	// One package of the function table, one of the fields only, one alias.
	for _, want := range []string{envfuncs, helmValues, "k8s.io/client-go/kubernetes"} {
		if !slices.Contains(got, want) {
			t.Errorf("Packages() lacks %s", want)
		}
	}
	for _, api := range table {
		if !slices.Contains(got, pkgOf(api.Func)) {
			t.Errorf("Packages() lacks the package of %s", api.Func)
		}
	}
}
