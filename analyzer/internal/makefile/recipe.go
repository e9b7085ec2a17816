package makefile

import (
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// Resolved is a target as make would make it.
type Resolved struct {
	Name string
	// Rule is the target's rule (Pos: the rule line of its recipe); for
	// a target made by a pattern rule, the pattern's.
	Rule *Target
	Stem string // $*, for a pattern rule
	// Prereqs are made first, in order; order-only ones last.
	Prereqs []command.Word
	// Lines is the recipe, expanded, one shell run each; @, - and +
	// prefixes removed.
	Lines []Line
	// Env is the recipe's environment as make sets it: command-line and
	// exported variables, and those from the environment.
	Env map[string]command.Word
	// Shell is the shell of $(SHELL): sh, bash...
	Shell string
	// chain: the targets whose target-specific variables apply, innermost
	// first (the parents' after the target's own).
	chain []*Target
}

// Line is one recipe line, expanded.
type Line struct {
	Pos  Pos
	Text command.Word
}

// Resolve returns how target name is made, with the target-specific
// variables of parent (the target that asked for it, nil for a goal)
// inherited; false when no rule makes it.
func (m *Make) Resolve(name string, parent *Resolved) (*Resolved, bool) {
	rs := &Resolved{Name: name}
	explicit := m.targets[name]
	if explicit != nil {
		rs.chain = append(rs.chain, explicit)
	}
	var pattern *Target
	for _, p := range m.patterns {
		stem, ok := match(p.Name, name)
		if !ok {
			continue
		}
		if len(p.Vars) > 0 {
			rs.chain = append(rs.chain, p)
		}
		if pattern == nil && len(p.Recipe) > 0 && (explicit == nil || len(explicit.Recipe) == 0) {
			pattern, rs.Stem = p, stem
		}
	}
	if parent != nil {
		rs.chain = append(rs.chain, parent.chain...)
	}
	switch {
	case explicit != nil && (len(explicit.Recipe) > 0 || pattern == nil):
		rs.Rule = explicit
	case pattern != nil:
		rs.Rule = pattern
	default:
		return nil, false
	}
	if explicit != nil {
		rs.Prereqs = append(rs.Prereqs, explicit.Prereqs...)
	}
	if pattern != nil && rs.Rule == pattern {
		for _, p := range pattern.Prereqs {
			rs.Prereqs = append(rs.Prereqs, stemmed(p, rs.Stem))
		}
	}
	var order []command.Word
	if explicit != nil {
		order = explicit.Order
	}
	s := m.scope(rs.chain).with(automatic(rs, order))
	for _, l := range rs.Rule.Recipe {
		for _, line := range recipeLines(s.expand(l.Text)) {
			if line = recipePrefix(line); len(line) > 0 {
				rs.Lines = append(rs.Lines, Line{l.Pos, line})
			}
		}
	}
	rs.Prereqs = append(rs.Prereqs, order...)
	rs.Env = m.env(s)
	if sh, ok := s.lookup("SHELL").Literal(); ok {
		rs.Shell = command.Shebang("#!" + sh)
	}
	if rs.Shell == "" {
		rs.Shell = "sh"
	}
	return rs, true
}

// stemmed replaces the % of a pattern prerequisite with the stem.
func stemmed(w command.Word, stem string) command.Word {
	out := make(command.Word, 0, len(w))
	for i, p := range w {
		if p.IsLiteral() && strings.Contains(p.Text, "%") {
			out = append(out, command.Lit(strings.Replace(p.Text, "%", stem, 1))...)
			return command.Concat(out, w[i+1:])
		}
		out = append(out, p)
	}
	return w
}

func automatic(rs *Resolved, order []command.Word) map[string]command.Word {
	auto := map[string]command.Word{
		"@": command.Lit(rs.Name),
		"*": command.Lit(rs.Stem),
		"+": join(rs.Prereqs),
		"|": join(order),
		"?": command.Opaque("$?"), // the prerequisites newer than the target: run time
		"<": pick(rs.Prereqs, 0),
	}
	var uniq []command.Word
	seen := map[string]bool{}
	for _, p := range rs.Prereqs {
		if k := p.String(); !seen[k] {
			seen[k] = true
			uniq = append(uniq, p)
		}
	}
	auto["^"] = join(uniq)
	return auto
}

// recipeLines splits an expanded recipe line at newlines not escaped by a
// backslash: a canned recipe ($(call ...) of a define) is several lines.
func recipeLines(w command.Word) []command.Word {
	var out []command.Word
	var cur command.Word
	for _, p := range w {
		if !p.IsLiteral() {
			cur = append(cur, p)
			continue
		}
		t := p.Text
		for {
			i := unescapedNewline(t)
			if i < 0 {
				cur = append(cur, command.Lit(t)...)
				break
			}
			cur = append(cur, command.Lit(t[:i])...)
			out = append(out, command.Concat(cur))
			cur, t = nil, t[i+1:]
		}
	}
	return append(out, command.Concat(cur))
}

func unescapedNewline(t string) int {
	for i := 0; i < len(t); i++ {
		if t[i] == '\n' && (i == 0 || t[i-1] != '\\') {
			return i
		}
	}
	return -1
}

// recipePrefix removes the @, - and + prefixes and the blanks around them.
func recipePrefix(w command.Word) command.Word {
	if len(w) == 0 || !w[0].IsLiteral() {
		return w
	}
	t := strings.TrimLeft(w[0].Text, " \t@-+")
	if t == "" && len(w) == 1 {
		return nil
	}
	return command.Concat(command.Lit(t), w[1:])
}

// env returns the environment of a recipe run in scope s.
func (m *Make) env(s *scope) map[string]command.Word {
	out := map[string]command.Word{}
	add := func(name string) {
		if validName(name) {
			out[name] = s.lookup(name)
		}
	}
	for name := range m.cfg.Vars {
		add(name)
	}
	for name := range m.cfg.Env {
		add(name)
	}
	for name, v := range m.vars {
		if v.Export == 1 || m.exportAll && v.Export == 0 {
			add(name)
		}
	}
	for _, t := range s.chain {
		for _, tv := range t.Vars {
			if tv.a.Export {
				add(strings.TrimSpace(tv.a.Name))
			}
		}
	}
	for name, v := range m.vars {
		if v.Export == -1 {
			delete(out, name)
		}
	}
	return out
}

func validName(n string) bool {
	if n == "" || n[0] >= '0' && n[0] <= '9' {
		return false
	}
	for _, r := range n {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// Reason says why an Unknown part of an expansion is not known.
func (m *Make) Reason(p command.Part) string {
	t := p.Text
	for _, f := range []struct{ prefix, why string }{
		{"$(shell ", "$(shell ...) runs at make time; it is never run here"},
		{"$(wildcard ", "$(wildcard ...) reads the file system at make time"},
		{"$(realpath ", "$(realpath ...) reads the file system at make time"},
		{"$(eval ", "$(eval ...) is not read"},
		{"$(error ", "$(error ...) stops make"},
		{"$(if ", "the condition of $(if ...) depends on a run-time value"},
		{"$(or ", "$(or ...) depends on a run-time value"},
		{"$(and ", "$(and ...) depends on a run-time value"},
		{"$(origin ", "the origin depends on the environment"},
	} {
		if strings.HasPrefix(t, f.prefix) {
			return f.why
		}
	}
	switch {
	case t == "$(...)":
		return "the expansion is too large to follow"
	case t == "$?":
		return "the prerequisites newer than the target are known at run time"
	case strings.HasPrefix(t, "$(") && strings.HasSuffix(t, ")"):
		name, _, subst := strings.Cut(t[2:len(t)-1], ":")
		if v, ok := m.vars[name]; subst && ok && v.EnvDefault {
			return "$(" + name + ") may come from the environment"
		}
		if v, ok := m.vars[name]; ok && v.Undecided != "" {
			return "set under a condition that depends on a run-time value: " + v.Undecided
		}
		if v, ok := m.vars[name]; ok && v.Recursive {
			return "the variable refers to itself"
		}
		if v, ok := m.cfg.Env[name]; ok && v == nil {
			return "set in the environment to a value not known"
		}
	}
	return "depends on a run-time value"
}
