// Package workflow reads GitHub Actions workflow files with actionlint's
// parser: the environment each job and step sets (env: at every level and
// what run: steps append to $GITHUB_ENV) and the runs of go test, make and
// scripts in run: steps, with the environment in effect at each. The files
// are only read: nothing is executed.
package workflow

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
)

// MaxSize bounds the input Parse reads; real workflows are a few tens of
// kilobytes.
const MaxSize = 1 << 20

// Problem is why a file, or part of it, could not be read.
type Problem struct {
	Pos     Pos
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("%d:%d: %s", p.Pos.Line, p.Pos.Col, p.Message)
}

// Workflow is one workflow file.
type Workflow struct {
	Path string // as given to Parse
	Name string
	Env  []Var // the workflow's env:, in file order
	Jobs []*Job
}

// Job is one job of a workflow, in file order.
type Job struct {
	ID     string
	Name   string
	Pos    Pos
	Needs  []string
	Env    []Var // the job's env:, in file order
	Matrix []Row // the strategy's matrix, when it is written out
	Steps  []*Step

	wf          *Workflow
	envs        [][]Var // envs[i] is EnvAt(i)
	invocations []Invocation
}

// Row is one variable of a job's matrix and the distinct scalar values
// written for it, include: entries last. Rows given by an expression are
// left out.
type Row struct {
	Name   string
	Values []string
	Pos    Pos
}

// Step is one step of a job.
type Step struct {
	Index int // in the job
	ID    string
	Name  string
	Pos   Pos
	Env   []Var // the step's env:, in file order, ${{ env.NAME }} resolved

	// A run: step.
	Run    string // the script as the runner receives it, before ${{ }} substitution
	RunPos Pos    // the script's first character in the file
	Shell  string // shell: of the step, the job's or the workflow's defaults; "" when none
	Dir    string // working-directory: likewise; "" when none

	// A uses: step.
	Uses string
	With []Var // its inputs, in file order, ${{ env.NAME }} resolved

	// Appended are the variables the step's script appends to $GITHUB_ENV,
	// in order, each at the command that writes it.
	Appended []Var

	runMap lineMap
}

// Var is a variable or input and its value.
type Var struct {
	Name  string
	Value Value
	Pos   Pos // where it is set: its key, or the command that appends it
}

// Parse reads a workflow file. It never panics. A file that is not YAML,
// or whose YAML is not a workflow (no jobs), gives a nil Workflow and the
// problems found; a workflow with problems actionlint reports (an unknown
// key, a bad value) comes with them, read as far as it goes.
func Parse(path string, data []byte) (*Workflow, []Problem) {
	if len(data) > MaxSize {
		return nil, []Problem{{Pos{1, 1}, fmt.Sprintf("%d bytes, over the %d-byte limit", len(data), MaxSize)}}
	}
	if p, ok := aliasBomb(data); !ok {
		return nil, []Problem{p}
	}
	w, problems := parseYAML(data)
	if w == nil || len(w.Jobs) == 0 {
		if len(problems) == 0 {
			problems = append(problems, Problem{Pos{1, 1}, "not a workflow: no jobs"})
		}
		return nil, problems
	}
	// Lines as the YAML parser counts them: \n, \r\n and a lone \r.
	lines := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(data)), "\n")
	wf := &Workflow{Path: path, Name: str(w.Name), Env: vars(w.Env, nil)}
	for _, j := range sortedJobs(w.Jobs) {
		job, ps := wf.job(w, j, lines)
		wf.Jobs = append(wf.Jobs, job)
		problems = append(problems, ps...)
	}
	return wf, problems
}

// parseYAML runs actionlint's parser. go.yaml.in/yaml panics on some
// malformed input; actionlint's own fuzzer recovers from it the same way.
func parseYAML(data []byte) (w *actionlint.Workflow, problems []Problem) {
	defer func() {
		if r := recover(); r != nil {
			w, problems = nil, []Problem{{Pos{1, 1}, fmt.Sprintf("YAML parser failed: %v", r)}}
		}
	}()
	w, errs := actionlint.Parse(data)
	for _, e := range errs {
		problems = append(problems, Problem{Pos{e.Line, e.Column}, e.Message})
	}
	return w, problems
}

func sortedJobs(jobs map[string]*actionlint.Job) []*actionlint.Job {
	out := make([]*actionlint.Job, 0, len(jobs))
	for _, j := range jobs {
		if j != nil && j.ID != nil {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b *actionlint.Job) int { return comparePos(pos(a.Pos), pos(b.Pos)) })
	return out
}

func (wf *Workflow) job(w *actionlint.Workflow, j *actionlint.Job, lines []string) (*Job, []Problem) {
	job := &Job{ID: j.ID.Value, Name: str(j.Name), Pos: pos(j.Pos), Env: vars(j.Env, nil), wf: wf}
	for _, n := range j.Needs {
		job.Needs = append(job.Needs, n.Value)
	}
	if j.Strategy != nil {
		job.Matrix = matrix(j.Strategy.Matrix)
	}
	// Variables a step appends to $GITHUB_ENV reach the steps after it;
	// they override the workflow's and the job's env:, and a step's own
	// env: overrides them, as the runner does.
	env := scope{}.with(wf.Env).with(job.Env)
	var problems []Problem
	for _, s := range j.Steps {
		if s == nil {
			continue
		}
		step := &Step{Index: len(job.Steps), ID: str(s.ID), Name: str(s.Name), Pos: pos(s.Pos), Env: vars(s.Env, env)}
		inStep := env.with(step.Env)
		switch x := s.Exec.(type) {
		case *actionlint.ExecRun:
			step.Shell = firstString(x.Shell, runDefault(j.Defaults, shellOf), runDefault(w.Defaults, shellOf))
			step.Dir = firstString(x.WorkingDirectory, runDefault(j.Defaults, dirOf), runDefault(w.Defaults, dirOf))
			if x.Run != nil {
				step.Run = x.Run.Value
				step.runMap = newLineMap(lines, x.Run.Value, pos(x.Run.Pos))
				step.RunPos = step.runMap.at(0)
			}
		case *actionlint.ExecAction:
			step.Uses = str(x.Uses)
			step.With = inputs(x.Inputs, inStep)
		}
		job.Steps = append(job.Steps, step)
		job.envs = append(job.envs, sortedEnv(inStep))
		invs, appended, ps := job.walkScript(step, inStep)
		job.invocations = append(job.invocations, invs...)
		step.Appended = appended
		env = env.with(appended)
		problems = append(problems, ps...)
	}
	return job, problems
}

// EnvAt is the environment a step starts with, sorted by name: the
// workflow's env:, the job's, what earlier steps of the job appended to
// $GITHUB_ENV, then the step's own env:, each overriding the one before.
// Variables the runner itself sets (GITHUB_SHA, CI) are not in it.
func (j *Job) EnvAt(step int) []Var {
	if step < 0 || step >= len(j.envs) {
		return nil
	}
	return j.envs[step]
}

// Workflow returns the workflow the job belongs to.
func (j *Job) Workflow() *Workflow { return j.wf }

// RunPosAt maps a byte offset of Run to its position in the file.
func (s *Step) RunPosAt(off int) Pos {
	if s.runMap.segs == nil {
		return s.Pos
	}
	return s.runMap.at(off)
}

// vars reads an env: section in file order; env, when not nil, resolves
// ${{ env.NAME }} in the values.
func vars(e *actionlint.Env, env scope) []Var {
	if e == nil {
		return nil
	}
	var out []Var
	for _, v := range e.Vars {
		if v == nil || v.Name == nil || v.Value == nil {
			continue
		}
		out = append(out, Var{Name: v.Name.Value, Value: parseValue(v.Value.Value, env), Pos: pos(v.Name.Pos)})
	}
	sortByPos(out)
	return out
}

func inputs(in map[string]*actionlint.Input, env scope) []Var {
	var out []Var
	for _, i := range in {
		if i == nil || i.Name == nil || i.Value == nil {
			continue
		}
		out = append(out, Var{Name: i.Name.Value, Value: parseValue(i.Value.Value, env), Pos: pos(i.Name.Pos)})
	}
	sortByPos(out)
	return out
}

func sortByPos(vs []Var) {
	slices.SortStableFunc(vs, func(a, b Var) int { return comparePos(a.Pos, b.Pos) })
}

func comparePos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// matrix reads the rows written out as lists of scalars, then include:
// entries' scalar values.
func matrix(m *actionlint.Matrix) []Row {
	if m == nil || m.Expression != nil {
		return nil
	}
	var rows []Row
	index := map[string]int{}
	add := func(name *actionlint.String, v actionlint.RawYAMLValue) {
		s, ok := v.(*actionlint.RawYAMLString)
		if !ok || name == nil {
			return
		}
		i, ok := index[name.Value]
		if !ok {
			i = len(rows)
			index[name.Value] = i
			rows = append(rows, Row{Name: name.Value, Pos: pos(name.Pos)})
		}
		if !slices.Contains(rows[i].Values, s.Value) {
			rows[i].Values = append(rows[i].Values, s.Value)
		}
	}
	for _, r := range m.Rows {
		if r == nil || r.Expression != nil {
			continue
		}
		for _, v := range r.Values {
			add(r.Name, v)
		}
	}
	slices.SortFunc(rows, func(a, b Row) int { return comparePos(a.Pos, b.Pos) })
	if m.Include != nil {
		for _, c := range m.Include.Combinations {
			if c == nil {
				continue
			}
			for _, a := range sortedAssigns(c.Assigns) {
				add(a.Key, a.Value)
			}
		}
	}
	return rows
}

func sortedAssigns(as map[string]*actionlint.MatrixAssign) []*actionlint.MatrixAssign {
	var out []*actionlint.MatrixAssign
	for _, a := range as {
		if a != nil && a.Key != nil {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *actionlint.MatrixAssign) int { return comparePos(pos(a.Key.Pos), pos(b.Key.Pos)) })
	return out
}

func str(s *actionlint.String) string {
	if s == nil {
		return ""
	}
	return s.Value
}

func pos(p *actionlint.Pos) Pos {
	if p == nil {
		return Pos{}
	}
	return Pos{p.Line, p.Col}
}

func firstString(ss ...*actionlint.String) string {
	for _, s := range ss {
		if s != nil {
			return s.Value
		}
	}
	return ""
}

func shellOf(d *actionlint.DefaultsRun) *actionlint.String { return d.Shell }
func dirOf(d *actionlint.DefaultsRun) *actionlint.String   { return d.WorkingDirectory }

// runDefault returns a field of defaults.run, nil when unset.
func runDefault(d *actionlint.Defaults, field func(*actionlint.DefaultsRun) *actionlint.String) *actionlint.String {
	if d == nil || d.Run == nil {
		return nil
	}
	return field(d.Run)
}

// Paths returns the workflow files of the repository at root, sorted:
// .github/workflows/*.yml and *.yaml. It reads no file.
func Paths(root string) ([]string, error) {
	var out []string
	for _, ext := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, ".github", "workflows", ext))
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	slices.Sort(out)
	return out, nil
}
