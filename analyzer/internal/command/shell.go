package command

import (
	"cmp"
	"maps"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// maxLoopItems bounds the items a for loop is walked with one by one.
const maxLoopItems = 16

// shell follows sh -c SCRIPT [NAME [ARG...]] (and -ec, -xc, -o pipefail -c,
// bash --login -c): it parses the script with the shell's own grammar and
// walks it in execution order. sh FILE [ARG...] is a RunScript step.
func (p *parser) shell(tool string, args []arg, c ctx) *output {
	k, cmd, stdin := 1, false, false
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
			case 's':
				stdin = true
			case 'o', 'O':
				k++ // -o pipefail
			}
		}
	}
	switch {
	case k >= len(args) || stdin && !cmd:
		return nil // a script on stdin: out of reach
	case !cmd:
		p.runScript(tool, args[k].w, args[k+1:], c, false, args[0])
		return nil
	}
	pos := make([]Word, 0, len(args)-k)
	for _, a := range args[k+1:] {
		pos = append(pos, a.w)
	}
	if len(pos) == 0 {
		pos = []Word{Lit(tool)}
	}
	if c.script == nil { // the outermost script: its commands locate the steps
		c.script = &scriptAt{word: args[k].i, offset: -1}
	}
	p.script(tool, args[k].w, pos, nil, c, nil)
	return nil
}

// script walks the script src with positional parameters pos ($0 first);
// name is the file it was read from, nil for sh -c.
func (p *parser) script(tool string, src Word, pos []Word, name Word, c ctx, source Sourcer) error {
	ph := newPlaceholders(src)
	file, err := parseScript(tool, ph.text)
	if err != nil {
		return err
	}
	st := &state{vars: map[string]shVar{}, dir: c.dir, pos: pos, cleared: c.cleared}
	for name, v := range c.env {
		st.vars[name] = shVar{val: v, exported: true}
	}
	w := &walk{p: p, tool: tool, funcs: map[string]function{}, sourcer: source}
	sh := &shell{walk: w, src: ph.text, ph: ph, name: name}
	if at := c.script; at != nil && at.offset < 0 {
		sh.top, sh.scriptWord, sh.file = true, at.word, at.file
	}
	sh.stmts(file.Stmts, st, c)
	return nil
}

// A Sourcer reads the file a script sources (source FILE, . FILE): path as
// the script names it, dir the directory the script is in then (see
// Step.Dir). It returns the name steps made in the file carry (Step.File)
// and its text; ok false leaves the file out of reach.
type Sourcer func(path, dir Word) (name, src string, ok bool)

// ScriptRun is a script file to walk.
type ScriptRun struct {
	// Shell is the shell that runs it: sh, bash, dash, zsh, ksh...; ""
	// reads the shebang of Src, else sh.
	Shell string
	// Src is the script; a file's text is Lit(text). A recipe expanded by
	// make may hold run-time parts.
	Src Word
	// Name is $0 and ${BASH_SOURCE[0]}: the path the script is run as; nil
	// when not known.
	Name Word
	// Args are the positional parameters, $1 first.
	Args []Word
	// Env are the environment variables known set (a nil value: to
	// something unknown); any other variable the script reads and never
	// sets is a Var part.
	Env map[string]Word
	// Dir is the directory the script starts in, absolute; nil when not
	// known, and then steps' Dir is relative to it.
	Dir Word
	// Source reads the files the script sources; nil leaves them to the
	// caller as RunScript steps with Sourced set.
	Source Sourcer
}

// Script returns the image steps of a script, in execution order, each
// with the offset of the command that made it; the scripts it runs and
// the make runs it makes are RunScript and Make steps. The error is the
// shell parser's, for a script that is not valid shell.
func Script(r ScriptRun) ([]Step, error) {
	p := &parser{budget: maxBudget}
	tool := cmp.Or(r.Shell, Shebang(normal(r.Src).head()), "sh")
	name := r.Name
	if name == nil {
		name = unknown("$0")
	}
	c := ctx{env: maps.Clone(r.Env), dir: r.Dir, script: &scriptAt{word: -1, offset: -1}}
	err := p.script(tool, normal(r.Src), append([]Word{name}, r.Args...), r.Name, c, r.Source)
	return p.steps, err
}

// Shebang returns the shell a script's #! line names ("bash" for
// #!/usr/bin/env bash), "" when it has none or names no shell.
func Shebang(src string) string {
	line, ok := strings.CutPrefix(src, "#!")
	if !ok {
		return ""
	}
	line, _, _ = strings.Cut(line, "\n")
	fields := strings.Fields(line)
	for len(fields) > 0 {
		prog := path.Base(fields[0])
		fields = fields[1:]
		switch prog {
		case "env":
			for len(fields) > 0 && strings.HasPrefix(fields[0], "-") {
				fields = fields[1:] // env -S
			}
			continue
		case "sh", "bash", "dash", "ash", "ksh", "mksh", "zsh":
			return prog
		}
		return ""
	}
	return ""
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

// walk is what the scripts of one walk share: a sourced file's functions
// are the caller's.
type walk struct {
	p       *parser
	tool    string
	funcs   map[string]function
	calls   int // nested shell function calls
	sourced int // nested source commands
	sourcer Sourcer
}

// function is a shell function and the script that defines it.
type function struct {
	body *syntax.Stmt
	sh   *shell
}

// shell walks one script text.
type shell struct {
	*walk
	src  string
	ph   *placeholders
	name Word // ${BASH_SOURCE[0]}; nil for sh -c
	// top: the script's own commands locate the steps (it is not nested in
	// another's sh -c); word and file say where it is.
	top        bool
	scriptWord int
	file       string
}

// state is what the statements of a script share: variables, the working
// directory and the positional parameters ($0 first).
type state struct {
	vars map[string]shVar
	dir  Word
	pos  []Word
	// cleared: a variable not in vars is unset, not the environment's.
	cleared bool
}

// shVar is a shell variable; a nil val is set to something unknown.
type shVar struct {
	val      Word
	exported bool
}

func (st *state) clone() *state {
	return &state{vars: maps.Clone(st.vars), dir: st.dir, pos: st.pos, cleared: st.cleared}
}

// merge makes st what is known after either st or o ran: what they
// disagree on becomes unknown.
func (st *state) merge(o *state) {
	for name, v := range o.vars {
		w, ok := st.vars[name]
		if !ok || !v.val.Equal(w.val) || v.val == nil {
			st.vars[name] = shVar{exported: v.exported || w.exported}
		}
	}
	for name, w := range st.vars {
		if _, ok := o.vars[name]; !ok {
			st.vars[name] = shVar{exported: w.exported}
		}
	}
	if !st.dir.Equal(o.dir) || (st.dir == nil) != (o.dir == nil) {
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
			sh.funcs[x.Name.Value] = function{x.Body, sh}
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
	if sh.top {
		c.script = &scriptAt{word: sh.scriptWord, offset: sh.ph.offset(int(x.Pos().Offset())), file: sh.file}
	}
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
	case "unset":
		for _, w := range words[1:] {
			if t, lit := w.Literal(); lit && validName(t) {
				st.vars[t] = shVar{val: Word{}} // reads as empty from now on
			}
		}
		return nil
	case "source", ".":
		if len(words) > 1 {
			sh.sourceFile(words[1], words[2:], st, c)
		}
		return nil
	}
	if fn, ok := sh.funcs[name]; ok {
		if sh.calls < maxDepth {
			sh.calls++
			saved := st.pos
			st.pos = append([]Word{st.pos[0]}, words[1:]...)
			fn.sh.stmt(fn.body, st, c)
			st.pos = saved
			sh.calls--
		}
		return nil
	}
	args := make([]arg, len(words))
	for i, w := range words {
		args[i] = arg{w: w, i: -1}
	}
	c.env, c.dir, c.cleared = env, st.dir, st.cleared
	return sh.p.run(args, c)
}

// sourceFile walks a sourced file in the calling shell's state, when the
// Source hook reads it; otherwise the caller gets a RunScript step.
func (sh *shell) sourceFile(file Word, args []Word, st *state, c ctx) {
	var name, src string
	ok := false
	if sh.sourcer != nil && sh.sourced < maxDepth {
		name, src, ok = sh.sourcer(file, st.dir)
	}
	var f *syntax.File
	if ok {
		var err error
		f, err = parseScript(sh.tool, src)
		ok = err == nil
	}
	if !ok {
		vars := make(map[string]Word, len(st.vars))
		for n, v := range st.vars {
			vars[n] = v.val
		}
		c.env, c.dir = vars, st.dir
		sargs := make([]arg, len(args))
		for i, a := range args {
			sargs[i] = arg{w: a, i: -1}
		}
		sh.p.runScript("", file, sargs, c, true, arg{i: -1})
		return
	}
	sh.sourced++
	defer func() { sh.sourced-- }()
	inner := &shell{walk: sh.walk, src: src, ph: newPlaceholders(Lit(src)), name: file,
		top: sh.top, scriptWord: -1, file: name}
	saved := st.pos
	if len(args) > 0 {
		st.pos = append([]Word{st.pos[0]}, args...)
	}
	inner.stmts(f.Stmts, st, c)
	st.pos = saved
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
		if fields, ok := sh.split(w, st); ok {
			out = append(out, fields...)
			continue
		}
		v := sh.word(w, st, c)
		if len(v) == 1 && v[0].IsVar() && v[0].Default != nil && unquoted(w) {
			// $(IMAGE_BUILD_CMD) with IMAGE_BUILD_CMD ?= docker buildx build:
			// a command line in a variable, taken at its default
			if fields := fieldsOf(*v[0].Default); len(fields) > 1 {
				out = append(out, fields...)
				continue
			}
		}
		out = append(out, v)
	}
	if len(out) > maxWords {
		out = out[:maxWords] // "$@" doubled by recursive calls
	}
	return out
}

// split returns the fields of an unquoted $NAME whose value is literal
// text without glob characters: IMAGES="a b"; for i in $IMAGES.
func (sh *shell) split(w *syntax.Word, st *state) ([]Word, bool) {
	if len(w.Parts) != 1 {
		return nil, false
	}
	pe, ok := w.Parts[0].(*syntax.ParamExp)
	if !ok || !simpleParam(pe) {
		return nil, false
	}
	v, set, known := sh.lookup(pe, st)
	t, lit := v.Literal()
	if !set || !known || !lit || strings.ContainsAny(t, "*?[") {
		return nil, false
	}
	var out []Word
	for _, f := range strings.Fields(t) {
		out = append(out, Lit(f))
	}
	return out, true
}

// unquoted reports whether a word has no quotes, so its value is split.
func unquoted(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return false
		}
	}
	return true
}

// fieldsOf splits a word at the blanks of its literal text and of its
// variables' defaults.
func fieldsOf(w Word) []Word {
	var out []Word
	var cur Word
	flush := func() {
		if len(cur) > 0 {
			out = append(out, normal(cur))
			cur = nil
		}
	}
	for _, p := range w {
		if p.IsVar() && p.Default != nil {
			if fs := fieldsOf(*p.Default); len(fs) > 1 { // nested: docker buildx in BUILDX
				cur = append(cur, fs[0]...)
				flush()
				out = append(out, fs[1:len(fs)-1]...)
				cur = append(cur, fs[len(fs)-1]...)
				continue
			}
		}
		if !p.literal() {
			cur = append(cur, p)
			continue
		}
		for t := p.Text; t != ""; {
			i := strings.IndexAny(t, " \t\n")
			if i < 0 {
				cur = append(cur, Part{Text: t, Slot: Literal})
				break
			}
			if i > 0 {
				cur = append(cur, Part{Text: t[:i], Slot: Literal})
			}
			flush()
			t = t[i+1:]
		}
	}
	flush()
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
	return bounded(normal(out), sh.ph.restore(sh.source(w)).String())
}

// Bounds on the values a script builds: A=$A$A doubles A on each line.
const (
	maxWords     = 1024
	maxWordParts = 256
	maxWordBytes = 1 << 16
)

// bounded returns w, or an Unknown word standing for it (src) when it is
// too large to follow.
func bounded(w Word, src string) Word {
	parts, bytes := size(w)
	if parts > maxWordParts || bytes > maxWordBytes {
		return unknown(src)
	}
	return w
}

func size(w Word) (parts, bytes int) {
	for _, p := range w {
		parts++
		bytes += len(p.Text)
		if p.Default != nil {
			n, b := size(*p.Default)
			parts, bytes = parts+n, bytes+b
		}
	}
	return parts, bytes
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
		return bounded(w, sh.ph.restore(sh.source(x)).String())
	case *syntax.ParamExp:
		if v := sh.param(x, st, c, quoted); v != nil {
			return v
		}
	case *syntax.CmdSubst:
		if v, ok := sh.pathSubst(x, st, c); ok {
			if v != nil {
				return v
			}
			break
		}
		sub := c
		sub.out = nil
		sh.stmts(x.Stmts, st.clone(), sub) // its commands run too
	case *syntax.ProcSubst:
		sh.stmts(x.Stmts, st.clone(), c)
	}
	return unknown(sh.ph.restore(sh.source(p)).String())
}

// param returns the value of a parameter expansion when the script knows
// it, nil otherwise: $NAME, ${NAME}, and ${NAME-d}, ${NAME:-d},
// ${NAME=d}, ${NAME:=d}, ${NAME?}, ${NAME:?}. A variable the script never
// set is a Var part (with the default d) unless the environment was
// cleared. Unquoted, a value with spaces or glob characters is split or
// matched at run time and so unknown.
func (sh *shell) param(x *syntax.ParamExp, st *state, c ctx, quoted bool) Word {
	if !simpleParam(x) && !defaultParam(x) {
		return nil
	}
	n := x.Param.Value
	v, set, known := sh.lookup(x, st)
	if !known {
		return nil
	}
	if x.Exp != nil {
		switch x.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull:
			orNull := x.Exp.Op == syntax.DefaultUnsetOrNull || x.Exp.Op == syntax.AssignUnsetOrNull
			def := sh.expWord(x.Exp.Word, st, c, quoted)
			switch {
			case v == nil && set:
				return nil // set to something unknown: maybe empty
			case !set && len(v) == 1 && v[0].IsVar():
				v = EnvVarOr(n, def) // the environment's, else d
			case !set, orNull && len(v) == 0:
				v = def
			}
			if (x.Exp.Op == syntax.AssignUnset || x.Exp.Op == syntax.AssignUnsetOrNull) && validName(n) {
				st.set(n, v)
			}
		}
	}
	if v == nil || !quoted && splits(v) {
		return nil
	}
	return v
}

// lookup returns a parameter's value: set reports whether the script (or
// the environment it was given) set it; known false when nothing can be
// said. A variable the environment may hold comes back as a Var part,
// with set false.
func (sh *shell) lookup(x *syntax.ParamExp, st *state) (v Word, set, known bool) {
	n := x.Param.Value
	switch {
	case n == "BASH_SOURCE":
		return sh.name, sh.name != nil, sh.name != nil
	case n[0] >= '0' && n[0] <= '9':
		i := 0
		for _, d := range n {
			i = i*10 + int(d-'0')
			if i > len(st.pos) {
				return nil, false, true // unset: a script's arguments are known
			}
		}
		if i >= len(st.pos) {
			return nil, false, true
		}
		return st.pos[i], true, true
	case !validName(n) || sh.ph.has(n):
		return nil, false, false // $?, $#, $$, $!, $*, $-; a name glued to a run-time part
	}
	if sv, ok := st.vars[n]; ok {
		return sv.val, true, true
	}
	if st.cleared {
		return nil, false, false
	}
	return EnvVar(n), false, true
}

// expWord expands the default word of ${NAME:-d}.
func (sh *shell) expWord(w *syntax.Word, st *state, c ctx, quoted bool) Word {
	if w == nil {
		return Word{}
	}
	if !quoted {
		return sh.word(w, st, c)
	}
	var out Word
	for _, p := range w.Parts {
		out = append(out, sh.part(p, st, c, true)...)
	}
	return normal(out)
}

// splits reports whether unquoted w may be split or globbed: literal text,
// its variables' defaults included, with blanks or glob characters.
func splits(w Word) bool {
	for _, p := range w {
		if p.literal() && strings.ContainsAny(p.Text, " \t\n*?[") || p.Default != nil && splits(*p.Default) {
			return true
		}
	}
	return false
}

func simpleParam(x *syntax.ParamExp) bool {
	return x.Param != nil && x.Flags == nil && !x.Excl && !x.Length && !x.Width && !x.IsSet &&
		x.Split == syntax.OptUnset && x.GlobSubst == syntax.OptUnset && x.RcExpand == syntax.OptUnset &&
		x.NestedParam == nil && x.Index == nil && len(x.Modifiers) == 0 && x.Slice == nil &&
		x.Repl == nil && x.Names == 0 && x.Exp == nil
}

// defaultParam reports whether x is ${NAME} with a default, an assigned
// default or an error when unset, or ${BASH_SOURCE[0]}.
func defaultParam(x *syntax.ParamExp) bool {
	y := *x
	if y.Param != nil && y.Param.Value == "BASH_SOURCE" && y.Index != nil {
		if w, ok := y.Index.(*syntax.Word); !ok || w.Lit() != "0" {
			return false
		}
		y.Index = nil
	}
	if y.Exp != nil {
		switch y.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull,
			syntax.ErrorUnset, syntax.ErrorUnsetOrNull:
			y.Exp = nil
		}
	}
	return simpleParam(&y)
}

// pathSubst returns the value of a command substitution that only
// computes a path: $(dirname W), $(cd D && pwd), $(pwd), $(realpath W),
// $(readlink -f W). ok is false for any other command; v is nil when the
// path is not known.
func (sh *shell) pathSubst(x *syntax.CmdSubst, st *state, c ctx) (v Word, ok bool) {
	if len(x.Stmts) != 1 {
		return nil, false
	}
	s := x.Stmts[0]
	if b, isAnd := s.Cmd.(*syntax.BinaryCmd); isAnd && b.Op == syntax.AndStmt {
		if commandName(b.X) != "cd" || commandName(b.Y) != "pwd" {
			return nil, false
		}
		cd := sh.argWords(b.X, st, c)
		if len(cd) < 2 {
			return nil, true
		}
		return absolute(joinDir(st.dir, cd[len(cd)-1])), true
	}
	switch commandName(s) {
	case "pwd":
		return absolute(st.dir), true
	case "dirname":
		if args := sh.argWords(s, st, c); len(args) == 2 {
			return dirname(args[1]), true
		}
		return nil, true
	case "realpath", "readlink":
		args := sh.argWords(s, st, c)
		if args[0].is("realpath") && len(args) == 2 || len(args) == 3 && args[1].is("-f") {
			return absolute(joinDir(st.dir, args[len(args)-1])), true
		}
		return nil, true
	}
	return nil, false
}

// commandName returns the literal name of a simple command without
// assignments, "" for any other.
func commandName(s *syntax.Stmt) string {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return ""
	}
	return call.Args[0].Lit()
}

// argWords expands the words of a simple command (see commandName).
func (sh *shell) argWords(s *syntax.Stmt, st *state, c ctx) []Word {
	return sh.words(s.Cmd.(*syntax.CallExpr).Args, st, c)
}

// absolute returns dir when it is known to be an absolute path.
func absolute(dir Word) Word {
	if strings.HasPrefix(dir.head(), "/") && dir.Known() {
		return dir
	}
	return nil
}

// dirname returns the directory part of a path whose last '/' is in its
// literal text after any run-time part.
func dirname(w Word) Word {
	if t, ok := w.Literal(); ok {
		return Lit(path.Dir(t))
	}
	last := w[len(w)-1]
	if !last.literal() {
		return nil
	}
	i := strings.LastIndexByte(last.Text, '/')
	if i < 0 || i == len(last.Text)-1 {
		return nil
	}
	return Concat(w[:len(w)-1], Lit(last.Text[:i]))
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
