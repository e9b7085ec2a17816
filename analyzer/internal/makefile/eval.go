package makefile

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// Bounds on what Eval reads.
const (
	maxIncludeDepth = 16
	maxIncludes     = 200
)

// Config is how make is run.
type Config struct {
	// Dir is the directory make runs in ($(CURDIR)), absolute.
	Dir string
	// Vars are the command-line variables (make NAME=VALUE): they override
	// the Makefile's assignments, except override ones.
	Vars map[string]command.Word
	// Env are the environment variables known set (a nil value: to
	// something unknown). A variable the Makefile does not assign and Env
	// does not hold expands to a command.Var part.
	Env map[string]command.Word
	// Goals are the targets on the command line ($(MAKECMDGOALS)).
	Goals []string
	// Read returns the parsed file an include names, by absolute path, or
	// an error (not found, outside the repository, too large). Nil reads
	// no include.
	Read func(path string) (*File, error)
}

// Variable is a variable as the Makefile leaves it.
type Variable struct {
	Name string
	Pos  Pos // of the assignment that set it last
	// Recursive variables (=, define, ?=) keep Raw and expand it when
	// referenced; simple ones (:=, ::=) hold Value.
	Recursive bool
	Raw       string
	Value     command.Word
	// EnvDefault: set by ?= where nothing set it before, so the
	// environment may give it: it expands to a command.Var part whose
	// default is its value. Appended is what += added after it.
	EnvDefault bool
	Appended   string
	Override   bool
	Export     int8 // 1 exported, -1 unexported, 0 as make decides
	// Undecided says why its value is not known: it was assigned in a
	// branch of a conditional that could not be decided.
	Undecided string
}

// Target is what the rules say of one target.
type Target struct {
	Name    string // the expanded name, rendered with command.Word.String
	Word    command.Word
	Pos     Pos // the rule line that gave the recipe, else the first rule line
	Prereqs []command.Word
	Order   []command.Word // order-only prerequisites
	Recipe  []*RecipeLine
	Vars    []*targetVar
	Phony   bool
	Pattern bool // its name holds a %
}

// targetVar is a target-specific assignment; a simple one is expanded
// when read.
type targetVar struct {
	a     *Assign
	value command.Word
}

// Make is the database Eval builds: variables and rules.
type Make struct {
	cfg      Config
	vars     map[string]*Variable
	targets  map[string]*Target
	order    []*Target // in the order first read
	patterns []*Target
	// DefaultGoal is the target make builds without goals: .DEFAULT_GOAL
	// or the first target of the first rule.
	DefaultGoal string
	// Files are the files read, the Makefile first, then its includes.
	Files []string
	// Problems are what could not be read or decided.
	Problems  []Problem
	exportAll bool
	includes  int
}

// reader is the state of Eval while it reads the directives.
type reader struct {
	m       *Make
	current []*Target        // the targets whose recipe recipe lines extend
	started map[*Target]bool // the recipe was begun by the current rule
	ruleAt  Pos              // the current rule's line
	// undecided is the condition under which the directives are read, ""
	// when certain.
	undecided string
	depth     int
}

// Eval reads a parsed Makefile as make does before running anything.
func Eval(f *File, cfg Config) *Make {
	m := &Make{cfg: cfg, vars: map[string]*Variable{}, targets: map[string]*Target{}}
	r := &reader{m: m, started: map[*Target]bool{}}
	r.file(f)
	if v, ok := m.vars[".DEFAULT_GOAL"]; ok {
		if goal, ok := m.scope(nil).value(v).Literal(); ok && strings.TrimSpace(goal) != "" {
			m.DefaultGoal = strings.TrimSpace(goal)
		}
	}
	return m
}

func (r *reader) file(f *File) {
	r.m.Files = append(r.m.Files, f.Name)
	r.m.Problems = append(r.m.Problems, f.Problems...)
	r.nodes(f.Nodes)
	r.current = nil
}

func (r *reader) problem(pos Pos, msg string) {
	r.m.Problems = append(r.m.Problems, Problem{pos, msg})
}

func (r *reader) nodes(nodes []Node) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *RecipeLine:
			r.recipeLine(n)
			continue
		case *Cond:
			r.cond(n)
			continue
		case *Assign:
			r.assign(n)
		case *Rule:
			r.rule(n)
			continue
		case *Include:
			r.include(n)
		case *Export:
			r.export(n)
		case *Expr:
			r.expr(n)
		}
		r.current = nil
	}
}

func (r *reader) recipeLine(l *RecipeLine) {
	for _, t := range r.current {
		if !r.started[t] {
			if len(t.Recipe) > 0 {
				t.Recipe = nil // a later recipe replaces the earlier one, as make warns
			}
			r.started[t] = true
			t.Pos = r.ruleAt
		}
		t.Recipe = append(t.Recipe, l)
	}
}

// cond reads a conditional: the branch make takes when the condition can
// be decided, both otherwise.
func (r *reader) cond(c *Cond) {
	taken, known := r.m.decide(c)
	switch {
	case known && taken:
		r.nodes(c.Then)
	case known:
		r.nodes(c.Else)
	case r.envDefault(c):
	default:
		saved := r.undecided
		r.undecided = condText(c)
		r.problem(c.Pos, "undecided: "+r.undecided+": variables either branch sets are unknown")
		r.nodes(c.Then)
		r.nodes(c.Else)
		r.undecided = saved
	}
}

func condText(c *Cond) string {
	if c.Kind == "ifdef" || c.Kind == "ifndef" {
		return c.Kind + " " + c.A
	}
	return c.Kind + " (" + c.A + "," + c.B + ")"
}

// envDefault reads "ifndef X / X = v / endif" (and ifdef X / else / X = v)
// as X ?= v when X is set by neither the Makefile nor the command line:
// the environment decides.
func (r *reader) envDefault(c *Cond) bool {
	branch := c.Then
	if c.Kind == "ifdef" {
		if len(c.Then) > 0 {
			return false
		}
		branch = c.Else
	} else if c.Kind != "ifndef" || len(c.Else) > 0 {
		return false
	}
	if len(branch) == 0 {
		return true
	}
	for _, n := range branch {
		a, ok := n.(*Assign)
		if !ok || strings.TrimSpace(a.Name) != c.A || a.Op == "+=" || a.Op == "!=" {
			return false
		}
	}
	for _, n := range branch {
		a := *n.(*Assign)
		simple := a.Op == ":=" || a.Op == "::=" || a.Op == ":::="
		a.Op = "?="
		r.assign(&a)
		if v := r.m.vars[c.A]; v != nil && simple {
			v.Recursive, v.Value = false, r.m.scope(nil).expand(v.Raw)
		}
	}
	return true
}

// decide evaluates a condition; known is false when it depends on what
// only the run knows.
func (m *Make) decide(c *Cond) (taken, known bool) {
	s := m.scope(nil)
	switch c.Kind {
	case "ifdef", "ifndef":
		name, ok := s.expand(c.A).Literal()
		if !ok {
			return false, false
		}
		def, known := m.defined(strings.TrimSpace(name))
		return def == (c.Kind == "ifdef"), known
	}
	a, b := s.expand(c.A), s.expand(c.B)
	ta, oka := a.Literal()
	tb, okb := b.Literal()
	var equal bool
	switch {
	case oka && okb:
		equal = ta == tb
	case a.Equal(b):
		equal = true
	default:
		return false, false
	}
	return equal == (c.Kind == "ifeq"), true
}

// defined tells whether ifdef NAME holds: the variable has a non-empty
// value, not expanded.
func (m *Make) defined(name string) (def, known bool) {
	if v, ok := m.cfg.Vars[name]; ok {
		return len(v) > 0, true
	}
	if v, ok := m.vars[name]; ok {
		switch {
		case v.Undecided != "":
			return false, false
		case v.EnvDefault:
			return strings.TrimSpace(v.Raw+v.Appended) != "", v.Raw != ""
		case v.Recursive:
			return strings.TrimSpace(v.Raw) != "", true
		}
		return len(v.Value) > 0, true
	}
	if v, ok := m.cfg.Env[name]; ok {
		return len(v) > 0, v != nil
	}
	return false, false // the environment may set it
}

// assign reads a global assignment.
func (r *reader) assign(a *Assign) {
	m := r.m
	name, ok := m.scope(nil).expand(a.Name).Literal()
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		r.problem(a.Pos, "assignment to a variable whose name is not known: "+clip(a.Name))
		return
	}
	if _, ok := m.cfg.Vars[name]; ok && !a.Override {
		return // the command line wins
	}
	old := m.vars[name]
	if old != nil && old.Override && !a.Override {
		return
	}
	v := &Variable{Name: name, Pos: a.Pos, Override: a.Override}
	if old != nil {
		v.Export = old.Export
	}
	if a.Export {
		v.Export = 1
	}
	switch a.Op {
	case "=":
		v.Recursive, v.Raw = true, a.Value
	case ":=", "::=", ":::=":
		v.Value = m.scope(nil).expand(a.Value)
	case "!=":
		v.Value = command.Opaque("$(shell " + strings.TrimSpace(a.Value) + ")")
	case "?=":
		if _, inEnv := m.cfg.Env[name]; old != nil || inEnv {
			return // set already, maybe by the environment
		}
		v.Recursive, v.Raw, v.EnvDefault = true, a.Value, true
	case "+=":
		switch {
		case old == nil:
			if env, ok := m.cfg.Env[name]; ok {
				v.Value = command.Concat(envWord(name, env), command.Lit(" "), m.scope(nil).expand(a.Value))
			} else {
				v.Recursive, v.Raw, v.EnvDefault = true, "", true // the environment's, if any
				v.Appended = " " + a.Value
			}
		case old.EnvDefault:
			*v = *old
			v.Pos, v.Appended = a.Pos, old.Appended+" "+a.Value
		case old.Recursive:
			*v = *old
			v.Pos, v.Raw = a.Pos, joinRaw(old.Raw, a.Value)
		default:
			*v = *old
			v.Pos, v.Value = a.Pos, joinWords(old.Value, m.scope(nil).expand(a.Value))
		}
	}
	if r.undecided != "" {
		v.Undecided = r.undecided
	}
	m.vars[name] = v
}

func joinRaw(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

func joinWords(a, b command.Word) command.Word {
	if len(a) == 0 {
		return b
	}
	return command.Concat(a, command.Lit(" "), b)
}

func envWord(name string, v command.Word) command.Word {
	if v == nil {
		return command.Opaque("$(" + name + ")")
	}
	return v
}

// rule reads a rule: its targets, prerequisites, target-specific
// variable, and the recipe on its line.
func (r *reader) rule(rl *Rule) {
	m := r.m
	s := m.scope(nil)
	names := fields(s.expand(rl.Targets))
	r.current, r.ruleAt = nil, rl.Pos
	clear(r.started)
	for _, w := range names {
		t := m.target(w, rl.Pos)
		if rl.Var != nil {
			tv := &targetVar{a: rl.Var}
			if op := rl.Var.Op; op == ":=" || op == "::=" || op == ":::=" {
				tv.value = s.expand(rl.Var.Value)
			}
			t.Vars = append(t.Vars, tv)
			continue
		}
		t.Prereqs = append(t.Prereqs, fields(s.expand(rl.Prereqs))...)
		t.Order = append(t.Order, fields(s.expand(rl.OrderOnly))...)
		r.current = append(r.current, t)
		if m.DefaultGoal == "" && !t.Pattern && (!strings.HasPrefix(t.Name, ".") || strings.Contains(t.Name, "/")) {
			m.DefaultGoal = t.Name
		}
	}
	if rl.Var != nil {
		return
	}
	if len(names) == 1 {
		switch n := names[0].String(); n {
		case ".PHONY":
			for _, p := range m.targets[n].Prereqs {
				m.target(p, rl.Pos).Phony = true
			}
		case ".EXPORT_ALL_VARIABLES":
			m.exportAll = true
		case ".ONESHELL":
			r.problem(rl.Pos, ".ONESHELL is not modelled: each recipe line is read as its own shell")
		}
	}
	if rl.Recipe != nil {
		r.recipeLine(rl.Recipe)
	}
}

// target returns the target named w, created at pos when new.
func (m *Make) target(w command.Word, pos Pos) *Target {
	name := w.String()
	if t, ok := m.targets[name]; ok {
		return t
	}
	t := &Target{Name: name, Word: w, Pos: pos, Pattern: strings.Contains(name, "%")}
	m.targets[name] = t
	m.order = append(m.order, t)
	if t.Pattern {
		m.patterns = append(m.patterns, t)
	}
	return t
}

// include reads the files an include names, relative to the including
// file's directory.
func (r *reader) include(in *Include) {
	m := r.m
	for _, w := range fields(m.scope(nil).expand(in.Files)) {
		name, ok := w.Literal()
		switch {
		case !ok:
			if !in.Optional {
				r.problem(in.Pos, "include of a file named at run time: "+w.String())
			}
			continue
		case m.cfg.Read == nil:
			continue
		case r.depth >= maxIncludeDepth || m.includes >= maxIncludes:
			r.problem(in.Pos, "too many nested includes: "+name+" not read")
			continue
		}
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(in.File), name)
		}
		m.includes++
		f, err := m.cfg.Read(path)
		if err != nil {
			if !in.Optional {
				r.problem(in.Pos, "include "+name+": "+err.Error())
			}
			continue
		}
		saved := r.current
		r.depth++
		r.file(f)
		r.depth--
		r.current = saved
	}
}

func (r *reader) export(e *Export) {
	m := r.m
	if e.All {
		m.exportAll = !e.Un
		return
	}
	for _, w := range fields(m.scope(nil).expand(e.Names)) {
		name, ok := w.Literal()
		if !ok {
			continue
		}
		v := m.vars[name]
		if v == nil {
			v = &Variable{Name: name, Pos: e.Pos, EnvDefault: true, Recursive: true}
			m.vars[name] = v
		}
		v.Export = 1
		if e.Un {
			v.Export = -1
		}
	}
}

func (r *reader) expr(e *Expr) {
	text := strings.TrimSpace(e.Text)
	for _, fn := range []string{"eval", "error"} {
		if strings.HasPrefix(text, "$("+fn+" ") || strings.HasPrefix(text, "${"+fn+" ") {
			if fn == "error" && r.undecided != "" {
				return
			}
			r.problem(e.Pos, "$("+fn+" ...) is not read")
			return
		}
	}
	r.m.scope(nil).expand(text) // $(info ...), $(foreach ...): no effect here
}

// Var returns the variable name as the Makefile leaves it, nil when it
// does not assign it.
func (m *Make) Var(name string) *Variable { return m.vars[name] }

// Value returns the global value of variable name, expanded: the
// command-line value, the Makefile's, the environment's (a command.Var
// part when not known).
func (m *Make) Value(name string) command.Word { return m.scope(nil).lookup(name) }

// Expand expands text in the global scope.
func (m *Make) Expand(text string) command.Word { return m.scope(nil).expand(text) }

// Target returns the target a rule names exactly (name rendered with
// command.Word.String), nil when none: patterns are not matched.
func (m *Make) Target(name string) *Target { return m.targets[name] }

// Targets returns the targets the rules name, patterns and special
// targets included, in the order first read.
func (m *Make) Targets() []*Target { return slices.Clone(m.order) }
