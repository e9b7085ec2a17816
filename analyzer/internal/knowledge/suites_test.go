package knowledge

import (
	"go/token"
	"go/types"
	"testing"
)

// TestGinkgoNodesMatchRealModule checks every node of the table against
// Ginkgo v2: a function of the package, or a package variable holding one.
func TestGinkgoNodesMatchRealModule(t *testing.T) {
	pkg := realPackages(t)[ginkgo]
	for key, want := range ginkgoNodes {
		name := key[len(ginkgo)+1:]
		obj := pkg.Scope().Lookup(name)
		if obj == nil {
			t.Errorf("%s: not in %s", key, ginkgo)
			continue
		}
		if _, ok := obj.Type().Underlying().(*types.Signature); !ok {
			t.Errorf("%s is a %s, not a function", key, obj.Type())
		}
		if got, ok := GinkgoNode(obj); !ok || got != want {
			t.Errorf("GinkgoNode(%s) = %v, %v; want %v", key, got, ok, want)
		}
	}
	// Context and Specify are variables holding Describe and It.
	for name, want := range map[string]Node{"Context": Container, "Specify": Subject, "XIt": Pending} {
		obj := pkg.Scope().Lookup(name)
		if _, isVar := obj.(*types.Var); !isVar {
			t.Errorf("ginkgo.%s is a %T now", name, obj)
		}
		if got, _ := GinkgoNode(obj); got != want {
			t.Errorf("GinkgoNode(%s) = %v, want %v", name, got, want)
		}
	}
	// Not nodes: other functions of the package, a local variable named
	// like one, a function of that name elsewhere.
	for _, name := range []string{"By", "RunSpecs", "GinkgoWriter", "Label", "Entry"} {
		if n, ok := GinkgoNode(pkg.Scope().Lookup(name)); ok {
			t.Errorf("GinkgoNode(%s) = %v", name, n)
		}
	}
	describe := pkg.Scope().Lookup("Describe")
	if _, ok := GinkgoNode(types.NewVar(token.NoPos, pkg, "Describe", describe.Type())); ok {
		t.Error("GinkgoNode accepted a variable outside package scope")
	}
	other := types.NewPackage("example.com/mine", "mine")
	if _, ok := GinkgoNode(types.NewFunc(token.NoPos, other, "It", describe.Type().(*types.Signature))); ok {
		t.Error("GinkgoNode accepted It of another package")
	}
}

func TestIsOrdered(t *testing.T) {
	pkg := realPackages(t)[ginkgo]
	ordered := pkg.Scope().Lookup("Ordered").(*types.Const)
	if !IsOrdered(ordered.Type(), ordered.Val()) {
		t.Errorf("IsOrdered(%s) = false", ordered.Type())
	}
	for _, name := range []string{"OncePerOrdered", "Serial", "ContinueOnFailure"} {
		if c, ok := pkg.Scope().Lookup(name).(*types.Const); ok && IsOrdered(c.Type(), c.Val()) {
			t.Errorf("IsOrdered(%s) = true", name)
		}
	}
}

func TestGoTests(t *testing.T) {
	pkgs := realPackages(t)
	testingPkg := pkgs["testing"]
	ptr := func(name string) types.Type {
		return types.NewPointer(testingPkg.Scope().Lookup(name).Type())
	}
	mine := types.NewPackage("example.com/mine", "mine")
	fn := func(name string, params ...types.Type) *types.Func {
		var vars []*types.Var
		for _, p := range params {
			vars = append(vars, types.NewParam(token.NoPos, mine, "x", p))
		}
		return types.NewFunc(token.NoPos, mine, name, types.NewSignatureType(nil, nil, nil, types.NewTuple(vars...), nil, false))
	}
	tests := []struct {
		fn   *types.Func
		file string
		want GoTest
	}{
		{fn("TestMain", ptr("M")), "main_test.go", GoTestMain},
		{fn("TestMain", ptr("M")), "main.go", NotGoTest}, // go test reads only _test.go files
		{fn("TestApp", ptr("T")), "app_test.go", GoTestFunc},
		{fn("Test", ptr("T")), "app_test.go", GoTestFunc},
		{fn("Testing", ptr("T")), "app_test.go", NotGoTest}, // Test must not be followed by a lower-case letter
		{fn("TestApp", ptr("B")), "app_test.go", NotGoTest},
		{fn("TestApp"), "app_test.go", NotGoTest},
		{fn("TestMain", ptr("T")), "main_test.go", GoTestFunc},
	}
	for _, tt := range tests {
		if got := GoTestOf(tt.fn, tt.file); got != tt.want {
			t.Errorf("GoTestOf(%s in %s) = %v, want %v", tt.fn, tt.file, got, tt.want)
		}
	}
	run, _, _ := types.LookupFieldOrMethod(ptr("M"), false, testingPkg, "Run")
	if !IsRunTests(run.(*types.Func)) {
		t.Error("IsRunTests((*testing.M).Run) = false")
	}
	subtest, _, _ := types.LookupFieldOrMethod(ptr("T"), false, testingPkg, "Run")
	if IsRunTests(subtest.(*types.Func)) {
		t.Error("IsRunTests((*testing.T).Run) = true")
	}
}

func TestStepStage(t *testing.T) {
	pkgs := realPackages(t)
	for method, want := range map[string]Stage{"Setup": Setup, "Test": Test, "Finish": Teardown, "Run": 0} {
		if got := StepStage(methodOf(t, pkgs, "sigs.k8s.io/e2e-framework/pkg/env", "Environment", method)); got != want {
			t.Errorf("StepStage(Environment.%s) = %v, want %v", method, got, want)
		}
	}
}
