package knowledge

import (
	"go/constant"
	"go/types"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Node is what a call of a test framework's API is to the order in which
// a suite runs its code: the function literal it is given runs then, not
// where it is written.
type Node uint8

const (
	// SuiteSetup runs once before every spec (BeforeSuite,
	// SynchronizedBeforeSuite: both of its bodies).
	SuiteSetup Node = iota + 1
	// SuiteTeardown runs once after every spec.
	SuiteTeardown
	// Container groups nodes; its body runs while the tree is built.
	Container
	// BeforeAll runs once before the specs of its (ordered) container.
	BeforeAll
	// BeforeEach runs before each spec of its container, outermost first.
	BeforeEach
	// JustBeforeEach runs after every BeforeEach, just before the spec.
	JustBeforeEach
	// Subject is a spec: It, Specify, and a table's body for each entry.
	Subject
	// JustAfterEach runs right after each spec, before AfterEach.
	JustAfterEach
	// AfterEach runs after each spec of its container, innermost first.
	AfterEach
	// AfterAll runs once after the specs of its container.
	AfterAll
	// Cleanup runs when the node that registered it is done.
	Cleanup
	// Pending is a container or spec that never runs (P and X variants).
	Pending
)

var nodeNames = [...]string{
	SuiteSetup: "BeforeSuite", SuiteTeardown: "AfterSuite", Container: "container",
	BeforeAll: "BeforeAll", BeforeEach: "BeforeEach", JustBeforeEach: "JustBeforeEach",
	Subject: "It", JustAfterEach: "JustAfterEach", AfterEach: "AfterEach", AfterAll: "AfterAll",
	Cleanup: "DeferCleanup", Pending: "pending",
}

func (n Node) String() string {
	if int(n) < len(nodeNames) && nodeNames[n] != "" {
		return nodeNames[n]
	}
	return "Node(" + strconv.Itoa(int(n)) + ")"
}

const (
	ginkgo      = "github.com/onsi/ginkgo/v2"
	orderedType = ginkgo + "/internal.orderedType" // the type of the Ordered decorator
)

// ginkgoNodes are Ginkgo v2's node functions, keyed "path.Name". Context,
// Specify and the X variants are package variables holding a function.
// Verified against github.com/onsi/ginkgo/v2 v2.34.0 by the test.
var ginkgoNodes = map[string]Node{
	ginkgo + ".BeforeSuite":             SuiteSetup,
	ginkgo + ".SynchronizedBeforeSuite": SuiteSetup,
	ginkgo + ".AfterSuite":              SuiteTeardown,
	ginkgo + ".SynchronizedAfterSuite":  SuiteTeardown,
	ginkgo + ".Describe":                Container,
	ginkgo + ".FDescribe":               Container,
	ginkgo + ".Context":                 Container,
	ginkgo + ".FContext":                Container,
	ginkgo + ".When":                    Container,
	ginkgo + ".FWhen":                   Container,
	ginkgo + ".DescribeTableSubtree":    Container,
	ginkgo + ".FDescribeTableSubtree":   Container,
	ginkgo + ".BeforeAll":               BeforeAll,
	ginkgo + ".BeforeEach":              BeforeEach,
	ginkgo + ".JustBeforeEach":          JustBeforeEach,
	ginkgo + ".It":                      Subject,
	ginkgo + ".FIt":                     Subject,
	ginkgo + ".Specify":                 Subject,
	ginkgo + ".FSpecify":                Subject,
	ginkgo + ".DescribeTable":           Subject,
	ginkgo + ".FDescribeTable":          Subject,
	ginkgo + ".JustAfterEach":           JustAfterEach,
	ginkgo + ".AfterEach":               AfterEach,
	ginkgo + ".AfterAll":                AfterAll,
	ginkgo + ".DeferCleanup":            Cleanup,
	ginkgo + ".PDescribe":               Pending,
	ginkgo + ".XDescribe":               Pending,
	ginkgo + ".PContext":                Pending,
	ginkgo + ".XContext":                Pending,
	ginkgo + ".PWhen":                   Pending,
	ginkgo + ".PIt":                     Pending,
	ginkgo + ".XIt":                     Pending,
	ginkgo + ".PSpecify":                Pending,
	ginkgo + ".XSpecify":                Pending,
	ginkgo + ".PDescribeTable":          Pending,
	ginkgo + ".XDescribeTable":          Pending,
	ginkgo + ".PDescribeTableSubtree":   Pending,
	ginkgo + ".XDescribeTableSubtree":   Pending,
}

// GinkgoNode returns what the object a call invokes (typeutil.Callee) is
// in a Ginkgo v2 suite: a function of the package, or a package variable
// holding one.
func GinkgoNode(obj types.Object) (Node, bool) {
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != ginkgo {
		return 0, false
	}
	switch obj := obj.(type) {
	case *types.Func:
		if obj.Signature().Recv() != nil {
			return 0, false
		}
	case *types.Var:
		if obj.Parent() != obj.Pkg().Scope() {
			return 0, false
		}
	default:
		return 0, false
	}
	n, ok := ginkgoNodes[ginkgo+"."+obj.Name()]
	return n, ok
}

// IsOrdered reports whether an argument of type t and constant value v
// (nil when not constant) is Ginkgo's Ordered decorator: its container's
// specs run in sequence, in the order written.
func IsOrdered(t types.Type, v constant.Value) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	if named.Obj().Pkg().Path()+"."+named.Obj().Name() != orderedType {
		return false
	}
	return v == nil || v.Kind() != constant.Bool || constant.BoolVal(v)
}

// GoTest is what the go test tool makes of a function of a _test.go file.
type GoTest uint8

const (
	// NotGoTest is any other function.
	NotGoTest GoTest = iota
	// GoTestMain is TestMain(*testing.M), run instead of the tests: what
	// it does before calling (*testing.M).Run runs before every test,
	// what follows after them.
	GoTestMain
	// GoTestFunc is a TestXxx(*testing.T) function: each runs once, in turn.
	GoTestFunc
)

// GoTestOf returns what fn is to the go test tool, by the tool's rules:
// its name and signature, in a file named *_test.go.
func GoTestOf(fn *types.Func, file string) GoTest {
	if fn == nil || !strings.HasSuffix(file, "_test.go") || fn.Signature().Recv() != nil {
		return NotGoTest
	}
	sig := fn.Signature()
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 || sig.TypeParams().Len() != 0 {
		return NotGoTest
	}
	param := sig.Params().At(0).Type()
	switch {
	case fn.Name() == "TestMain" && isTestingPtr(param, "M"):
		return GoTestMain
	case strings.HasPrefix(fn.Name(), "Test") && isTestingPtr(param, "T"):
		rest := fn.Name()[len("Test"):]
		if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !unicode.IsLower(r) {
			return GoTestFunc
		}
	}
	return NotGoTest
}

// IsRunTests reports whether fn runs a package's tests: (*testing.M).Run.
func IsRunTests(fn *types.Func) bool {
	return fn != nil && fn.FullName() == "(*testing.M).Run"
}

func isTestingPtr(t types.Type, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" && named.Obj().Name() == name
}

// StepStage returns when the step functions a call registers into an
// e2e-framework suite run, or 0 when the call registers none.
func StepStage(fn *types.Func) Stage {
	if api, ok := Lookup(fn); ok && api.Effect == Step {
		return api.Stage
	}
	return 0
}
