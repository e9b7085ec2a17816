package repo

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/workflow"
)

// workflows returns the repository's GitHub workflows, read once per
// model; what cannot be read becomes a problem.
func (m *Model) workflows() []*workflow.Workflow {
	m.mu.Lock()
	if m.wfDone {
		defer m.mu.Unlock()
		return m.wfs
	}
	m.mu.Unlock()
	var wfs []*workflow.Workflow
	dir := filepath.Join(m.RepoRoot, ".github", "workflows")
	for _, e := range m.list(dir) {
		if ext := filepath.Ext(e.Name()); !e.Type().IsRegular() || ext != ".yml" && ext != ".yaml" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := m.read(path)
		if err != nil {
			m.problem(Problem{Pos{path, 1, 0}, err.Error()})
			continue
		}
		wf, problems := workflow.Parse(path, data)
		for _, p := range problems {
			m.problem(Problem{fromWorkflow(path, p.Pos), p.Message})
		}
		if wf != nil {
			wfs = append(wfs, wf)
		}
	}
	m.mu.Lock()
	m.wfs, m.wfDone = wfs, true
	m.mu.Unlock()
	return wfs
}

func fromWorkflow(file string, p workflow.Pos) Pos { return Pos{file, p.Line, p.Col} }

// fromValue converts a workflow value: ${{ }} expressions and shell
// values are Unknown parts, variables the workflow does not set Var
// parts.
func fromValue(v workflow.Value) command.Word {
	out := command.Word{}
	for _, p := range v {
		switch p.Kind {
		case workflow.Text:
			out = append(out, command.Lit(p.Text)...)
		case workflow.Env:
			out = append(out, command.EnvVar(p.Text)...)
		default:
			out = append(out, command.Opaque(p.Text)...)
		}
	}
	return command.Concat(out)
}

func fromVars(vs []workflow.Var) map[string]command.Word {
	if len(vs) == 0 {
		return nil
	}
	out := make(map[string]command.Word, len(vs))
	for _, v := range vs {
		out[v.Name] = fromValue(v.Value)
	}
	return out
}

// EnvValue is a value a CI workflow gives a variable for a run of go test
// or make.
type EnvValue struct {
	Name  string
	Value command.Word
	Pos   Pos // where the workflow sets it
	// Run is the invocation it reaches: "go test", "make".
	Run    string
	RunPos Pos
	// MakeVar: a make command-line variable (make test-e2e IMG=...) rather
	// than an environment variable.
	MakeVar bool
}

// CIEnv returns the values the repository's CI workflows give variable
// name in the environment of their go test and make runs, and as make
// command-line variables, in file order.
func (m *Model) CIEnv(name string) []EnvValue {
	var out []EnvValue
	for _, v := range m.CIEnvAll() {
		if v.Name == name {
			out = append(out, v)
		}
	}
	return out
}

// CIEnvAll returns every value the CI workflows give a variable for their
// go test and make runs, in file order.
func (m *Model) CIEnvAll() []EnvValue {
	var out []EnvValue
	for _, wf := range m.workflows() {
		for _, inv := range wf.Invocations() {
			if inv.Kind != workflow.GoTest && inv.Kind != workflow.Make {
				continue
			}
			at := fromWorkflow(wf.Path, inv.Pos)
			for _, v := range inv.Env {
				out = append(out, EnvValue{v.Name, fromValue(v.Value), fromWorkflow(wf.Path, v.Pos), inv.Kind.String(), at, false})
			}
			for _, v := range inv.Vars {
				out = append(out, EnvValue{v.Name, fromValue(v.Value), fromWorkflow(wf.Path, v.Pos), inv.Kind.String(), at, true})
			}
		}
	}
	return out
}

// ciSteps returns the image steps of the workflows' run: steps, make runs
// and scripts followed, each script with the environment of its step.
func (m *Model) ciSteps() Run {
	r := m.runner()
	for _, wf := range m.workflows() {
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				if s.Run == "" {
					continue
				}
				r.runStep(wf, j, s)
			}
		}
	}
	return r.out
}

// runStep walks one run: step; its ${{ }} expressions are Unknown parts.
func (r *runner) runStep(wf *workflow.Workflow, j *workflow.Job, s *workflow.Step) {
	src, spans := runWord(s.Run)
	dir := r.m.RepoRoot
	if s.Dir != "" {
		dir = filepath.Join(dir, s.Dir)
	}
	shell := "bash"
	if sh := command.Shebang("#!" + s.Shell); sh != "" {
		shell = sh
	}
	steps, err := command.Script(command.ScriptRun{Shell: shell, Src: src, Env: fromVars(j.EnvAt(s.Index)),
		Dir: command.Lit(dir), Source: r.sourcer})
	if err != nil {
		return // the workflow reader reports scripts that are not shell
	}
	r.take(steps, dir, nil, nil, func(st command.Step) Pos {
		return fromWorkflow(wf.Path, s.RunPosAt(runOffset(st.Offset, spans)))
	})
}

// span is where a ${{ }} expression is in a run: script.
type span struct{ at, n int }

// runWord turns a run: script into a word whose ${{ }} expressions are
// Unknown parts, with where they were.
func runWord(run string) (command.Word, []span) {
	var w command.Word
	var spans []span
	rest, off := run, 0
	for {
		i := strings.Index(rest, "${{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			break
		}
		expr := rest[i : i+j+2]
		w = append(w, command.Lit(rest[:i])...)
		w = append(w, command.Opaque(expr)...)
		spans = append(spans, span{off + i, len(expr)})
		rest, off = rest[i+j+2:], off+i+j+2
	}
	return command.Concat(append(w, command.Lit(rest)...)), spans
}

// runOffset maps an offset in the script without its expressions back to
// the run: text.
func runOffset(offset int, spans []span) int {
	out := offset
	for _, s := range spans {
		if s.at > out {
			break
		}
		out += s.n
	}
	return out
}

// CIRun is a run of make or a script in a CI workflow, for following with
// Make or Script.
type CIRun struct {
	Make    bool // make; otherwise a script file
	Dir     string
	Targets []string                // make's goals
	Vars    map[string]command.Word // make's command-line variables
	File    command.Word            // the script; make -f
	Args    []command.Word          // the script's arguments
	Env     map[string]command.Word
	Pos     Pos
}

// CIRuns returns the make runs and script files the CI workflows run, in
// file order.
func (m *Model) CIRuns() []CIRun {
	var out []CIRun
	for _, wf := range m.workflows() {
		for _, inv := range wf.Invocations() {
			if inv.Kind != workflow.Make && inv.Kind != workflow.Script {
				continue
			}
			run := CIRun{Make: inv.Kind == workflow.Make, Dir: m.RepoRoot, Env: fromVars(inv.Env),
				Vars: fromVars(inv.Vars), Pos: fromWorkflow(wf.Path, inv.Pos)}
			if d, ok := inv.Dir.Literal(); ok && d != "" {
				run.Dir = filepath.Join(m.RepoRoot, d)
			} else if !ok {
				run.Dir = ""
			}
			for _, t := range inv.Targets {
				run.Targets = append(run.Targets, t.Value.String())
			}
			if run.Make && inv.Makefile != nil {
				run.File = fromValue(inv.Makefile)
			}
			if !run.Make {
				run.File = fromValue(inv.Command.Value)
				for _, a := range inv.Args {
					run.Args = append(run.Args, fromValue(a.Value))
				}
			}
			out = append(out, run)
		}
	}
	return slices.Clip(out)
}
