package analyzer

import (
	"cmp"
	"slices"
	"testing"
)

// TestRanks lists the precedence of every check, highest first, and
// holds that no two checks share a rank: between two findings about the
// same step or image, the higher rank is always shown.
func TestRanks(t *testing.T) {
	checks := slices.SortedFunc(slices.Values(registry), func(a, b *check) int { return cmp.Compare(b.rank, a.rank) })
	for i, c := range checks {
		t.Logf("%3d %s", c.rank, c.name)
		if i > 0 && checks[i-1].rank == c.rank {
			t.Errorf("%s and %s share rank %d", checks[i-1].name, c.name, c.rank)
		}
		if c.rank <= 0 {
			t.Errorf("%s: rank %d; give it a positive rank in %s", c.name, c.rank, c.file)
		}
	}
}

// TestRegistered names a check whose file registers it but that
// registry_gen.go does not list: it would never run.
func TestRegistered(t *testing.T) {
	for _, c := range registered {
		if !slices.Contains(registry, c) {
			t.Errorf("check %s, registered in %s, is not in registry_gen.go, so it never runs: run %s", c.name, c.file, generatedBy)
		}
	}
	if len(registered) != len(registry) {
		t.Errorf("%d checks registered, %d in the registry", len(registered), len(registry))
	}
}
