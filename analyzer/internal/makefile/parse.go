// Package makefile reads the GNU make subset that Makefiles of Go
// projects use (kubebuilder and operator-sdk scaffolds, kind, kueue,
// cluster-api): it never runs make, a recipe or a $(shell ...).
//
// Parse turns a file into directives; Eval reads them as make's first
// phase does (assignments, rules, include, conditionals, define) into a
// database; Expand and Recipe expand text as make's second phase does.
// Expansion yields command words: literal text, caller values given on
// the command line, command.Var parts for the environment variables the
// Makefile does not assign (and for ?= variables, whose value the
// environment may override: the ?= value is the Var's default), and
// command.Unknown parts for what only make at run time knows.
//
// Limits, by design:
//   - $(shell ...), != assignments, $(wildcard ...) and $(realpath ...) are
//     never run: they expand to Unknown parts. $(eval ...) is not read.
//   - A conditional that depends on an Unknown value is undecided: both
//     branches are read; a variable either branch assigns becomes Unknown
//     (the reason says so), except "ifndef X / X = v / endif" (and ifdef's
//     else branch), which is X ?= v. Rules and includes of both branches are
//     kept; of two recipes for one target, the later wins, as in make.
//   - Recipe lines are text: .ONESHELL, .RECIPEPREFIX, vpath, undefine,
//     load, double-colon rules' separate recipes, grouped targets (&:) and
//     second expansion are not modelled (grouped targets are read as
//     ordinary ones, double-colon rules as single-colon ones).
//   - make -e (environment overrides) and MAKEFLAGS are not modelled; a
//     sub-make gets the command-line variables of its parent (as make
//     passes them) from the caller.
//   - Includes are read through the caller's reader, relative to the
//     including file, only inside the caller's root, with bounded depth
//     and count; an include with a run-time name is a problem, not read.
//   - Expansion is bounded in steps and size: past the bounds, and for
//     recursive references, the value is Unknown.
package makefile

import (
	"fmt"
	"strings"
)

// Pos is a position in a Makefile: File as the caller named it, Line and
// Col counting from 1.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Position returns p: every directive has one.
func (p Pos) Position() Pos { return p }

// A Node is one directive of a Makefile.
type Node interface{ Position() Pos }

// Assign is a variable assignment: NAME OP VALUE, define NAME OP, or a
// target-specific one (in Rule.Var).
type Assign struct {
	Pos
	Name string // unexpanded
	// Op is "=", ":=", "::=", ":::=", "?=", "+=" or "!=".
	Op       string
	Value    string // unexpanded; a define's body
	Export   bool   // export NAME = ...
	Override bool   // override NAME = ...
	Define   bool
}

// Rule is a rule line: TARGETS : PREREQS | ORDER-ONLY ; RECIPE, or
// TARGETS : VAR = VALUE (Var set).
type Rule struct {
	Pos
	Targets, Prereqs, OrderOnly string // unexpanded
	Double                      bool   // ::
	Var                         *Assign
	// Recipe is the recipe after ';' on the rule line, if any.
	Recipe *RecipeLine
}

// RecipeLine is a line of a recipe, continuation lines joined with their
// backslash-newlines kept, as make passes them to the shell.
type RecipeLine struct {
	Pos
	Text string
}

// Include is include, -include or sinclude FILES.
type Include struct {
	Pos
	Files    string // unexpanded
	Optional bool
}

// Export is export NAMES, unexport NAMES, or a bare export (All).
type Export struct {
	Pos
	Names string // unexpanded
	Un    bool
	All   bool
}

// Cond is a conditional: ifeq, ifneq, ifdef or ifndef, with its branches.
// An else-if chain is an Else holding one Cond.
type Cond struct {
	Pos
	Kind       string // ifeq, ifneq, ifdef, ifndef
	A, B       string // ifeq, ifneq: the two sides; ifdef, ifndef: the name in A
	Then, Else []Node
}

// Expr is a line that is only an expansion, run for its effect:
// $(eval ...), $(info ...), $(error ...).
type Expr struct {
	Pos
	Text string
}

// Problem is what could not be read, with where.
type Problem struct {
	Pos
	Msg string
}

func (p Problem) Error() string { return p.Pos.String() + ": " + p.Msg }

// File is a parsed Makefile.
type File struct {
	Name  string
	Nodes []Node
	// Problems are the syntax errors; the rest of the file is still read.
	Problems []Problem
}

// Bounds on what Parse reads.
const (
	maxLineBytes = 1 << 20
	maxNodes     = 100000
	maxNesting   = 64
)

// Parse reads the Makefile src; name is used in positions.
func Parse(name string, src []byte) *File {
	p := &parser{f: &File{Name: name}, lines: splitLines(string(src))}
	p.f.Nodes = p.block(0)
	return p.f
}

type parser struct {
	f     *File
	lines []string
	i     int // the next physical line
	nodes int
	// inRule: tab lines are recipe lines (after a rule, until a line that
	// is neither a recipe line, a comment, blank, nor a conditional).
	inRule bool
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func (p *parser) problem(line, col int, format string, args ...any) {
	p.f.Problems = append(p.f.Problems, Problem{Pos{p.f.Name, line + 1, col}, fmt.Sprintf(format, args...)})
}

func (p *parser) pos(line, col int) Pos { return Pos{p.f.Name, line + 1, col} }

// logical returns the logical line starting at physical line p.i, its
// continuation lines joined, and advances past it. A recipe line keeps
// its backslash-newlines, each continuation line losing one leading tab;
// any other line has each backslash-newline and the blanks around it
// made one space.
func (p *parser) logical(recipe bool) string {
	var b strings.Builder
	for first := true; ; first = false {
		line := p.lines[p.i]
		p.i++
		switch {
		case !first && recipe:
			line = strings.TrimPrefix(line, "\t")
		case !first:
			line = strings.TrimLeft(line, " \t")
		}
		if b.Len()+len(line) > maxLineBytes {
			p.problem(p.i-1, 1, "line longer than %d bytes: not read", maxLineBytes)
			for continued(line) && p.i < len(p.lines) {
				line = p.lines[p.i]
				p.i++
			}
			return ""
		}
		if !continued(line) || p.i >= len(p.lines) {
			b.WriteString(line)
			return b.String()
		}
		if recipe {
			b.WriteString(line + "\n")
			continue
		}
		b.WriteString(strings.TrimRight(line[:len(line)-1], " \t"))
		b.WriteByte(' ')
	}
}

// continued reports whether a line ends in an odd number of backslashes.
func continued(line string) bool {
	n := 0
	for i := len(line) - 1; i >= 0 && line[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// stripComment removes a comment: the first # not escaped with a
// backslash; \# becomes #.
func stripComment(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '#':
			b.WriteByte('#')
			i++
		case s[i] == '#':
			return b.String()
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// block reads directives until the end of the file or, nested in a
// conditional, an else or endif line, which it leaves unread.
func (p *parser) block(depth int) []Node {
	var out []Node
	for p.i < len(p.lines) {
		if p.nodes >= maxNodes {
			p.problem(p.i, 1, "more than %d directives: the rest is not read", maxNodes)
			p.i = len(p.lines)
			break
		}
		start := p.i
		raw := p.lines[p.i]
		if strings.HasPrefix(raw, "\t") && p.inRule {
			text := p.logical(true)
			out = append(out, &RecipeLine{p.pos(start, 2), strings.TrimPrefix(text, "\t")})
			p.nodes++
			continue
		}
		line := strings.TrimSpace(stripComment(p.logical(false)))
		if line == "" {
			continue // blank lines and comments keep the rule's recipe going
		}
		word, rest := keyword(line)
		switch word {
		case "else", "endif":
			if depth == 0 {
				p.problem(start, 1, "%s without a conditional", word)
				continue
			}
			p.i = start
			return out
		case "ifeq", "ifneq", "ifdef", "ifndef":
			out = append(out, p.cond(start, word, rest, depth))
			p.nodes++
			continue
		case "define":
			p.inRule = false
			out = append(out, p.define(start, rest, false, false))
			p.nodes++
			continue
		}
		p.inRule = false
		if n := p.directive(start, line); n != nil {
			out = append(out, n)
			p.nodes++
		}
	}
	return out
}

// keyword splits a directive word from the rest of the line.
func keyword(line string) (string, string) {
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, ""
	}
	return line[:i], strings.TrimSpace(line[i+1:])
}

func (p *parser) cond(start int, kind, rest string, depth int) Node {
	c := &Cond{Pos: p.pos(start, 1), Kind: kind}
	switch kind {
	case "ifdef", "ifndef":
		c.A = strings.TrimSpace(rest)
	default:
		a, b, ok := condArgs(rest)
		if !ok {
			p.problem(start, 1, "malformed %s %q", kind, rest)
		}
		c.A, c.B = a, b
	}
	if depth >= maxNesting {
		p.problem(start, 1, "conditionals nested deeper than %d", maxNesting)
		p.skipConditional()
		return c
	}
	c.Then = p.block(depth + 1)
	if p.i >= len(p.lines) {
		p.problem(start, 1, "%s without endif", kind)
		return c
	}
	word, rest := keyword(strings.TrimSpace(stripComment(p.lines[p.i])))
	p.i++
	if word == "endif" {
		return c
	}
	// else, or else ifeq ...
	if w, r := keyword(rest); w == "ifeq" || w == "ifneq" || w == "ifdef" || w == "ifndef" {
		c.Else = []Node{p.cond(p.i-1, w, r, depth+1)} // it reads the shared endif
		return c
	}
	c.Else = p.block(depth + 1)
	if p.i >= len(p.lines) {
		p.problem(start, 1, "%s without endif", kind)
		return c
	}
	if word, _ := keyword(strings.TrimSpace(stripComment(p.lines[p.i]))); word != "endif" {
		p.problem(p.i, 1, "else after else")
		p.skipConditional()
		return c
	}
	p.i++
	return c
}

// skipConditional skips to the endif closing the current conditional.
func (p *parser) skipConditional() {
	depth := 0
	for p.i < len(p.lines) {
		word, _ := keyword(strings.TrimSpace(p.lines[p.i]))
		p.i++
		switch word {
		case "ifeq", "ifneq", "ifdef", "ifndef":
			depth++
		case "endif":
			if depth == 0 {
				return
			}
			depth--
		}
	}
}

// condArgs reads the arguments of ifeq and ifneq: (A,B), "A" "B", 'A' 'B'.
func condArgs(s string) (a, b string, ok bool) {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		inner := s[1 : len(s)-1]
		i := topLevelComma(inner)
		if i < 0 {
			return "", "", false
		}
		return strings.TrimSpace(inner[:i]), strings.TrimSpace(inner[i+1:]), true
	}
	a, rest, ok := quoted(s)
	if !ok {
		return "", "", false
	}
	b, rest, ok = quoted(strings.TrimSpace(rest))
	return a, b, ok && strings.TrimSpace(rest) == ""
}

func quoted(s string) (string, string, bool) {
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", "", false
	}
	return s[1 : end+1], s[end+2:], true
}

// topLevelComma returns the index of the first comma outside $(...) and
// ${...}, -1 if none.
func topLevelComma(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{':
			depth++
		case ')', '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// define reads define NAME [OP] ... endef; rest is the text after define.
func (p *parser) define(start int, rest string, export, override bool) Node {
	name, op := strings.TrimSpace(rest), "="
	for _, o := range []string{":::=", "::=", ":=", "?=", "+=", "!=", "="} {
		if strings.HasSuffix(name, o) {
			name, op = strings.TrimSpace(strings.TrimSuffix(name, o)), o
			break
		}
	}
	var body []string
	depth := 0
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		p.i++
		word, _ := keyword(strings.TrimSpace(line))
		switch word {
		case "define":
			depth++
		case "endef":
			if depth == 0 {
				return &Assign{Pos: p.pos(start, 1), Name: name, Op: op, Value: strings.Join(body, "\n"),
					Export: export, Override: override, Define: true}
			}
			depth--
		}
		body = append(body, line)
	}
	p.problem(start, 1, "define %s without endef", name)
	return &Assign{Pos: p.pos(start, 1), Name: name, Op: op, Value: strings.Join(body, "\n"), Define: true}
}

// directive reads a line that is not a conditional: include, export,
// override, an assignment, a rule, or a bare expansion.
func (p *parser) directive(start int, line string) Node {
	pos := p.pos(start, 1)
	word, rest := keyword(line)
	switch word {
	case "include", "-include", "sinclude":
		return &Include{Pos: pos, Files: rest, Optional: word != "include"}
	case "export", "unexport":
		if rest == "" {
			return &Export{Pos: pos, Un: word == "unexport", All: true}
		}
		if w, r := keyword(rest); w == "define" && word == "export" {
			return p.define(start, r, true, false)
		}
		if a := assignment(rest); a != nil && word == "export" {
			a.Pos, a.Export = pos, true
			return a
		}
		return &Export{Pos: pos, Names: rest, Un: word == "unexport"}
	case "override":
		if w, r := keyword(rest); w == "define" {
			return p.define(start, r, false, true)
		}
		a := assignment(strings.TrimPrefix(rest, "export "))
		if a == nil {
			p.problem(start, 1, "override without an assignment")
			return nil
		}
		a.Pos, a.Override, a.Export = pos, true, strings.HasPrefix(rest, "export ")
		return a
	case "private":
		if a := assignment(rest); a != nil {
			a.Pos = pos
			return a
		}
	case "undefine", "vpath", "load", "-load":
		return nil // not modelled
	}
	if a := assignment(line); a != nil {
		a.Pos = pos
		return a
	}
	if r := p.rule(start, line); r != nil {
		return r
	}
	if strings.HasPrefix(line, "$(") || strings.HasPrefix(line, "${") {
		return &Expr{Pos: pos, Text: line}
	}
	p.problem(start, 1, "missing separator in %q", clip(line))
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// scanOp finds the first ':' or assignment operator outside $(...) and
// ${...}: it returns its index and the operator ("" for a rule's ':').
func scanOp(s string) (int, string) {
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
			depth++
			i++
		case c == '$' && i+1 < len(s):
			i++ // $$, $@, $X
		case depth > 0 && (c == '(' || c == '{'):
			depth++
		case depth > 0 && (c == ')' || c == '}'):
			depth--
		case depth > 0:
		case c == '=':
			return i, "="
		case (c == '?' || c == '+' || c == '!') && i+1 < len(s) && s[i+1] == '=':
			return i, s[i : i+2]
		case c == ':':
			for _, op := range []string{":::=", "::=", ":="} {
				if strings.HasPrefix(s[i:], op) {
					return i, op
				}
			}
			return i, ""
		case c == ';':
			return -1, ""
		}
	}
	return -1, ""
}

// assignment reads NAME OP VALUE, nil when line is not one.
func assignment(line string) *Assign {
	i, op := scanOp(line)
	if i < 0 || op == "" {
		return nil
	}
	name := strings.TrimSpace(line[:i])
	if name == "" || strings.ContainsAny(name, " \t") && !strings.HasPrefix(name, "$") {
		return nil
	}
	return &Assign{Name: name, Op: op, Value: strings.TrimLeft(line[i+len(op):], " \t")}
}

// rule reads TARGETS : PREREQS | ORDER ; RECIPE and TARGETS : ASSIGNMENT;
// a rule starts a recipe context.
func (p *parser) rule(start int, line string) Node {
	i, op := scanOp(line)
	if i < 0 || op != "" {
		return nil
	}
	r := &Rule{Pos: p.pos(start, 1), Targets: strings.TrimSpace(line[:i])}
	rest := line[i+1:]
	if strings.HasPrefix(rest, ":") {
		r.Double, rest = true, rest[1:]
	}
	if strings.HasSuffix(r.Targets, "&") {
		r.Targets = strings.TrimSpace(strings.TrimSuffix(r.Targets, "&")) // grouped targets
	}
	if r.Targets == "" {
		p.problem(start, 1, "rule without a target")
		return nil
	}
	if a := targetAssignment(rest); a != nil {
		a.Pos = r.Pos
		r.Var = a
		return r
	}
	if j := strings.IndexByte(rest, ';'); j >= 0 {
		r.Recipe = &RecipeLine{p.pos(start, i+j+3), strings.TrimSpace(rest[j+1:])}
		rest = rest[:j]
	}
	r.Prereqs, r.OrderOnly, _ = strings.Cut(rest, "|")
	r.Prereqs, r.OrderOnly = strings.TrimSpace(r.Prereqs), strings.TrimSpace(r.OrderOnly)
	p.inRule = true
	return r
}

// targetAssignment reads the assignment of a target-specific variable:
// [export|override|private] NAME OP VALUE.
func targetAssignment(s string) *Assign {
	s = strings.TrimSpace(s)
	export, override := false, false
	for {
		word, rest := keyword(s)
		switch word {
		case "export":
			export, s = true, rest
			continue
		case "override":
			override, s = true, rest
			continue
		case "private":
			s = rest
			continue
		}
		break
	}
	i, op := scanOp(s)
	if i < 0 || op == "" {
		return nil
	}
	if j := strings.IndexByte(s, ';'); j >= 0 && j < i {
		return nil // a recipe after ';' that holds an '='
	}
	a := assignment(s)
	if a != nil {
		a.Export, a.Override = export, override
	}
	return a
}
