package workflow

import (
	"strings"
)

// Kind says what a Part of a Value is.
type Kind uint8

const (
	// Text is literal text.
	Text Kind = iota
	// Expr is a ${{ }} expression the runner evaluates, kept whole as
	// written: ${{ secrets.TOKEN }}, ${{ matrix.version }}.
	Expr
	// Env is $NAME of a variable the workflow does not set, read from the
	// runner's environment (GITHUB_SHA, RUNNER_TEMP) or from something out
	// of reach; Text holds NAME.
	Env
	// Shell is another value the shell computes at run time: a command
	// substitution, ${X:-default}, a variable of unknown value; Text holds
	// its shell source.
	Shell
)

// Part is a piece of a Value.
type Part struct {
	Kind Kind
	Text string
}

// Value is a string as far as the workflow knows it: literal text with
// expressions and run-time shell values in it. The empty value is empty
// text.
type Value []Part

// Lit returns the literal value s.
func Lit(s string) Value {
	if s == "" {
		return Value{}
	}
	return Value{{Kind: Text, Text: s}}
}

// Literal returns the value's text when it is all literal.
func (v Value) Literal() (string, bool) {
	var b strings.Builder
	for _, p := range v {
		if p.Kind != Text {
			return "", false
		}
		b.WriteString(p.Text)
	}
	return b.String(), true
}

// String renders the value as the workflow writes it: expressions as
// ${{ }}, unknown variables as $NAME, other shell values as their source.
func (v Value) String() string {
	var b strings.Builder
	for _, p := range v {
		if p.Kind == Env {
			b.WriteString("$")
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// concat joins values, merging adjacent text.
func concat(vs ...Value) Value {
	out := Value{}
	for _, v := range vs {
		for _, p := range v {
			if p.Kind == Text {
				if p.Text == "" {
					continue
				}
				if n := len(out); n > 0 && out[n-1].Kind == Text {
					out[n-1].Text += p.Text
					continue
				}
			}
			out = append(out, p)
		}
	}
	return out
}

// cut splits v around the first sep in its text parts.
func (v Value) cut(sep string) (before, after Value, found bool) {
	for i, p := range v {
		if p.Kind != Text {
			continue
		}
		if j := strings.Index(p.Text, sep); j >= 0 {
			return concat(v[:i], Lit(p.Text[:j])), concat(Lit(p.Text[j+len(sep):]), v[i+1:]), true
		}
	}
	return v, nil, false
}

// lines splits v at the newlines of its text parts.
func (v Value) lines() []Value {
	var out []Value
	rest := v
	for {
		line, after, found := rest.cut("\n")
		if !found {
			return append(out, line)
		}
		out = append(out, line)
		rest = after
	}
}

// expression is a ${{ }} found in a string.
type expression struct {
	from, to int // byte offsets of "${{" and past "}}"
}

// findExpressions returns the ${{ }} expressions of s in order. A "}}"
// inside a quoted string of the expression does not end it. An expression
// left open ends the search.
func findExpressions(s string) []expression {
	var out []expression
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${{")
		if j < 0 {
			break
		}
		from := i + j
		to := closeExpression(s, from+3)
		if to < 0 {
			break
		}
		out = append(out, expression{from, to})
		i = to
	}
	return out
}

// closeExpression returns the offset past the "}}" that closes the
// expression whose body starts at i, or -1.
func closeExpression(s string, i int) int {
	quoted := false
	for ; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			quoted = !quoted // '' inside a string is an escaped quote: two toggles
		case !quoted && strings.HasPrefix(s[i:], "}}"):
			return i + 2
		}
	}
	return -1
}

// envReference returns NAME when the expression is ${{ env.NAME }} or
// ${{ env['NAME'] }}.
func envReference(expr string) (string, bool) {
	body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(expr, "${{"), "}}"))
	if name, ok := strings.CutPrefix(body, "env."); ok && validName(name) {
		return name, true
	}
	if rest, ok := strings.CutPrefix(body, "env['"); ok {
		if name, ok := strings.CutSuffix(rest, "']"); ok && validName(name) {
			return name, true
		}
	}
	return "", false
}

// validName reports whether s is a shell variable name.
func validName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// scope is the environment known at a point, by name.
type scope map[string]Var

// with returns a copy of env with vs set.
func (env scope) with(vs []Var) scope {
	out := make(scope, len(env)+len(vs))
	for k, v := range env {
		out[k] = v
	}
	for _, v := range vs {
		out[v.Name] = v
	}
	return out
}

// parseValue reads a workflow string (an env: value, a with: input): text
// and ${{ }} expressions; ${{ env.NAME }} becomes NAME's value when env is
// not nil and holds it.
func parseValue(s string, env scope) Value {
	var out []Value
	at := 0
	for _, e := range findExpressions(s) {
		out = append(out, Lit(s[at:e.from]), expandExpression(s[e.from:e.to], env))
		at = e.to
	}
	out = append(out, Lit(s[at:]))
	return concat(out...)
}

// expandExpression returns the value of ${{ env.NAME }} when env holds NAME,
// and the expression itself otherwise.
func expandExpression(expr string, env scope) Value {
	if name, ok := envReference(expr); ok {
		if v, ok := env[name]; ok {
			return v.Value
		}
	}
	return Value{{Kind: Expr, Text: expr}}
}
