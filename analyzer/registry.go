package analyzer

// A check is one stable rule: a query over the package's index that
// returns findings. Checks never see each other's results; the reporter
// alone decides what is shown (suppression, then precedence).
type check struct {
	name    string
	trigger trigger // what a file needs for the check to have anything to read
	// rank orders precedence: a finding may cover (make redundant) only
	// findings of checks with a lower rank.
	rank int
	run  func(*index) []finding
}

// registry lists every check, in documentation order. Each check is
// defined in a file of its own, documented by doc/checks/NAME.md and
// tested by testdata/checks/NAME.
var registry = []*check{
	discardedImage,
	hardcodedImage,
	deployTimeTag,
	regeneratedTag,
	retagAfterLoad,
	ignoredImageParam,
	imageMismatch,
	undeployedImage,
	unknownChartValue,
	handSplitReference,
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
