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
