package workflow

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics and ends quickly, that it
// returns a workflow or says why not, and that what it returns is
// consistent: positions inside the file, invocations tied to their job and
// step, each environment sorted by name without duplicates.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.y*ml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		synthetic,
		"on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: >\n          IMG=${{ env.A }} make\n          deploy\n",
		"on: push\nx: &a [1, 2]\njobs:\n  j:\n    runs-on: x\n    strategy:\n      matrix:\n        v: *a\n    steps:\n      - run: 'echo \"A<<E\" >> $GITHUB_ENV'\n",
		"jobs: [\n", "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A Parse that never returns would only show as a stalled fuzzer:
		// crash the worker instead, so the fuzzer keeps the input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Parse runs over 10s on %q", data)) })
		wf, problems := Parse("x.yml", data)
		watchdog.Stop()
		if wf == nil {
			if len(problems) == 0 {
				t.Fatal("no workflow and no problem")
			}
			return
		}
		// YAML breaks lines at \n, \r\n and a lone \r alike.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		inFile := func(what string, p Pos) {
			if p.IsValid() && (p.Line > lines || p.Col < 1) {
				t.Fatalf("%s at %d:%d, outside the file's %d lines", what, p.Line, p.Col, lines)
			}
		}
		for _, j := range wf.Jobs {
			if j.Workflow() != wf {
				t.Fatalf("job %s: wrong workflow", j.ID)
			}
			for i, s := range j.Steps {
				if s.Index != i {
					t.Fatalf("job %s: step %d has index %d", j.ID, i, s.Index)
				}
				inFile("step", s.Pos)
				inFile("run", s.RunPos)
				env := j.EnvAt(i)
				if !slices.IsSortedFunc(env, func(a, b Var) int { return strings.Compare(a.Name, b.Name) }) ||
					len(slices.CompactFunc(slices.Clone(env), func(a, b Var) bool { return a.Name == b.Name })) != len(env) {
					t.Fatalf("job %s step %d: environment not sorted or with duplicates: %v", j.ID, i, env)
				}
				for _, v := range s.Appended {
					if !validName(v.Name) {
						t.Fatalf("appended variable %q", v.Name)
					}
					inFile("appended variable", v.Pos)
				}
			}
		}
		for _, inv := range wf.Invocations() {
			if inv.Kind < GoTest || inv.Kind > Script || inv.Job == nil || inv.Step == nil ||
				inv.Job.Steps[inv.Step.Index] != inv.Step {
				t.Fatalf("invocation %+v: bad kind, job or step", inv)
			}
			inFile("invocation", inv.Pos)
			for _, a := range inv.Args {
				inFile("argument", a.Pos)
			}
			if !slices.IsSortedFunc(inv.Env, func(a, b Var) int { return strings.Compare(a.Name, b.Name) }) {
				t.Fatalf("invocation environment not sorted: %v", inv.Env)
			}
		}
	})
}
