package repo

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/workflow"
)

// TestEnv is a value a known run of go test gives an environment
// variable of the package it tests.
type TestEnv struct {
	// Value has Var parts at their defaults where make sets them from the
	// file (as GoTestRun.Env), Unknown parts for workflow expressions.
	Value command.Word
	Pos   Pos // where it is set: the recipe line, the workflow's env
}

// testRun is a go test run of a package that the model knows: a Makefile
// target's (make) or a CI workflow's go test step (ci, in wf).
type testRun struct {
	make *GoTestRun
	ci   *workflow.Invocation
	wf   *workflow.Workflow
}

// testRuns returns the go test runs the model knows of that test the
// package in dir.
func (m *Model) testRuns(dir string) []testRun {
	var out []testRun
	for _, r := range m.GoTestRuns() {
		if r.Tests(dir) {
			out = append(out, testRun{make: &r})
		}
	}
	for _, wf := range m.workflows() {
		for _, inv := range wf.Invocations() {
			if inv.Kind == workflow.GoTest && m.ciTests(inv, dir) {
				out = append(out, testRun{ci: &inv, wf: wf})
			}
		}
	}
	return out
}

// TestRunCount is the number of go test runs of the package in dir that
// the model knows: its Makefile targets' and its CI workflows'.
func (m *Model) TestRunCount(dir string) int { return len(m.testRuns(dir)) }

// TestEnv returns the values the go test runs the model knows of give the
// environment variable name when they test the package in dir: a Makefile
// target's run (GoTestRuns), with what its recipe gives go test or, for a
// variable it does not give, what every CI make run of the target sets (a
// make command-line variable reaches the recipe's environment too); and
// the CI workflows' go test runs. ok is false when no run of the package is
// known, or one of them gives the variable no value: it may be unset.
func (m *Model) TestEnv(dir, name string) (values []TestEnv, ok bool) {
	runs := m.testRuns(dir)
	for _, r := range runs {
		if r.ci != nil {
			i := slices.IndexFunc(r.ci.Env, func(v workflow.Var) bool { return v.Name == name })
			if i < 0 {
				return nil, false
			}
			values = append(values, TestEnv{fromValue(r.ci.Env[i].Value), fromWorkflow(r.wf.Path, r.ci.Env[i].Pos)})
			continue
		}
		if w, set := r.make.Env[name]; set {
			if w == nil {
				return nil, false
			}
			values = append(values, TestEnv{w, r.make.Pos})
			continue
		}
		ci := m.ciMakeEnv(r.make.Target, name)
		if len(ci) == 0 {
			return nil, false
		}
		values = append(values, ci...)
	}
	return values, len(runs) > 0
}

// ciMakeEnv returns what every CI make run of target sets variable name
// to, in its environment or on its command line; none when a run does not
// set it.
func (m *Model) ciMakeEnv(target, name string) []TestEnv {
	var out []TestEnv
	for _, wf := range m.workflows() {
		for _, inv := range wf.Invocations() {
			if inv.Kind != workflow.Make || !slices.ContainsFunc(inv.Targets, func(a workflow.Arg) bool { return a.Value.String() == target }) {
				continue
			}
			var set *workflow.Var
			for _, v := range append(slices.Clip(inv.Env), inv.Vars...) {
				if v.Name == name {
					set = &v // the command line's, last, wins
				}
			}
			if set == nil {
				return nil
			}
			out = append(out, TestEnv{fromValue(set.Value), fromWorkflow(wf.Path, set.Pos)})
		}
	}
	return out
}

// ciTests reports whether a CI go test run tests the package in dir: its
// relative package patterns, from the directory it runs in.
func (m *Model) ciTests(inv workflow.Invocation, dir string) bool {
	d, ok := inv.Dir.Literal()
	if !ok {
		return false
	}
	run := GoTestRun{Dir: m.RepoRoot}
	if d != "" {
		run.Dir = filepath.Join(m.RepoRoot, filepath.FromSlash(d))
	}
	for _, p := range inv.Packages {
		if lit, ok := fromValue(p.Value).Literal(); ok {
			run.Pkgs = append(run.Pkgs, lit)
		}
	}
	return run.Tests(dir)
}

// FlagUnset reports whether the go test runs of the package in dir that
// the model knows of are known, and none may set the test binary's flag
// name: its value is then its default. A word not known (a variable's
// value) may set any flag.
func (m *Model) FlagUnset(dir, name string) bool {
	runs := m.testRuns(dir)
	for _, r := range runs {
		var args []command.Word
		if r.make != nil {
			args = r.make.Args
		} else {
			for _, a := range r.ci.TestArgs {
				args = append(args, fromValue(a.Value))
			}
		}
		if slices.ContainsFunc(args, func(w command.Word) bool { return maySetFlag(w, name) }) {
			return false
		}
	}
	return len(runs) > 0
}

// maySetFlag reports whether a command-line word may set flag name:
// -name, --name, -name=value, or a word not known.
func maySetFlag(w command.Word, name string) bool {
	lit, ok := w.Literal()
	if !ok {
		return true
	}
	flag, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(lit, "-"), "-"), "=")
	return strings.HasPrefix(lit, "-") && flag == name
}
