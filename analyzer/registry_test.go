package analyzer

import (
	"cmp"
	"os"
	"path/filepath"
	"regexp"
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

// TestPrecedence holds that the precedence table names checks, that each
// check outranks those whose findings it drops, and that the table of
// docs/checks.md (analyzer/doc/intro.md) says the same, highest rank first.
func TestPrecedence(t *testing.T) {
	for winner, losers := range precedence {
		w := checkNamed(winner)
		if w == nil {
			t.Errorf("precedence names %q, which is no check", winner)
			continue
		}
		for _, l := range losers {
			switch c := checkNamed(l); {
			case c == nil:
				t.Errorf("precedence of %s names %q, which is no check", winner, l)
			case c.rank >= w.rank:
				t.Errorf("%s drops findings of %s, which it does not outrank (%d, %d)", winner, l, w.rank, c.rank)
			}
		}
	}
	intro, err := os.ReadFile(filepath.Join("doc", "intro.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| \[([a-z-]+)\]\(#[a-z-]+\) \| (.*) \|$`)
	var documented []*check
	for _, m := range row.FindAllStringSubmatch(string(intro), -1) {
		c := checkNamed(m[1])
		if c == nil {
			t.Errorf("intro.md: precedence row of %q, which is no check", m[1])
			continue
		}
		documented = append(documented, c)
		var named []string
		for _, other := range Checks {
			if regexp.MustCompile(`(^|[^a-z-])` + other + `($|[^a-z-])`).MatchString(m[2]) {
				named = append(named, other)
			}
		}
		if want := slices.Sorted(slices.Values(precedence[c.name])); !slices.Equal(named, want) {
			t.Errorf("intro.md: %s drops findings of %v, its row names %v", c.name, want, named)
		}
	}
	if !slices.IsSortedFunc(documented, func(a, b *check) int { return cmp.Compare(b.rank, a.rank) }) {
		t.Error("intro.md: the precedence rows are not in rank order, highest first")
	}
	for name := range precedence {
		if !slices.ContainsFunc(documented, func(c *check) bool { return c.name == name }) {
			t.Errorf("intro.md: no precedence row for %s", name)
		}
	}
}
