package workflow

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Bounds on the walk of one run: script, so that no input makes it slow:
// its size (real ones are a few kilobytes; this also bounds the parser's
// recursion), statements walked, nested shell function calls, and the items
// of a for loop walked one by one.
const (
	maxScriptSize = 64 << 10
	maxStatements = 10000
	maxCallDepth  = 8
	maxLoopItems  = 16
)

// scriptState is what the statements of a script share.
type scriptState struct {
	vars map[string]shVar
	dir  Value
}

// shVar is a shell variable: its value (a Shell part when unknown), whether
// it is exported, and where it was set.
type shVar struct {
	val      Value
	exported bool
	pos      Pos
}

func (st *scriptState) clone() *scriptState {
	return &scriptState{vars: maps.Clone(st.vars), dir: st.dir}
}

// merge makes st what is known after either st or o ran: a variable they
// disagree on, or that only one sets, has an unknown value.
func (st *scriptState) merge(o *scriptState) {
	for name, v := range o.vars {
		if w, ok := st.vars[name]; !ok || !slices.Equal(v.val, w.val) {
			st.vars[name] = shVar{val: unknownVar(name), exported: v.exported || w.exported, pos: v.pos}
		}
	}
	for name, w := range st.vars {
		if _, ok := o.vars[name]; !ok {
			st.vars[name] = shVar{val: unknownVar(name), exported: w.exported, pos: w.pos}
		}
	}
	if !slices.Equal(st.dir, o.dir) {
		st.dir = Value{{Kind: Shell, Text: "$PWD"}}
	}
}

func unknownVar(name string) Value { return Value{{Kind: Shell, Text: "$" + name}} }

// walker walks one run: script in execution order.
type walker struct {
	job     *Job
	step    *Step
	src     string // the script, each ${{ }} replaced by its placeholder
	exprs   *placeholders
	env     scope // the step's environment, for ${{ env.NAME }}
	funcs   map[string]*syntax.Stmt
	depth   int
	budget  int
	appends []Var
	found   []Invocation
}

// cmdCtx is what a command inherits from the statements around it.
type cmdCtx struct {
	toEnv bool  // stdout goes to $GITHUB_ENV
	stdin Value // a here-document or here-string; nil when none
}

// walkScript reads a step's run: script: the invocations it makes and the
// variables it appends to $GITHUB_ENV. A script in a shell other than sh or
// bash is not read.
func (j *Job) walkScript(s *Step, env scope) ([]Invocation, []Var, []Problem) {
	lang, ok := shellLanguage(s.Shell)
	if !ok || strings.TrimSpace(s.Run) == "" {
		return nil, nil, nil
	}
	if len(s.Run) > maxScriptSize {
		return nil, nil, []Problem{{s.RunPos, fmt.Sprintf("run script: %d bytes, over the %d-byte limit: not read", len(s.Run), maxScriptSize)}}
	}
	ph := newPlaceholders(s.Run)
	file, err := parseShell(lang, ph.script)
	if err != nil {
		p, msg := s.RunPos, err.Error()
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			p, msg = s.RunPosAt(int(pe.Pos.Offset())), pe.Text
		}
		return nil, nil, []Problem{{p, "run script: " + msg}}
	}
	w := &walker{job: j, step: s, src: ph.script, exprs: ph, env: env,
		funcs: map[string]*syntax.Stmt{}, budget: maxStatements}
	st := &scriptState{vars: map[string]shVar{}, dir: workDir(parseValue(s.Dir, env))}
	for name, v := range env {
		st.vars[name] = shVar{val: v.Value, exported: true, pos: v.Pos}
	}
	w.stmts(file.Stmts, st, cmdCtx{})
	return w.found, w.appends, nil
}

// shellLanguage returns the grammar of a step's shell: (empty is bash on
// the Linux runners); ok is false for pwsh, python and the like.
func shellLanguage(shell string) (syntax.LangVariant, bool) {
	name := shell
	if i := strings.IndexAny(name, " \t"); i >= 0 {
		name = name[:i]
	}
	switch path.Base(name) {
	case "", ".", "bash":
		return syntax.LangBash, true
	case "sh":
		return syntax.LangPOSIX, true
	}
	return 0, false
}

func parseShell(lang syntax.LangVariant, src string) (*syntax.File, error) {
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(src), "")
	if err != nil && lang == syntax.LangPOSIX {
		// /bin/sh on the Ubuntu runners is dash, but scripts written for
		// it often hold bashisms that run anyway under bash elsewhere.
		if g, err2 := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), ""); err2 == nil {
			return g, nil
		}
	}
	return f, err
}

func (w *walker) pos(n syntax.Node) Pos {
	return w.step.RunPosAt(int(n.Pos().Offset()))
}

func (w *walker) stmts(list []*syntax.Stmt, st *scriptState, c cmdCtx) {
	for _, s := range list {
		w.stmt(s, st, c)
	}
}

func (w *walker) stmt(s *syntax.Stmt, st *scriptState, c cmdCtx) {
	if s == nil || w.budget <= 0 {
		return
	}
	w.budget--
	c = w.redirects(s.Redirs, st, c)
	switch x := s.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(x, st, c)
	case *syntax.BinaryCmd:
		switch x.Op {
		case syntax.AndStmt:
			w.stmt(x.X, st, c)
			w.stmt(x.Y, st, c)
		case syntax.OrStmt:
			w.stmt(x.X, st, c)
			b := st.clone()
			w.stmt(x.Y, b, c)
			st.merge(b)
		default:
			w.pipeline(x, st, c)
		}
	case *syntax.Block:
		w.stmts(x.Stmts, st, c)
	case *syntax.Subshell:
		w.stmts(x.Stmts, st.clone(), c)
	case *syntax.IfClause:
		w.ifClause(x, st, c)
	case *syntax.WhileClause:
		w.stmts(x.Cond, st, c)
		b := st.clone()
		w.stmts(x.Do, b, c)
		st.merge(b)
	case *syntax.ForClause:
		w.forClause(x, st, c)
	case *syntax.CaseClause:
		w.word(x.Word, st)
		after := st.clone()
		for _, item := range x.Items {
			b := st.clone()
			w.stmts(item.Stmts, b, c)
			after.merge(b)
		}
		*st = *after
	case *syntax.FuncDecl:
		if x.Name != nil {
			w.funcs[x.Name.Value] = x.Body
		}
	case *syntax.DeclClause:
		w.decl(x, st)
	case *syntax.TimeClause:
		w.stmt(x.Stmt, st, c)
	}
}

// pipeline walks a | b | c, each command in a subshell; in
// echo NAME=value | tee -a "$GITHUB_ENV", what echo writes is appended.
func (w *walker) pipeline(x *syntax.BinaryCmd, st *scriptState, c cmdCtx) {
	parts := pipeStages(x)
	for i := 0; i < len(parts); i++ {
		pc := c
		pc.toEnv = false // its stdout is the pipe
		switch {
		case i+1 < len(parts) && teesToEnv(parts[i+1]):
			pc.toEnv = true
			w.stmt(parts[i], st.clone(), pc)
			i++
			continue
		case i == len(parts)-1:
			pc.toEnv = c.toEnv
		}
		w.stmt(parts[i], st.clone(), pc)
	}
}

func pipeStages(b *syntax.BinaryCmd) []*syntax.Stmt {
	var out []*syntax.Stmt
	for _, s := range []*syntax.Stmt{b.X, b.Y} {
		if inner, ok := s.Cmd.(*syntax.BinaryCmd); ok && len(s.Redirs) == 0 && !s.Negated &&
			(inner.Op == syntax.Pipe || inner.Op == syntax.PipeAll) {
			out = append(out, pipeStages(inner)...)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// teesToEnv reports whether s is tee with $GITHUB_ENV among its files,
// possibly under sudo.
func teesToEnv(s *syntax.Stmt) bool {
	x, ok := s.Cmd.(*syntax.CallExpr)
	if !ok {
		return false
	}
	for i, a := range x.Args {
		if a.Lit() == "tee" {
			return slices.ContainsFunc(x.Args[i+1:], isGithubEnv)
		}
		if a.Lit() != "sudo" && !strings.HasPrefix(a.Lit(), "-") {
			return false
		}
	}
	return false
}

func (w *walker) ifClause(x *syntax.IfClause, st *scriptState, c cmdCtx) {
	w.stmts(x.Cond, st, c)
	then := st.clone()
	w.stmts(x.Then, then, c)
	if x.Else != nil {
		w.ifClause(x.Else, st, c)
	}
	st.merge(then)
}

func (w *walker) forClause(x *syntax.ForClause, st *scriptState, c cmdCtx) {
	iter, ok := x.Loop.(*syntax.WordIter)
	if ok && iter.InPos.IsValid() {
		items := w.words(iter.Items, st)
		if len(items) <= maxLoopItems && !slices.ContainsFunc(items, func(a Arg) bool { _, lit := a.Value.Literal(); return !lit }) {
			for _, it := range items { // as the loop runs, once per item
				st.vars[iter.Name.Value] = shVar{val: it.Value, exported: st.vars[iter.Name.Value].exported, pos: it.Pos}
				w.stmts(x.Do, st, c)
			}
			return
		}
	}
	b := st.clone()
	if ok {
		b.vars[iter.Name.Value] = shVar{val: unknownVar(iter.Name.Value), exported: b.vars[iter.Name.Value].exported}
	}
	w.stmts(x.Do, b, c)
	st.merge(b)
}

// redirects applies > "$GITHUB_ENV", here-documents and here-strings to c.
func (w *walker) redirects(rs []*syntax.Redirect, st *scriptState, c cmdCtx) cmdCtx {
	for _, r := range rs {
		if r.N != nil && r.N.Value != "0" && r.N.Value != "1" {
			continue
		}
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
			c.toEnv = isGithubEnv(r.Word)
		case syntax.Hdoc, syntax.DashHdoc:
			c.stdin = w.heredoc(r, st)
		case syntax.WordHdoc:
			c.stdin = concat(w.word(r.Word, st), Lit("\n"))
		}
	}
	return c
}

// isGithubEnv reports whether word is $GITHUB_ENV, ${GITHUB_ENV} or either
// in double quotes.
func isGithubEnv(word *syntax.Word) bool {
	if word == nil || len(word.Parts) != 1 {
		return false
	}
	p := word.Parts[0]
	if dq, ok := p.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		p = dq.Parts[0]
	}
	pe, ok := p.(*syntax.ParamExp)
	return ok && simpleParam(pe) && pe.Param.Value == "GITHUB_ENV"
}

// heredoc returns a here-document's text: literal when its delimiter is
// quoted, with expansions otherwise.
func (w *walker) heredoc(r *syntax.Redirect, st *scriptState) Value {
	if r.Hdoc == nil {
		return Value{}
	}
	quoted := slices.ContainsFunc(r.Word.Parts, func(p syntax.WordPart) bool {
		l, ok := p.(*syntax.Lit)
		return !ok || strings.Contains(l.Value, `\`)
	})
	if quoted {
		return w.exprs.restore(w.source(r.Hdoc), w.env)
	}
	var out []Value
	for _, p := range r.Hdoc.Parts {
		out = append(out, w.part(p, st, true))
	}
	return concat(out...)
}

func (w *walker) call(x *syntax.CallExpr, st *scriptState, c cmdCtx) {
	if len(x.Args) == 0 {
		for _, a := range x.Assigns {
			w.assign(a, st, false)
		}
		return
	}
	inline := map[string]Var{}
	for _, a := range x.Assigns {
		if a.Name != nil {
			inline[a.Name.Value] = Var{Name: a.Name.Value, Value: w.assignValue(a, st), Pos: w.pos(a)}
		}
	}
	words := w.words(x.Args, st)
	if len(words) == 0 {
		return
	}
	name, _ := words[0].Value.Literal()
	switch name {
	case "cd", "pushd":
		if len(words) < 2 {
			st.dir = Value{{Kind: Shell, Text: "$HOME"}}
		} else {
			st.dir = changeDir(st.dir, words[len(words)-1].Value)
		}
		return
	case "popd":
		st.dir = Value{{Kind: Shell, Text: "$PWD"}}
		return
	case "export", "readonly", "local", "declare", "typeset":
		// Only when the parser did not make a DeclClause of it.
		for _, a := range words[1:] {
			w.declWord(name == "export", a, st)
		}
		return
	}
	if body, ok := w.funcs[name]; ok {
		if w.depth < maxCallDepth {
			w.depth++
			w.stmt(body, st, c)
			w.depth--
		}
		return
	}
	if c.toEnv {
		if text, ok := emitted(words, c); ok {
			w.appendEnv(text, w.pos(x))
		}
	}
	env := w.exported(st)
	for n, v := range inline {
		env[n] = v
	}
	w.invocation(words, env, st.dir)
}

// exported returns the exported variables of st.
func (w *walker) exported(st *scriptState) map[string]Var {
	env := map[string]Var{}
	for name, v := range st.vars {
		if v.exported {
			env[name] = Var{Name: name, Value: v.val, Pos: v.pos}
		}
	}
	return env
}

func (w *walker) decl(x *syntax.DeclClause, st *scriptState) {
	export := x.Variant != nil && x.Variant.Value == "export"
	for _, a := range x.Args {
		switch {
		case a.Name == nil && a.Value != nil: // an option such as -x
			if t := a.Value.Lit(); strings.HasPrefix(t, "-") && strings.Contains(t, "x") {
				export = true
			}
		case a.Name != nil && a.Naked:
			v, ok := st.vars[a.Name.Value]
			if !ok {
				v = shVar{val: Value{{Kind: Env, Text: a.Name.Value}}, pos: w.pos(a)}
			}
			v.exported = v.exported || export
			st.vars[a.Name.Value] = v
		case a.Name != nil:
			w.assign(a, st, export)
		}
	}
}

// declWord reads one NAME=value or NAME word of export and the like.
func (w *walker) declWord(export bool, a Arg, st *scriptState) {
	n, v, found := a.Value.cut("=")
	name, lit := n.Literal()
	if !lit || !validName(name) {
		return
	}
	cur, ok := st.vars[name]
	switch {
	case found:
		cur = shVar{val: v, exported: export || cur.exported, pos: a.Pos}
	case !ok:
		cur = shVar{val: Value{{Kind: Env, Text: name}}, exported: export, pos: a.Pos}
	default:
		cur.exported = cur.exported || export
	}
	st.vars[name] = cur
}

func (w *walker) assign(a *syntax.Assign, st *scriptState, export bool) {
	if a.Name == nil {
		return
	}
	old := st.vars[a.Name.Value]
	st.vars[a.Name.Value] = shVar{val: w.assignValue(a, st), exported: export || old.exported, pos: w.pos(a)}
}

func (w *walker) assignValue(a *syntax.Assign, st *scriptState) Value {
	switch {
	case a.Array != nil || a.Index != nil:
		return Value{{Kind: Shell, Text: w.exprs.written(w.source(a))}}
	case a.Value == nil:
		return Value{}
	}
	v := w.word(a.Value, st)
	if a.Append {
		old, ok := st.vars[a.Name.Value]
		if !ok {
			return concat(Value{{Kind: Env, Text: a.Name.Value}}, v)
		}
		return concat(old.val, v)
	}
	return v
}

// Arg is a word of a command line and where it starts in the file.
type Arg struct {
	Value Value
	Pos   Pos
}

func (w *walker) words(ws []*syntax.Word, st *scriptState) []Arg {
	out := make([]Arg, 0, len(ws))
	for _, x := range ws {
		out = append(out, Arg{Value: w.word(x, st), Pos: w.pos(x)})
	}
	return out
}

func (w *walker) word(x *syntax.Word, st *scriptState) Value {
	if x == nil {
		return Value{}
	}
	var out []Value
	for _, p := range x.Parts {
		out = append(out, w.part(p, st, false))
	}
	return concat(out...)
}

func (w *walker) part(p syntax.WordPart, st *scriptState, quoted bool) Value {
	switch x := p.(type) {
	case *syntax.Lit:
		return w.exprs.restore(unescape(x.Value, quoted), w.env)
	case *syntax.SglQuoted:
		if !x.Dollar {
			return w.exprs.restore(x.Value, w.env)
		}
	case *syntax.DblQuoted:
		var out []Value
		for _, q := range x.Parts {
			out = append(out, w.part(q, st, true))
		}
		return concat(out...)
	case *syntax.ParamExp:
		if simpleParam(x) && validName(x.Param.Value) && !strings.Contains(x.Param.Value, w.exprs.prefix) {
			if v, ok := st.vars[x.Param.Value]; ok {
				return v.val
			}
			return Value{{Kind: Env, Text: x.Param.Value}}
		}
	case *syntax.CmdSubst:
		w.stmts(x.Stmts, st.clone(), cmdCtx{}) // its commands run too
	}
	return Value{{Kind: Shell, Text: w.exprs.written(w.source(p))}}
}

func simpleParam(x *syntax.ParamExp) bool {
	return x.Param != nil && x.Flags == nil && !x.Excl && !x.Length && !x.Width && !x.IsSet &&
		x.NestedParam == nil && x.Index == nil && len(x.Modifiers) == 0 && x.Slice == nil &&
		x.Repl == nil && x.Names == 0 && x.Exp == nil
}

// source returns the script text of n, with placeholders.
func (w *walker) source(n syntax.Node) string {
	from, to := int(n.Pos().Offset()), int(n.End().Offset())
	if from < 0 || to > len(w.src) || from > to {
		return ""
	}
	return w.src[from:to]
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

// workDir makes a working-directory: relative to the repository root,
// which is where the runner checks it out.
func workDir(v Value) Value {
	if rel, ok := inWorkspace(v); ok {
		return rel
	}
	return joinDir(Value{}, v)
}

// inWorkspace returns the path v names under $GITHUB_WORKSPACE or
// ${{ github.workspace }}, relative to it.
func inWorkspace(v Value) (Value, bool) {
	if len(v) == 0 || !(v[0].Kind == Env && v[0].Text == "GITHUB_WORKSPACE" ||
		v[0].Kind == Expr && strings.Join(strings.Fields(v[0].Text), "") == "${{github.workspace}}") {
		return nil, false
	}
	rest := concat(v[1:])
	if len(rest) > 0 && rest[0].Kind == Text {
		rest = concat(Lit(strings.TrimLeft(rest[0].Text, "/")), rest[1:])
	}
	return joinDir(Value{}, rest), true
}

// changeDir returns the directory cd TO goes to from dir.
func changeDir(dir, to Value) Value {
	if rel, ok := inWorkspace(to); ok {
		return rel
	}
	return joinDir(dir, to)
}

// joinDir returns dir/to, cleaned when both are literal; to when it is
// absolute or starts with a run-time value. The root is the empty value.
func joinDir(dir, to Value) Value {
	t, lit := to.Literal()
	if lit && strings.HasPrefix(t, "/") || len(to) > 0 && to[0].Kind != Text {
		return to
	}
	d, dlit := dir.Literal()
	if lit && dlit {
		j := path.Join(d, t)
		if j == "." {
			return Value{}
		}
		return Lit(j)
	}
	if len(dir) == 0 {
		return to
	}
	return concat(dir, Lit("/"), to)
}

// placeholders stand for the ${{ }} expressions of a script while the shell
// parser reads it: each is letters, digits and underscores, which the shell
// keeps as literal text, padded to the expression's length so that offsets
// in the script stay those of the file.
type placeholders struct {
	prefix string
	exprs  []string
	script string // with the placeholders
}

func newPlaceholders(script string) *placeholders {
	ph := &placeholders{prefix: "Zq"}
	for strings.Contains(script, ph.prefix) || strings.Contains(strings.ReplaceAll(script, `\`, ""), ph.prefix) {
		ph.prefix += "q"
	}
	var b strings.Builder
	at := 0
	for _, e := range findExpressions(script) {
		b.WriteString(script[at:e.from])
		b.WriteString(ph.token(len(ph.exprs), e.to-e.from))
		ph.exprs = append(ph.exprs, script[e.from:e.to])
		at = e.to
	}
	b.WriteString(script[at:])
	ph.script = b.String()
	return ph
}

// token returns the placeholder of expression i, n bytes long when it fits.
func (ph *placeholders) token(i, n int) string {
	t := ph.prefix + strconv.Itoa(i) + "_"
	if len(t) < n {
		t += strings.Repeat("_", n-len(t))
	}
	return t
}

// restore maps the placeholders in s back to their expressions, resolving
// ${{ env.NAME }} against env.
func (ph *placeholders) restore(s string, env scope) Value {
	var out []Value
	for len(ph.exprs) > 0 {
		i, n, at := ph.find(s)
		if at < 0 {
			break
		}
		out = append(out, Lit(s[:at]), expandExpression(ph.exprs[i], env))
		s = s[at+n:]
	}
	return concat(append(out, Lit(s))...)
}

// written maps the placeholders in s back to the expressions as written.
func (ph *placeholders) written(s string) string {
	return ph.restore(s, nil).String()
}

// find returns the first placeholder in s: its expression, its length and
// its offset (-1 when there is none).
func (ph *placeholders) find(s string) (expr, n, at int) {
	from := 0
	for {
		k := strings.Index(s[from:], ph.prefix)
		if k < 0 {
			return 0, 0, -1
		}
		at = from + k
		j := at + len(ph.prefix)
		d := j
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		i, err := strconv.Atoi(s[j:d])
		if err == nil && i < len(ph.exprs) {
			t := ph.token(i, len(ph.exprs[i]))
			if strings.HasPrefix(s[at:], t) {
				return i, len(t), at
			}
		}
		from = j
	}
}

func isLit(v Value, s string) bool {
	t, ok := v.Literal()
	return ok && t == s
}
