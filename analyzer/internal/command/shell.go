package command

import (
	"maps"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// maxLoopItems bounds the items a for loop is walked with one by one.
const maxLoopItems = 16

// shell follows sh -c SCRIPT [NAME [ARG...]] (and -ec, -xc, -o pipefail -c,
// bash --login -c): it parses the script with the shell's own grammar and
// walks it in execution order.
func (p *parser) shell(tool string, args []arg, c ctx) *output {
	k, cmd := 1, false
	for ; k < len(args); k++ {
		t, ok := args[k].w.Literal()
		if !ok || len(t) < 2 || t[0] != '-' && t[0] != '+' {
			break
		}
		if t == "--" {
			k++
			break
		}
		if strings.HasPrefix(t, "--") {
			if t == "--rcfile" || t == "--init-file" {
				k++
			}
			continue
		}
		for _, ch := range t[1:] {
			switch ch {
			case 'c':
				cmd = true
			case 'o', 'O':
				k++ // -o pipefail
			}
		}
	}
	if !cmd || k >= len(args) {
		return nil // a script file or stdin: out of reach
	}
	ph := newPlaceholders(args[k].w)
	file, err := parseScript(tool, ph.text)
	if err != nil {
		return nil
	}
	st := &state{vars: map[string]shVar{}, dir: c.dir}
	for name, v := range c.env {
		st.vars[name] = shVar{val: v, exported: true}
	}
	for _, a := range args[k+1:] {
		st.pos = append(st.pos, a.w)
	}
	if len(st.pos) == 0 {
		st.pos = []Word{Lit(tool)}
	}
	sh := &shell{p: p, src: ph.text, ph: ph, funcs: map[string]*syntax.Stmt{}}
	sh.stmts(file.Stmts, st, c)
	return nil
}

func parseScript(tool, src string) (*syntax.File, error) {
	lang := syntax.LangPOSIX
	switch tool {
	case "bash":
		lang = syntax.LangBash
	case "zsh":
		lang = syntax.LangZsh
	case "ksh", "mksh":
		lang = syntax.LangMirBSDKorn
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(src), "")
	if err != nil && lang == syntax.LangPOSIX {
		// Many a /bin/sh is bash: read bashisms rather than nothing.
		f, err = syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	}
	return f, err
}

type shell struct {
	p     *parser
	src   string
	ph    *placeholders
	funcs map[string]*syntax.Stmt
	calls int // nested shell function calls
}

// state is what the statements of a script share: variables, the working
// directory and the positional parameters ($0 first).
type state struct {
	vars map[string]shVar
	dir  Word
	pos  []Word
}

// shVar is a shell variable; a nil val is set to something unknown.
type shVar struct {
	val      Word
	exported bool
}

func (st *state) clone() *state {
	return &state{vars: maps.Clone(st.vars), dir: st.dir, pos: st.pos}
}

// merge makes st what is known after either st or o ran: what they
// disagree on becomes unknown.
func (st *state) merge(o *state) {
	for name, v := range o.vars {
		w, ok := st.vars[name]
		if !ok || !slices.Equal(v.val, w.val) || v.val == nil {
			st.vars[name] = shVar{exported: v.exported || w.exported}
		}
	}
	for name, w := range st.vars {
		if _, ok := o.vars[name]; !ok {
			st.vars[name] = shVar{exported: w.exported}
		}
	}
	if !slices.Equal(st.dir, o.dir) || (st.dir == nil) != (o.dir == nil) {
		st.dir = unknown("cd")
	}
}

func (st *state) set(name string, v Word) {
	st.vars[name] = shVar{val: v, exported: st.vars[name].exported}
}

// env returns the exported variables.
func (st *state) env() map[string]Word {
	env := map[string]Word{}
	for name, v := range st.vars {
		if v.exported {
			env[name] = v.val
		}
	}
	return env
}

func (sh *shell) stmts(list []*syntax.Stmt, st *state, c ctx) {
	for _, s := range list {
		sh.stmt(s, st, c)
	}
}

func (sh *shell) stmt(s *syntax.Stmt, st *state, c ctx) *output {
	if s == nil || sh.p.budget <= 0 {
		return nil
	}
	sh.p.budget--
	c = sh.redirects(s.Redirs, st, c)
	switch x := s.Cmd.(type) {
	case *syntax.CallExpr:
		return sh.call(x, st, c)
	case *syntax.BinaryCmd:
		switch x.Op {
		case syntax.AndStmt: // the happy path: the left side succeeded
			sh.stmt(x.X, st, c)
			return sh.stmt(x.Y, st, c)
		case syntax.OrStmt:
			sh.stmt(x.X, st, c)
			b := st.clone()
			sh.stmt(x.Y, b, c)
			st.merge(b)
		default: // a pipe: each command in a subshell, reading the one before
			var prev *output
			parts := pipeline(x)
			for i, part := range parts {
				pc := c
				if i < len(parts)-1 {
					pc.out = nil // its stdout is the pipe
				}
				if i > 0 {
					pc.in = input{from: prev}
					if prev == nil {
						pc.in.from = &output{kind: outUnknown}
					}
				}
				prev = sh.stmt(part, st.clone(), pc)
			}
			return prev
		}
	case *syntax.Block:
		sh.stmts(x.Stmts, st, c)
	case *syntax.Subshell:
		sh.stmts(x.Stmts, st.clone(), c)
	case *syntax.IfClause:
		sh.ifClause(x, st, c)
	case *syntax.WhileClause:
		sh.stmts(x.Cond, st, c)
		b := st.clone()
		sh.stmts(x.Do, b, c)
		st.merge(b)
	case *syntax.ForClause:
		sh.forClause(x, st, c)
	case *syntax.CaseClause:
		sh.word(x.Word, st, c)
		after := st.clone()
		for _, item := range x.Items {
			b := st.clone()
			sh.stmts(item.Stmts, b, c)
			after.merge(b)
		}
		*st = *after
	case *syntax.FuncDecl:
		if x.Name != nil {
			sh.funcs[x.Name.Value] = x.Body
		}
	case *syntax.DeclClause:
		sh.decl(x, st, c)
	case *syntax.TimeClause:
		return sh.stmt(x.Stmt, st, c)
	case *syntax.CoprocClause:
		sh.stmt(x.Stmt, st.clone(), c)
	}
	return nil
}

// pipeline flattens a | b | c into its commands.
func pipeline(b *syntax.BinaryCmd) []*syntax.Stmt {
	return append(stages(b.X), stages(b.Y)...)
}

func stages(s *syntax.Stmt) []*syntax.Stmt {
	if b, ok := s.Cmd.(*syntax.BinaryCmd); ok && len(s.Redirs) == 0 && !s.Negated &&
		(b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
		return pipeline(b)
	}
	return []*syntax.Stmt{s}
}

func (sh *shell) ifClause(x *syntax.IfClause, st *state, c ctx) {
	sh.stmts(x.Cond, st, c)
	then := st.clone()
	sh.stmts(x.Then, then, c)
	if x.Else != nil {
		sh.ifClause(x.Else, st, c)
	}
	st.merge(then)
}

func (sh *shell) forClause(x *syntax.ForClause, st *state, c ctx) {
	iter, ok := x.Loop.(*syntax.WordIter)
	if !ok {
		b := st.clone()
		sh.stmts(x.Do, b, c)
		st.merge(b)
		return
	}
	items := st.pos[1:]
	if iter.InPos.IsValid() {
		items = sh.words(iter.Items, st, c)
	}
	known := len(items) <= maxLoopItems
	for _, it := range items {
		known = known && it.Known()
	}
	if known { // walk the body once per item, as the loop runs
		for _, it := range items {
			st.set(iter.Name.Value, it)
			sh.stmts(x.Do, st, c)
		}
		return
	}
	st.set(iter.Name.Value, nil)
	b := st.clone()
	sh.stmts(x.Do, b, c)
	st.merge(b)
}

// redirects applies < file, here-documents and > file to c.
func (sh *shell) redirects(rs []*syntax.Redirect, st *state, c ctx) ctx {
	for _, r := range rs {
		if r.N != nil && r.N.Value != "0" && r.N.Value != "1" {
			continue // stderr and other descriptors
		}
		switch r.Op {
		case syntax.RdrIn:
			c.in = input{file: sh.word(r.Word, st, c)}
		case syntax.Hdoc, syntax.DashHdoc:
			c.in = input{text: sh.heredoc(r, st, c)}
		case syntax.WordHdoc:
			c.in = input{text: Concat(sh.word(r.Word, st, c), Lit("\n"))}
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.RdrClob:
			c.out = sh.word(r.Word, st, c)
		}
	}
	return c
}

// heredoc returns a here-document's text: literal when its delimiter is
// quoted, with expansions otherwise.
func (sh *shell) heredoc(r *syntax.Redirect, st *state, c ctx) Word {
	if r.Hdoc == nil {
		return Word{}
	}
	quoted := false
	for _, p := range r.Word.Parts {
		if l, ok := p.(*syntax.Lit); !ok || strings.Contains(l.Value, `\`) {
			quoted = true
		}
	}
	var w Word
	for _, p := range r.Hdoc.Parts {
		if l, ok := p.(*syntax.Lit); ok && quoted {
			w = append(w, sh.ph.restore(l.Value)...)
			continue
		}
		w = append(w, sh.part(p, st, c, true)...)
	}
	return normal(w)
}

func (sh *shell) call(x *syntax.CallExpr, st *state, c ctx) *output {
	if len(x.Args) == 0 {
		for _, a := range x.Assigns {
			sh.assign(a, st, c, false)
		}
		return nil
	}
	env := st.env()
	for _, a := range x.Assigns {
		if a.Name != nil {
			env[a.Name.Value] = sh.assignValue(a, st, c)
		}
	}
	words := sh.words(x.Args, st, c)
	if len(words) == 0 {
		return nil
	}
	name, _ := words[0].Literal()
	switch name {
	case "cd", "pushd":
		if len(words) < 2 {
			st.dir = unknown(name)
		} else {
			st.dir = joinDir(st.dir, words[len(words)-1])
		}
		return nil
	case "popd":
		st.dir = unknown(name)
		return nil
	case "export", "readonly", "local", "declare", "typeset":
		for _, w := range words[1:] {
			if n, v, ok := w.cut("="); ok {
				if t, lit := n.Literal(); lit && validName(t) {
					st.vars[t] = shVar{val: v, exported: name == "export" || st.vars[t].exported}
				}
			} else if t, lit := w.Literal(); lit && name == "export" && validName(t) {
				st.vars[t] = shVar{val: st.vars[t].val, exported: true}
			}
		}
		return nil
	}
	if body, ok := sh.funcs[name]; ok {
		if sh.calls < maxDepth {
			sh.calls++
			saved := st.pos
			st.pos = append([]Word{st.pos[0]}, words[1:]...)
			sh.stmt(body, st, c)
			st.pos = saved
			sh.calls--
		}
		return nil
	}
	args := make([]arg, len(words))
	for i, w := range words {
		args[i] = arg{w: w, i: -1}
	}
	c.env, c.dir = env, st.dir
	return sh.p.run(args, c)
}

func (sh *shell) decl(x *syntax.DeclClause, st *state, c ctx) {
	export := x.Variant != nil && x.Variant.Value == "export"
	for _, a := range x.Args {
		switch {
		case a.Name == nil && a.Value != nil: // an option such as -x
			if t := a.Value.Lit(); strings.HasPrefix(t, "-") && strings.Contains(t, "x") {
				export = true
			}
		case a.Name != nil && a.Naked:
			v := st.vars[a.Name.Value]
			st.vars[a.Name.Value] = shVar{val: v.val, exported: v.exported || export}
		case a.Name != nil:
			sh.assign(a, st, c, export)
		}
	}
}

func (sh *shell) assign(a *syntax.Assign, st *state, c ctx, export bool) {
	if a.Name == nil {
		return
	}
	v := sh.assignValue(a, st, c)
	st.vars[a.Name.Value] = shVar{val: v, exported: export || st.vars[a.Name.Value].exported}
}

func (sh *shell) assignValue(a *syntax.Assign, st *state, c ctx) Word {
	switch {
	case a.Array != nil || a.Index != nil:
		return nil
	case a.Value == nil:
		return Word{}
	}
	v := sh.word(a.Value, st, c)
	if a.Append {
		old := st.vars[a.Name.Value].val
		if old == nil {
			return nil
		}
		return Concat(old, v)
	}
	return v
}

// words expands the words of a command; "$@" becomes the positional
// parameters.
func (sh *shell) words(ws []*syntax.Word, st *state, c ctx) []Word {
	var out []Word
	for _, w := range ws {
		if allParams(w) {
			out = append(out, st.pos[1:]...)
			continue
		}
		out = append(out, sh.word(w, st, c))
	}
	return out
}

// allParams reports whether w is "$@" or ${@}.
func allParams(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	pe, ok := part.(*syntax.ParamExp)
	return ok && simpleParam(pe) && pe.Param.Value == "@"
}

func (sh *shell) word(w *syntax.Word, st *state, c ctx) Word {
	if w == nil {
		return Word{}
	}
	var out Word
	for i, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && i == 0 && strings.HasPrefix(l.Value, "~") {
			// ~ and ~user are home directories.
			end := strings.IndexByte(l.Value, '/')
			if end < 0 {
				end = len(l.Value)
			}
			out = append(out, unknown(l.Value[:end])...)
			out = append(out, sh.ph.restore(unescape(l.Value[end:], false))...)
			continue
		}
		out = append(out, sh.part(p, st, c, false)...)
	}
	return normal(out)
}

func (sh *shell) part(p syntax.WordPart, st *state, c ctx, quoted bool) Word {
	switch x := p.(type) {
	case *syntax.Lit:
		return sh.ph.restore(unescape(x.Value, quoted))
	case *syntax.SglQuoted:
		if !x.Dollar {
			return sh.ph.restore(x.Value)
		}
	case *syntax.DblQuoted:
		var w Word
		for _, q := range x.Parts {
			w = append(w, sh.part(q, st, c, true)...)
		}
		return w
	case *syntax.ParamExp:
		if v := sh.param(x, st, quoted); v != nil {
			return v
		}
	case *syntax.CmdSubst:
		sub := c
		sub.out = nil
		sh.stmts(x.Stmts, st.clone(), sub) // its commands run too
	case *syntax.ProcSubst:
		sh.stmts(x.Stmts, st.clone(), c)
	}
	return unknown(sh.ph.restore(sh.source(p)).String())
}

// param returns the value of $NAME or ${NAME} when the script knows it, nil
// otherwise. Unquoted, a value with spaces or glob characters is split or
// matched at run time and so unknown.
func (sh *shell) param(x *syntax.ParamExp, st *state, quoted bool) Word {
	if !simpleParam(x) {
		return nil
	}
	var v Word
	n := x.Param.Value
	if len(n) > 0 && n[0] >= '0' && n[0] <= '9' {
		i := 0
		for _, d := range n {
			i = i*10 + int(d-'0')
			if i > len(st.pos) {
				return nil
			}
		}
		if i >= len(st.pos) {
			return nil
		}
		v = st.pos[i]
	} else {
		v = st.vars[n].val
	}
	if v == nil {
		return nil
	}
	if !quoted {
		for _, p := range v {
			if p.literal() && strings.ContainsAny(p.Text, " \t\n*?[") {
				return nil
			}
		}
	}
	return v
}

func simpleParam(x *syntax.ParamExp) bool {
	return x.Param != nil && x.Flags == nil && !x.Excl && !x.Length && !x.Width && !x.IsSet &&
		x.NestedParam == nil && x.Index == nil && len(x.Modifiers) == 0 && x.Slice == nil &&
		x.Repl == nil && x.Names == 0 && x.Exp == nil
}

// source returns the script text of n.
func (sh *shell) source(n syntax.Node) string {
	from, to := int(n.Pos().Offset()), int(n.End().Offset())
	if from < 0 || to > len(sh.src) || from > to {
		return ""
	}
	return sh.src[from:to]
}

// unescape removes the backslashes quoting gives meaning to: any character
// unquoted, only $ ` " \ and newline inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		next := s[i+1]
		switch {
		case next == '\n':
			i++
		case !quoted || strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte('\\')
		}
	}
	return b.String()
}
