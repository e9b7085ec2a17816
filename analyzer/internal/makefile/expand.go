package makefile

import (
	"path"
	"strconv"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// Bounds on one expansion: references and function calls made, nested
// $(call)s and references, and the size of a value.
const (
	maxSteps     = 200000
	maxCallDepth = 64
	maxDepth     = 64
	maxBytes     = 1 << 20
	maxParts     = 4096
	maxForeach   = 1000
)

// scope is where a reference is expanded: the automatic variables and
// $(call) arguments in auto, the target-specific variables of the targets
// being made (innermost first), and the global ones.
type scope struct {
	m     *Make
	auto  map[string]command.Word
	chain []*Target
	st    *expansion
}

// expansion is what the scopes of one expansion share.
type expansion struct {
	steps  int
	calls  int
	depth  int             // nested references: $($($(...)))
	active map[string]bool // recursive variables being expanded
}

func (m *Make) scope(chain []*Target) *scope {
	return &scope{m: m, chain: chain, st: &expansion{steps: maxSteps, active: map[string]bool{}}}
}

func (s *scope) with(auto map[string]command.Word) *scope {
	c := *s
	c.auto = auto
	return &c
}

// tooLarge stands for a value past the bounds.
var tooLarge = command.Opaque("$(...)")

// expand expands text: $$, $X, $(NAME), ${NAME}, $(NAME:A=B) and
// function calls.
func (s *scope) expand(text string) command.Word {
	var out command.Word
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, command.Lit(lit.String())...)
			lit.Reset()
		}
	}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '$')
		if j < 0 {
			lit.WriteString(text[i:])
			break
		}
		lit.WriteString(text[i : i+j])
		i += j
		if i+1 >= len(text) {
			break // a trailing $ expands to nothing
		}
		switch c := text[i+1]; c {
		case '$':
			lit.WriteByte('$')
			i += 2
		case '(', '{':
			end := closing(text, i+1)
			if end < 0 {
				lit.WriteString(text[i:]) // make stops: unterminated reference
				i = len(text)
				continue
			}
			flush()
			out = append(out, s.reference(text[i+2:end])...)
			i = end + 1
		default:
			flush()
			out = append(out, s.lookup(string(c))...)
			i += 2
		}
		if len(out) > 0 && oversized(out) {
			s.st.steps = 0 // the rest of this expansion is as large
			return tooLarge
		}
	}
	flush()
	out = command.Concat(out)
	if oversized(out) {
		s.st.steps = 0
		return tooLarge
	}
	return out
}

func oversized(w command.Word) bool {
	if len(w) > maxParts {
		return true
	}
	n := 0
	for _, p := range w {
		n += len(p.Text)
	}
	return n > maxBytes
}

// closing returns the index of the bracket closing the one at open,
// counting only brackets of its kind as make does; -1 if none.
func closing(s string, open int) int {
	o, c := s[open], byte(')')
	if o == '{' {
		c = '}'
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// reference expands the inside of $(...): a function call, a
// substitution reference or a variable.
func (s *scope) reference(ref string) command.Word {
	if s.st.steps <= 0 || s.st.depth >= maxDepth {
		return tooLarge
	}
	s.st.steps--
	s.st.depth++
	defer func() { s.st.depth-- }()
	if name, args, ok := strings.Cut(ref, " "); ok || strings.Contains(ref, "\t") {
		if !ok {
			name, args, _ = strings.Cut(ref, "\t")
		}
		if f, isFunc := functions[name]; isFunc {
			return f(s, splitArgs(strings.TrimLeft(args, " \t"), arity[name]))
		}
	}
	if i := topLevel(ref, ':'); i >= 0 && strings.Contains(ref[i:], "=") {
		from, to, _ := strings.Cut(ref[i+1:], "=")
		return s.substRef(ref[:i], from, to)
	}
	name, ok := s.expand(ref).Literal()
	if !ok {
		return command.Opaque("$(" + ref + ")")
	}
	return s.lookup(name)
}

// topLevel returns the index of the first c outside nested references.
func topLevel(s string, c byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case c:
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// substRef expands $(NAME:FROM=TO): patsubst on each word, FROM without
// % meaning a suffix.
func (s *scope) substRef(name, from, to string) command.Word {
	n, ok := s.expand(name).Literal()
	if !ok {
		return command.Opaque("$(" + name + ":" + from + "=" + to + ")")
	}
	from, to = s.text(from), s.text(to)
	if !strings.Contains(from, "%") {
		from, to = "%"+from, "%"+to
	}
	v := s.lookup(n)
	words, ok := literalFields(v)
	if !ok {
		return command.Opaque("$(" + name + ":" + from + "=" + to + ")")
	}
	for i, w := range words {
		words[i] = patsubst(from, to, w)
	}
	return command.Lit(strings.Join(words, " "))
}

// text expands s and returns its text, run-time parts rendered.
func (s *scope) text(t string) string { return s.expand(t).String() }

// lookup returns the value of variable name in the scope.
func (s *scope) lookup(name string) command.Word {
	m := s.m
	if w, ok := s.auto[name]; ok {
		return w
	}
	if len(name) == 2 && (name[1] == 'D' || name[1] == 'F') && strings.ContainsRune("@<^+*|?", rune(name[0])) {
		return s.dirFile(name)
	}
	if len(name) == 1 && strings.ContainsRune("@<^+*|?", rune(name[0])) {
		return command.Word{} // outside a recipe
	}
	if w, ok := m.cfg.Vars[name]; ok {
		if v := m.vars[name]; v == nil || !v.Override {
			return w
		}
	}
	if w, ok := s.targetValue(name); ok {
		return w
	}
	if v, ok := m.vars[name]; ok {
		return s.value(v)
	}
	if w, ok := m.cfg.Env[name]; ok {
		return envWord(name, w)
	}
	switch name {
	case "MAKE":
		return command.Lit("make")
	case "CURDIR":
		if m.cfg.Dir != "" {
			return command.Lit(m.cfg.Dir)
		}
		return command.Opaque("$(CURDIR)")
	case "MAKECMDGOALS":
		return command.Lit(strings.Join(m.cfg.Goals, " "))
	case "MAKEFILE_LIST":
		return command.Lit(strings.Join(m.Files, " "))
	case "SHELL":
		return command.Lit("/bin/sh")
	case ".SHELLFLAGS":
		return command.Lit("-c")
	case "MAKELEVEL":
		return command.Lit("0")
	case "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES":
		return command.Opaque("$(" + name + ")")
	}
	if !validName(name) {
		return command.Word{} // no shell sets ignore-not-found: undefined, empty
	}
	return command.EnvVar(name)
}

// dirFile expands $(@D), $(@F) and the like.
func (s *scope) dirFile(name string) command.Word {
	words, ok := literalFields(s.lookup(name[:1]))
	if !ok {
		return command.Opaque("$(" + name + ")")
	}
	for i, w := range words {
		if name[1] == 'D' {
			words[i] = path.Dir(w)
		} else {
			words[i] = path.Base(w)
		}
	}
	return command.Lit(strings.Join(words, " "))
}

// value expands a global variable.
func (s *scope) value(v *Variable) command.Word {
	if v.Undecided != "" {
		return command.Opaque("$(" + v.Name + ")")
	}
	if !v.Recursive {
		if v.EnvDefault {
			return s.envDefault(v, v.Value)
		}
		return v.Value
	}
	if s.st.active[v.Name] {
		s.m.cycle(v)
		return command.Opaque("$(" + v.Name + ")")
	}
	s.st.active[v.Name] = true
	defer delete(s.st.active, v.Name)
	w := s.expand(v.Raw)
	if v.EnvDefault {
		return s.envDefault(v, w)
	}
	return w
}

// envDefault is the value of a ?= variable: the environment's, else def.
func (s *scope) envDefault(v *Variable, def command.Word) command.Word {
	w := command.EnvVar(v.Name)
	switch {
	case !validName(v.Name):
		w = def // no shell sets ignore-not-found
	case len(def) > 0:
		w = command.EnvVarOr(v.Name, def)
	}
	if v.Appended != "" {
		w = command.Concat(w, s.expand(v.Appended))
	}
	return w
}

func (m *Make) cycle(v *Variable) {
	for _, p := range m.Problems {
		if p.Pos == v.Pos {
			return
		}
	}
	m.Problems = append(m.Problems, Problem{v.Pos, "recursive variable " + v.Name + " references itself"})
}

// targetValue applies the target-specific assignments of name, from the
// outermost target of the chain in.
func (s *scope) targetValue(name string) (command.Word, bool) {
	var found []*targetVar
	for i := len(s.chain) - 1; i >= 0; i-- {
		for _, tv := range s.chain[i].Vars {
			if strings.TrimSpace(tv.a.Name) == name {
				found = append(found, tv)
			}
		}
	}
	if len(found) == 0 {
		return nil, false
	}
	key := "target:" + name
	if s.st.active[key] {
		return command.Opaque("$(" + name + ")"), true
	}
	s.st.active[key] = true
	defer delete(s.st.active, key)
	outer := *s
	outer.chain = nil
	var w command.Word
	set := false
	if v, ok := s.m.vars[name]; ok {
		w, set = outer.value(v), true
	} else if e, ok := s.m.cfg.Env[name]; ok {
		w, set = envWord(name, e), true
	}
	for _, tv := range found {
		switch tv.a.Op {
		case "=":
			w, set = s.expand(tv.a.Value), true
		case ":=", "::=", ":::=":
			w, set = tv.value, true
		case "?=":
			if !set {
				w, set = command.EnvVarOr(name, s.expand(tv.a.Value)), true
			}
		case "+=":
			if !set {
				w = command.EnvVar(name)
			}
			w, set = joinWords(w, s.expand(tv.a.Value)), true
		case "!=":
			w, set = command.Opaque("$(shell "+strings.TrimSpace(tv.a.Value)+")"), true
		}
	}
	return w, true
}

// splitArgs splits function arguments at the commas outside nested
// references, into at most n (the last takes the rest); n < 1: no limit.
func splitArgs(s string, n int) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case ',':
			if depth == 0 && (n < 1 || len(out) < n-1) {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// fields splits a word at the blanks of its literal text; run-time parts
// are taken to hold none.
func fields(w command.Word) []command.Word {
	var out []command.Word
	var cur command.Word
	for _, p := range w {
		if !p.IsLiteral() {
			cur = append(cur, p)
			continue
		}
		t := p.Text
		for t != "" {
			i := strings.IndexAny(t, " \t\n")
			if i < 0 {
				cur = append(cur, command.Part{Text: t, Slot: command.Literal})
				break
			}
			if i > 0 {
				cur = append(cur, command.Part{Text: t[:i], Slot: command.Literal})
			}
			if len(cur) > 0 {
				out = append(out, command.Concat(cur))
				cur = nil
			}
			t = t[i+1:]
		}
	}
	if len(cur) > 0 {
		out = append(out, command.Concat(cur))
	}
	return out
}

// literalFields returns the words of a literal word.
func literalFields(w command.Word) ([]string, bool) {
	t, ok := w.Literal()
	if !ok {
		return nil, false
	}
	return strings.Fields(t), true
}

func join(ws []command.Word) command.Word {
	var out command.Word
	for i, w := range ws {
		if i > 0 {
			out = append(out, command.Lit(" ")...)
		}
		out = append(out, w...)
	}
	return command.Concat(out)
}

// patsubst replaces word w matching pattern from (one %) with to.
func patsubst(from, to, w string) string {
	stem, ok := match(from, w)
	if !ok {
		return w
	}
	if i := strings.IndexByte(to, '%'); i >= 0 {
		return to[:i] + stem + to[i+1:]
	}
	return to
}

// match matches w against a pattern with at most one %, returning the
// stem.
func match(pattern, w string) (string, bool) {
	i := strings.IndexByte(pattern, '%')
	if i < 0 {
		return "", pattern == w
	}
	pre, suf := pattern[:i], pattern[i+1:]
	if len(w) < len(pre)+len(suf) || !strings.HasPrefix(w, pre) || !strings.HasSuffix(w, suf) {
		return "", false
	}
	return w[len(pre) : len(w)-len(suf)], true
}

// empty reports whether a value is empty once stripped; known is false
// when a run-time part may be empty or not. A caller's slot and a
// variable with a non-empty default are taken as non-empty.
func empty(w command.Word) (isEmpty, known bool) {
	for _, p := range w {
		switch {
		case p.IsLiteral():
			if strings.TrimSpace(p.Text) != "" {
				return false, true
			}
		case p.IsSlot():
			return false, true
		case p.IsVar() && p.Default != nil:
			if e, k := empty(*p.Default); k && !e {
				return false, true
			}
			return false, false
		default:
			return false, false
		}
	}
	return true, true
}

// strip collapses the blanks of the literal text and trims both ends.
func strip(w command.Word) command.Word {
	ws := fields(w)
	return join(ws)
}

func itoa(n int) string { return strconv.Itoa(n) }
