package analyzer_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"github.com/imagetaglint/imagetaglint/flowmap"
)

// describe runs the describing analyzer on pkg and returns its flows by
// name.
func describe(t *testing.T, pkg string) map[string]flowmap.Flow {
	t.Helper()
	a, err := analyzer.NewDescriber(analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	// The package and its test variant: a flow of both is the same.
	flows := make(map[string]flowmap.Flow)
	for _, r := range analysistest.Run(t, testdata(t), a, pkg) {
		d, ok := r.Result.(*analyzer.Description)
		if !ok {
			t.Fatalf("result %#v, want a *Description", r.Result)
		}
		if d == nil {
			continue // the test main package: nothing that matters
		}
		m := &flowmap.Map{Version: flowmap.Version, Flows: d.Flows}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, fl := range d.Flows {
			flows[fl.Name] = fl
		}
	}
	return flows
}

// shape is a flow's steps as "kind image@line via callee": what is done,
// to which image of the flow, where, reached how.
func shape(fl flowmap.Flow) []string {
	var out []string
	for _, st := range fl.Steps {
		var ids []string
		for _, im := range st.Images {
			ids = append(ids, im.ID)
		}
		s := fmt.Sprintf("%s %s@%d", st.Kind, strings.Join(ids, ","), st.Pos.Line)
		for _, c := range st.Via {
			s += " via " + c.Callee
		}
		for _, f := range st.Findings {
			s += " [" + f.Check + "]"
		}
		out = append(out, s)
	}
	return out
}

// The flow map of small setups: each helper is opened at its call, its
// parameter bound to the flow's value (one image through build, load and
// deploy); a helper's own name is a new image at each call; a value
// assigned in two ways is an unknown with its lines; a finding sits on the
// step it is about; a suite lane (TestMain's setup, then a test) is one
// flow. Helpers the package calls are not flows of their own, nor TestMain
// and the tests, which the lanes run.
func TestDescribe(t *testing.T) {
	flows := describe(t, "./flows/describe")
	var names []string
	for name := range flows {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"describe suite: TestDeploy", "describe.setup", "describe.setupMap", "describe.setupSeveral", "describe.setupStale", "describe.setupTwice"}; !slices.Equal(names, want) {
		t.Errorf("flows %v, want %v", names, want)
	}
	for name, want := range map[string][]string{
		"describe.setup": {"build i1@15 via build", "load i1@19 via load", "deploy i1@23 via deployApp"},
		// TestMain's setup, then the test, in run order: one image.
		"describe suite: TestDeploy": {"build i1@15 via build", "load i1@19 via load", "deploy i1@23 via deployApp"},
		"describe.setupTwice":        {"build i1@38 via buildNamed", "build i2@38 via buildNamed"},
		"describe.setupSeveral":      {"build i1@15 via build", "load i1@19 via load", "deploy i1@23 via deployApp"},
		"describe.setupStale":        {"build i1@15 via build", "load i1@19 via load", "deploy i2@23 via deployApp [image-mismatch]"},
	} {
		if got := shape(flows[name]); !slices.Equal(got, want) {
			t.Errorf("%s: steps\n%q\nwant\n%q", name, got, want)
		}
	}

	setup := flows["describe.setup"]
	if ref := setup.Images[0].Ref; ref.Text != "localhost/app:e2e" || !setup.Images[0].Own {
		t.Errorf("Setup's image %+v, want localhost/app:e2e, built here", setup.Images[0])
	}
	if w := setup.Steps[2].Images[0].Ref.Text; w != "<param image>" {
		t.Errorf("the deploy writes the image as %q, want <param image>", w)
	}
	if filepath.Base(setup.Steps[2].Via[0].Pos.File) != "describe.go" || setup.Steps[2].Via[0].Pos.Line != 31 {
		t.Errorf("the deploy is reached from %+v, want the call at describe.go:31", setup.Steps[2].Via)
	}
	if len(setup.Unknowns) != 0 {
		t.Errorf("setup has unknowns %+v", setup.Unknowns)
	}

	// The helper's own name is unknown at both calls: one unknown, counted.
	twice := flows["describe.setupTwice"]
	if len(twice.Unknowns) != 1 || twice.Unknowns[0].What != "ref" ||
		twice.Unknowns[0].Reason != `computed at run time: fmt.Sprintf("localhost/%s:%s", name, tag) (2 places, the first shown)` {
		t.Errorf("setupTwice's unknowns %+v, want ref's, counted twice", twice.Unknowns)
	}

	// A map filled under run-time keys: the entry read is unknown, and why.
	if u := flows["describe.setupMap"].Unknowns; len(u) != 1 || u[0].What != `images["app"]` ||
		u[0].Reason != "an entry of map images that no assignment with a constant key sets" {
		t.Errorf("setupMap's unknowns %+v, want the entry of images", u)
	}

	several := flows["describe.setupSeveral"]
	if len(several.Unknowns) != 1 || several.Unknowns[0].What != "image" ||
		several.Unknowns[0].Reason != "assigned in several ways: describe.go:49, describe.go:51" || several.Unknowns[0].Step != "s1" {
		t.Errorf("setupSeveral's unknowns %+v, want image assigned at lines 49 and 51, on s1", several.Unknowns)
	}
}
