package repo

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/makefile"
)

// Bounds on following: nested make runs and scripts, and the runs one
// Make or Script call follows in all.
const (
	maxNesting = 8
	maxRuns    = 200
)

// Run is what a make run or a script does with images.
type Run struct {
	Steps    []Step
	Unknowns []Unknown
}

// Step is one image step of a run.
type Step struct {
	command.Step
	// Pos is where the command is: the recipe line (Col 0 past its first
	// command, whose column the expansion hides) or the script's exact
	// line and column.
	Pos Pos
	// Dir is the absolute directory the command runs in, "" when not
	// known: a recipe runs in its Makefile's directory unless it cd's;
	// kustomize edit set image edits the kustomization there.
	Dir string
	// Via is how the step was reached, outermost first: the rule line of
	// each target made, the line running each script.
	Via []Pos
	// Followed: a Make or RunScript step whose steps follow it in Steps.
	Followed bool
}

// Unknown is what a run does that cannot be known: What it is ("target
// kind-load", "$(shell git describe)") and the Reason.
type Unknown struct {
	Pos          Pos
	What, Reason string
}

// runner follows one Make or Script call.
type runner struct {
	m     *Model
	out   Run
	runs  int
	depth int
	// sources are the files a sourcer read, for positions in them.
	sources map[string]string
	// alone: a target's recipe without its prerequisites.
	alone bool
}

func (m *Model) runner() *runner { return &runner{m: m, sources: map[string]string{}} }

// Make returns the image steps of make -C dir TARGETS VARS... run with the
// environment env (a nil value: set to something unknown): the default
// goal when targets is empty; each target's prerequisites first, each
// target once; recipes expanded and parsed as shell; the make runs
// ($(MAKE) TARGET, make -C DIR) and script files they run followed. dir
// is absolute or relative to the module root.
func (m *Model) Make(dir string, targets []string, vars, env map[string]command.Word) Run {
	return m.MakeFile(dir, "", targets, vars, env)
}

// MakeFile is Make with make -f file.
func (m *Model) MakeFile(dir, file string, targets []string, vars, env map[string]command.Word) Run {
	r := m.runner()
	r.make(m.abs(dir), file, targets, vars, env, nil, Pos{})
	return r.out
}

// Script returns the image steps of the script file path (relative to
// dir) run in dir with args and env; the scripts it runs or sources and
// the make runs it makes are followed.
func (m *Model) Script(dir, path string, args []command.Word, env map[string]command.Word) Run {
	r := m.runner()
	dir = m.abs(dir)
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	r.script(dir, path, "", args, env, nil, Pos{})
	return r.out
}

func (r *runner) unknown(at Pos, what, reason string) {
	r.out.Unknowns = append(r.out.Unknowns, Unknown{at, what, reason})
}

// enter bounds the nesting and number of runs followed.
func (r *runner) enter(at Pos, what string) bool {
	if r.depth >= maxNesting || r.runs >= maxRuns {
		r.unknown(at, what, "nested too deep to follow")
		return false
	}
	r.runs++
	r.depth++
	return true
}

func (r *runner) make(dir, file string, targets []string, vars, env map[string]command.Word, via []Pos, at Pos) {
	what := "make " + strings.Join(targets, " ")
	if !r.enter(at, what) {
		return
	}
	defer func() { r.depth-- }()
	mk, path, err := r.m.eval(dir, file, targets, vars, env)
	if err != nil {
		reason := err.Error()
		if errors.Is(err, os.ErrNotExist) {
			reason = "no Makefile in " + dir
		}
		r.unknown(at, what, reason)
		return
	}
	goals := targets
	if len(goals) == 0 {
		if mk.DefaultGoal == "" {
			r.unknown(Pos{File: path, Line: 1}, "the default goal", "the Makefile has no rule")
			return
		}
		goals = []string{mk.DefaultGoal}
	}
	done := map[string]bool{}
	for _, g := range goals {
		r.target(mk, dir, g, nil, via, at, done, vars, true)
	}
}

// target makes one target: its prerequisites, then its recipe.
func (r *runner) target(mk *makefile.Make, dir, name string, parent *makefile.Resolved, via []Pos, at Pos,
	done map[string]bool, vars map[string]command.Word, goal bool) {
	if done[name] {
		return
	}
	done[name] = true
	rs, ok := mk.Resolve(name, parent)
	if !ok {
		if goal {
			r.unknown(at, "target "+name, "not defined")
		}
		return // a file, not a target
	}
	rulePos := fromMake(rs.Rule.Pos)
	via = append(slices.Clip(via), rulePos)
	for _, p := range rs.Prereqs {
		if r.alone {
			break
		}
		pre, ok := p.Literal()
		if !ok {
			// $(KUSTOMIZE): a rule names it the same way
			if mk.Target(p.String()) == nil {
				r.unknown(rulePos, "prerequisite "+p.String(), reasonOf(mk, p))
				continue
			}
			pre = p.String()
		}
		r.target(mk, dir, pre, rs, via, rulePos, done, vars, false)
	}
	for _, line := range rs.Lines {
		steps, err := command.Script(command.ScriptRun{Shell: rs.Shell, Src: line.Text, Env: rs.Env,
			Dir: command.Lit(dir), Source: r.sourcer})
		at := fromMake(line.Pos)
		if err != nil {
			r.m.problem(Problem{at, "recipe line is not valid shell: " + err.Error()})
			continue
		}
		r.take(steps, dir, vars, via, func(s command.Step) Pos { return recipePos(at, line.Text, s.Offset) })
	}
}

// reasonOf says why a word from a Makefile is not literal.
func reasonOf(mk *makefile.Make, w command.Word) string {
	for _, p := range w {
		switch {
		case p.IsUnknown():
			return mk.Reason(p)
		case p.IsVar():
			return "$(" + p.Text + ") may come from the environment"
		case p.IsSlot():
			return "a value the caller passes"
		}
	}
	return "not known"
}

// recipePos locates a command in a recipe line: the line grows with the
// newlines (kept continuations) before it in the expanded text.
func recipePos(at Pos, text command.Word, offset int) Pos {
	if offset <= 0 {
		return at
	}
	var lit strings.Builder
	for _, p := range text {
		if p.IsLiteral() {
			lit.WriteString(p.Text)
		}
	}
	before := lit.String()[:min(offset, lit.Len())]
	if n := strings.Count(before, "\n"); n > 0 {
		return Pos{at.File, at.Line + n, 0}
	}
	return Pos{at.File, at.Line, 0}
}

// script follows a script file run in dir.
func (r *runner) script(dir, file, shell string, args []command.Word, env map[string]command.Word, via []Pos, at Pos) {
	what := "script " + file
	data, err := r.m.read(file)
	if err != nil {
		r.unknown(at, what, err.Error())
		return
	}
	sh, ok := isScript(file, data)
	if !ok && shell == "" {
		return // a program, not a shell script
	}
	if shell == "" {
		shell = sh
	}
	if !r.enter(at, what) {
		return
	}
	defer func() { r.depth-- }()
	src := string(data)
	steps, err := r.walk(command.ScriptRun{Shell: shell, Src: command.Lit(src), Name: command.Lit(file),
		Args: args, Env: env, Dir: command.Lit(dir)})
	if err != nil {
		r.m.problem(Problem{Pos{file, 1, 0}, "not valid shell: " + err.Error()})
		return
	}
	if at != (Pos{}) {
		via = append(slices.Clip(via), at)
	}
	r.take(steps, dir, nil, via, func(s command.Step) Pos { return offsetPos(file, src, s.Offset) })
}

// walked is a script walked, with the files it sourced.
type walked struct {
	steps   []command.Step
	err     error
	sources map[string]string
}

// walk walks a script file once per model for each way it is run: many
// scripts source the same library, or run the same tool script.
func (r *runner) walk(run command.ScriptRun) ([]command.Step, error) {
	var key strings.Builder
	key.WriteString(run.Shell)
	for _, w := range append([]command.Word{run.Name, run.Dir, run.Src}, run.Args...) {
		wordKey(&key, w)
	}
	for _, k := range slices.Sorted(maps.Keys(run.Env)) {
		key.WriteString("\x00" + k + "=")
		wordKey(&key, run.Env[k])
	}
	r.m.mu.Lock()
	w, ok := r.m.walked[key.String()]
	r.m.mu.Unlock()
	if !ok {
		inner := r.m.runner()
		run.Source = inner.sourcer
		w.steps, w.err = command.Script(run)
		w.sources = inner.sources
		r.m.mu.Lock()
		r.m.walked[key.String()] = w
		r.m.mu.Unlock()
	}
	maps.Copy(r.sources, w.sources)
	return w.steps, w.err
}

// wordKey writes a word so that equal words, defaults compared by value,
// write the same.
func wordKey(b *strings.Builder, w command.Word) {
	b.WriteString("\x00[")
	for _, p := range w {
		fmt.Fprintf(b, "%d:%q", p.Slot, p.Text)
		if p.Default != nil {
			wordKey(b, *p.Default)
		}
	}
	b.WriteString("]")
}

// sourcer reads the files scripts source, relative to the directory the
// script is in then.
func (r *runner) sourcer(p, dir command.Word) (string, string, bool) {
	file, ok := p.Literal()
	if !ok {
		return "", "", false
	}
	if !path.IsAbs(file) {
		d, ok := dir.Literal()
		if !ok || !path.IsAbs(d) {
			return "", "", false
		}
		file = path.Join(d, file)
	}
	data, err := r.m.read(file)
	if err != nil {
		return "", "", false
	}
	r.sources[file] = string(data)
	return file, string(data), true
}

// offsetPos returns the line and column of a byte offset in src.
func offsetPos(file, src string, offset int) Pos {
	if offset < 0 || offset > len(src) {
		return Pos{file, 1, 0}
	}
	before := src[:offset]
	line := strings.Count(before, "\n") + 1
	return Pos{file, line, offset - strings.LastIndexByte(before, '\n')}
}

// take adds the steps of a recipe line or a script, following the make
// runs and script files among them.
func (r *runner) take(steps []command.Step, dir string, vars map[string]command.Word, via []Pos, locate func(command.Step) Pos) {
	for _, s := range steps {
		at := locate(s)
		if s.File != "" {
			at = offsetPos(s.File, r.sources[s.File], s.Offset)
		}
		st := Step{Step: s, Pos: at, Dir: stepDir(dir, s.Dir), Via: via}
		i := len(r.out.Steps)
		r.out.Steps = append(r.out.Steps, st)
		switch s.Kind {
		case command.Make:
			r.out.Steps[i].Followed = r.followMake(st, vars)
		case command.RunScript:
			r.out.Steps[i].Followed = r.followScript(st)
		}
	}
}

// stepDir returns the absolute directory a step runs in.
func stepDir(dir string, d command.Word) string {
	if d == nil {
		return dir
	}
	t, ok := d.Literal()
	switch {
	case !ok:
		return ""
	case path.IsAbs(t):
		return path.Clean(t)
	case dir == "":
		return ""
	}
	return filepath.Join(dir, t)
}

// followMake follows a make run of a recipe or script. make passes its
// command-line variables on to the make runs of its recipes.
func (r *runner) followMake(s Step, parentVars map[string]command.Word) bool {
	a := s.Make
	dir := s.Dir
	if a.Dir != nil {
		d, ok := a.Dir.Literal()
		if !ok || dir == "" && !path.IsAbs(d) {
			r.unknown(s.Pos, s.Tool+" -C "+a.Dir.String(), "the directory is known at run time")
			return false
		}
		dir = stepDir(dir, command.Lit(d))
	}
	if dir == "" {
		r.unknown(s.Pos, s.Tool, "the directory it runs in is not known")
		return false
	}
	file := ""
	if a.File != nil {
		f, ok := a.File.Literal()
		if !ok {
			r.unknown(s.Pos, s.Tool+" -f "+a.File.String(), "the Makefile is named at run time")
			return false
		}
		file = f
	}
	vars := make(map[string]command.Word, len(parentVars)+len(a.Vars))
	for k, v := range parentVars {
		vars[k] = v
	}
	for k, v := range a.Vars {
		vars[k] = v
	}
	r.make(dir, file, a.Targets, vars, a.Env, append(slices.Clip(s.Via), s.Pos), s.Pos)
	return true
}

// followScript follows a script file a recipe or script runs.
func (r *runner) followScript(s Step) bool {
	what := "script " + s.Paths[0].String()
	p, ok := s.Paths[0].Literal()
	if !ok {
		r.unknown(s.Pos, what, reasonOfWord(s.Paths[0]))
		return false
	}
	if !path.IsAbs(p) {
		if s.Dir == "" {
			r.unknown(s.Pos, what, "the directory it runs in is not known")
			return false
		}
		p = filepath.Join(s.Dir, p)
	}
	if !r.m.exists(p) {
		if ext := filepath.Ext(p); ext == ".sh" || ext == ".bash" || s.Script.Sourced {
			r.unknown(s.Pos, what, "no such file in the repository")
		}
		return false
	}
	if s.Script.Sourced { // the file is there: the reader refused it
		r.unknown(s.Pos, what, "not read: outside the repository or too large")
		return false
	}
	dir := s.Dir
	r.script(dir, p, s.Script.Shell, s.Script.Args, s.Script.Env, s.Via, s.Pos)
	return true
}

func reasonOfWord(w command.Word) string {
	for _, p := range w {
		switch {
		case p.IsVar():
			return "its path depends on $" + p.Text
		case p.IsSlot():
			return "its path is a value the caller passes"
		case p.IsUnknown():
			return "its path depends on " + p.Text
		}
	}
	return "not known"
}
