package analyzer

import (
	"cmp"
	"path/filepath"
	"runtime"
	"slices"
)

// A check is one stable rule: a query over the package's model that
// returns findings. Checks never see each other's results; the reporter
// alone decides what is shown (suppression, then precedence).
type check struct {
	name    string
	trigger trigger // what a file needs for the check to have anything to read
	// rank orders precedence: when two findings are about the same step
	// and image, and the precedence table says one check wins over the
	// other, only the one of the higher-ranked check is shown. Ranks are
	// unique (TestRanks lists them all).
	rank int
	run  func(*index) []finding
	file string // the file that registered it: the check's own
}

// register records the file of the check c is and returns c. Each check
// file declares its check with it; registry_gen.go, which TestDocs
// writes, lists them all.
func register(c *check) *check {
	if _, file, _, ok := runtime.Caller(1); ok {
		c.file = filepath.Base(file)
	}
	registered = append(registered, c)
	return c
}

// registered is every check a file declared with register, whatever
// registry_gen.go says: TestRegistered names one it leaves out.
var registered []*check

// byName sorts checks by name, the documentation order.
func byName(checks ...*check) []*check {
	return slices.SortedFunc(slices.Values(checks), func(a, b *check) int { return cmp.Compare(a.name, b.name) })
}

// Checks lists the name of every check in documentation order.
var Checks = checkNames()

func checkNames() []string {
	names := make([]string, len(registry))
	for i, c := range registry {
		names[i] = c.name
	}
	return names
}

func checkNamed(name string) *check {
	for _, c := range registry {
		if c.name == name {
			return c
		}
	}
	return nil
}

func isCheck(name string) bool { return checkNamed(name) != nil }
