package analyzer

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/repo"
)

// The repository model (internal/repo) follows a Go call of make or of a
// script file into the Makefile, its includes and the scripts it runs:
// the recipe's build, load and deploy steps become the call's steps,
// with the variables the call passes and the Makefile's defaults where it
// passes none. The model is built once per module root and process, and
// rebuilt when a file it read changes.

// repoState is what one pass knows of its repository, asked once.
type repoState struct {
	model *repo.Model // nil: the package's directory is not on disk
	// envReads are the environment variables the package reads by
	// constant name, with the first read: a make or script variable of
	// that name is the same run-time value (a flag is not).
	envReads map[string]ast.Expr
	goFiles  *[][]byte // memo of moduleGoFiles
	// cmdDirs are the expressions assigned to the Dir of the exec.Cmd each
	// exec.Command call of the package makes, when it is held by a
	// variable; nil elements: not known (a variable holding several).
	cmdDirs map[*ast.CallExpr][]ast.Expr
	// preludes memoises preludes.
	preludes *[]prelude
	// testEnvs memoises testEnvOf.
	testEnvs map[string]testEnv
}

func (ix *index) repository() *repoState {
	if ix.repo != nil {
		return ix.repo
	}
	rs := &repoState{envReads: map[string]ast.Expr{}}
	ix.repo = rs
	if root := ix.moduleRoot(); root != "" {
		rs.model = repo.Load(root)
	}
	for _, f := range ix.files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if ix.isOSEnvRead(call) {
				if v := ix.externalValue(call); v.str != "" && rs.envReads[v.str] == nil {
					rs.envReads[v.str] = call
				}
			}
			return true
		})
	}
	return rs
}

// makeRunSteps adds the steps of the recipes a Go call of make runs, as
// the Makefile that make finds from the package's directory defines them.
// It reports false when the run cannot be followed (no Makefile, a goal
// it does not define, -C or -f): the caller then goes by the targets'
// names.
func (ix *index) makeRunSteps(fl *flow, call *ast.CallExpr, cs command.Step, slots []ast.Expr, add func(step)) bool {
	rs := ix.repository()
	a := cs.Make
	if rs.model == nil || a.Dir != nil || a.File != nil || len(a.Targets) == 0 {
		return false
	}
	dir := rs.model.MakefileDir(ix.packageDir())
	if dirs := ix.cmdDir(call); dirs != nil {
		// make reads the Makefile of cmd.Dir, not of a directory above.
		dir = ix.runDir(fl, dirs, func(tail string) ([]string, bool) { return rs.model.MakefileDirs(tail) })
		if dir != "" && rs.model.MakefileDir(dir) != dir {
			dir = ""
		}
	}
	if dir == "" {
		return false
	}
	for _, t := range a.Targets {
		if !rs.model.Defines(dir, t) {
			return false
		}
	}
	run := rs.model.Make(dir, a.Targets, a.Vars, a.Env)
	ix.runSteps(fl, call, "make "+strings.Join(a.Targets, " "), dir, a.Vars, run, slots, add)
	return true
}

// scriptRunSteps adds the steps of a script file a Go call runs (bash
// hack/e2e-setup.sh, ./test/setup.sh): the file is found from the
// package's directory up to the repository root, and runs there.
func (ix *index) scriptRunSteps(fl *flow, call *ast.CallExpr, cs command.Step, slots []ast.Expr, add func(step)) {
	rs := ix.repository()
	if rs.model == nil || len(cs.Paths) == 0 || cs.Script == nil || cs.Script.Sourced {
		return
	}
	path, ok := cs.Paths[0].Literal()
	if !ok || filepath.IsAbs(path) {
		return // a run-time path, or a file outside the repository
	}
	dir := rs.model.FileAt(ix.packageDir(), path)
	if dirs := ix.cmdDir(call); dirs != nil {
		// The script is path below cmd.Dir; a Dir known only at run time
		// is not guessed.
		dir = ix.runDir(fl, dirs, func(string) ([]string, bool) { return nil, false })
		if dir != "" && !rs.model.Exists(filepath.Join(dir, path)) {
			dir = ""
		}
	}
	if dir == "" {
		return
	}
	run := rs.model.Script(dir, path, cs.Script.Args, cs.Script.Env)
	where := filepath.ToSlash(path)
	if tool := strings.TrimPrefix(cs.Tool, "./"); !strings.HasSuffix(where, tool) {
		where = cs.Tool + " " + where // bash hack/e2e.sh; ./hack/e2e.sh is its own tool
	}
	ix.runSteps(fl, call, where, "", cs.Script.Env, run, slots, add)
}

// runSteps turns the steps of a followed run into the call's steps;
// makeDir is the directory of a make run's Makefile, "" for a script;
// vars are the variables the call sets. Kustomizations applied after a
// kustomize edit set image deploy the set image in place of the name it
// replaces.
func (ix *index) runSteps(fl *flow, call *ast.CallExpr, where, makeDir string, vars map[string]command.Word, run repo.Run, slots []ast.Expr, add func(step)) {
	rs := ix.repository()
	if len(run.Unknowns) > 0 {
		ix.repoUnknowns[call] = append(ix.repoUnknowns[call], run.Unknowns...)
		// What the run does past them cannot be seen: it may deploy
		// anything, which keeps "never deployed" findings silent.
		defer func() {
			u := run.Unknowns[0]
			st := opaqueDeploy(call, where, fmt.Sprintf("%s cannot be followed: %s", u.What, u.Reason))
			st.trace = &repoTrace{pos: u.Pos}
			add(st)
		}()
	}
	var setNames []string
	for _, s := range run.Steps {
		st := step{at: call, where: where, inner: ix.repoName(s.Pos.File, s.Pos.Line), cmd: &commandInfo{line: s.Tool},
			trace: &repoTrace{pos: s.Pos, via: s.Via}}
		valueOf := func(w command.Value) value { return ix.repoValue(fl, call, w, slots) }
		kind, archive, simple := commandStepKind(s.Kind, s.Paths)
		st.kind, st.deploy = kind, deployFor(kind, deployInfo{})
		if archive != nil {
			st.archive = valueOf(archive)
		}
		switch s.Kind {
		case command.SetImage:
			st.deploy.file, st.deploy.fileValue = ix.repoSite(rs.model, makeDir, s)
			if len(s.Paths) > 0 { // kustomize: the kustomization in Dir
				for _, n := range s.Names {
					if name, ok := n.Literal(); ok {
						setNames = append(setNames, name)
					}
				}
			}
		case command.Apply, command.ApplyKustomize:
			ix.repoApplySteps(fl, call, where, s, setNames, add)
			continue
		case command.Helm:
			if s.Helm != nil && s.Helm.Installs {
				ix.repoHelmStep(fl, call, where, s, slots, func(h step) {
					h.inner, h.trace = st.inner, st.trace
					add(h)
				})
			}
			continue
		case command.Make:
			if !s.Followed {
				// A make run the model could not follow: its targets'
				// names say what it does, as for a Go call.
				if kind, made, ok := makeStep(s.Make); ok {
					st.kind, st.deploy = kind, deployFor(kind, deployInfo{})
					for _, w := range made {
						st.images = append(st.images, valueOf(w))
						st.exprs = append(st.exprs, nil)
					}
					add(st)
				}
			}
			continue
		default:
			if !simple {
				continue
			}
		}
		for _, w := range s.Images {
			st.images = append(st.images, valueOf(w))
			st.exprs = append(st.exprs, slotExpr(w, slots))
			st.trace.vars = append(st.trace.vars, ix.imageVars(w, vars)...)
		}
		if st.kind == stepDeploy && slices.ContainsFunc(st.trace.vars, func(v string) bool { return !strings.HasPrefix(v, "=") }) {
			st.deploy.file, st.deploy.fileValue = "", span{} // the Go call names the image, not the file
		}
		add(st)
	}
}

// repoHelmStep adds the deploy of a helm install in a recipe or script:
// its chart and values files are relative to the step's directory, and
// its variables are resolved as repoValue resolves them.
func (ix *index) repoHelmStep(fl *flow, call *ast.CallExpr, where string, s repo.Step, slots []ast.Expr, add func(step)) {
	if s.Dir == "" {
		add(opaqueDeploy(call, where, "helm install in a recipe or script run from an unknown directory"))
		return
	}
	ext := slices.Clone(slots)
	sub := func(w command.Word) command.Word { return ix.substitute(w, &ext, 0) }
	h := *s.Helm
	h.Release, h.Chart = sub(h.Release), sub(h.Chart)
	h.Sets = slices.Clone(h.Sets)
	for i := range h.Sets {
		h.Sets[i].Value = sub(h.Sets[i].Value)
	}
	h.Unparsed = slices.Clone(h.Unparsed)
	for i := range h.Unparsed {
		h.Unparsed[i] = sub(h.Unparsed[i])
	}
	h.ValuesFiles = slices.Clone(h.ValuesFiles)
	for i, vf := range h.ValuesFiles {
		vf = sub(vf)
		if p, ok := vf.Literal(); ok && !filepath.IsAbs(p) {
			vf = command.Lit(filepath.Join(s.Dir, p))
		}
		h.ValuesFiles[i] = vf
	}
	chartDir := ""
	if c, ok := h.Chart.Literal(); ok && h.Chart != nil && c != "" {
		if !filepath.IsAbs(c) {
			c = filepath.Join(s.Dir, c)
		}
		if ix.isModuleDir(c) {
			chartDir = c
		}
	}
	ix.helmStep(fl, call, where, chartDir, &h, ext, add)
}

// substitute returns w with its variables resolved for wordValue: one the
// package reads from the environment becomes a slot holding that read,
// one at its default (see repoValue) that default; others stay.
func (ix *index) substitute(w command.Word, slots *[]ast.Expr, depth int) command.Word {
	if w == nil {
		return nil
	}
	rs := ix.repository()
	out := command.Word{}
	for _, p := range w {
		switch {
		case p.IsVar() && rs.envReads[p.Text] != nil:
			*slots = append(*slots, rs.envReads[p.Text])
			out = append(out, command.Dyn(len(*slots)-1)...)
		case p.IsVar() && p.Default != nil && depth < maxDefaultDepth && !ix.setByCI(p.Text):
			out = append(out, ix.substitute(*p.Default, slots, depth+1)...)
		default:
			out = append(out, p)
		}
	}
	return command.Concat(out)
}

// imageVars names the repository variables an image word is: those the
// call sets to exactly that word (make docker-build IMG=x builds IMG),
// and, marked with a leading "=", those it takes the default of (make
// deploy deploys IMG's default).
func (ix *index) imageVars(w command.Word, vars map[string]command.Word) []string {
	var out []string
	for name, v := range vars {
		if v.Equal(w) {
			out = append(out, name)
		}
	}
	rs := ix.repository()
	for _, p := range w {
		if p.IsVar() && p.Default != nil && rs.envReads[p.Text] == nil && !ix.setByCI(p.Text) {
			out = append(out, "="+p.Text)
		}
	}
	slices.Sort(out)
	return out
}

// deploysDefaultOf reports whether deploy step st deploys the default of a
// repository variable that step b sets for the image it builds or loads:
// make deploy without IMG= after make docker-build IMG=x deploys the
// Makefile's default, not x. An upgrade test deploys the default and
// also the built image: the package deploying b's image keeps it silent.
func (ix *index) deploysDefaultOf(st, b *step, bv value) bool {
	shared := false
	for _, name := range b.repoVars() {
		if !strings.HasPrefix(name, "=") && slices.Contains(st.repoVars(), "="+name) {
			shared = true
		}
	}
	if !shared {
		return false
	}
	for _, fl := range ix.flows {
		for _, d := range ix.steps(fl) {
			if d.kind == stepDeploy && slices.ContainsFunc(d.images, func(v value) bool { return sameImage(v, bv) }) {
				return false
			}
		}
	}
	return true
}

// repoApplySteps adds the deploys of a kubectl apply or kustomize build
// in a recipe or script: its paths are relative to the step's directory.
func (ix *index) repoApplySteps(fl *flow, call *ast.CallExpr, where string, s repo.Step, setNames []string, add func(step)) {
	inner, trace := ix.repoName(s.Pos.File, s.Pos.Line), &repoTrace{pos: s.Pos, via: s.Via}
	keep := func(st step) {
		if st.kind == stepDeploy && len(st.images) == 1 && st.images[0].kind == vConst &&
			slices.Contains(setNames, imageName(st.images[0].str)) {
			return // kustomize edit set image replaced it: that step deploys it
		}
		st.inner, st.trace = inner, trace
		add(st)
	}
	if s.Inline != nil || s.Dir == "" {
		keep(opaqueDeploy(call, where, "a manifest written inline or applied from an unknown directory"))
		return
	}
	for _, p := range s.Paths {
		path, ok := p.Literal()
		switch {
		case ok && path == "-":
			continue // what the pipe feeds: a step of its own
		case !ok:
			keep(opaqueDeploy(call, where, "the manifest path is known only at run time"))
			continue
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(s.Dir, path)
		}
		ix.fileSteps(fl, call, where, path, s.Kind == command.ApplyKustomize, keep)
	}
}

// imageName is a reference as written without its tag and digest: what
// kustomize's images: and edit set image match.
func imageName(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}

// slotExpr is the Go expression of a word that is one caller slot with
// literal decoration, nil otherwise.
func slotExpr(w command.Word, slots []ast.Expr) ast.Expr {
	var e ast.Expr
	for _, p := range w {
		switch {
		case p.IsLiteral():
		case p.IsSlot() && p.Slot < len(slots) && e == nil:
			e = slots[p.Slot]
		default:
			return nil
		}
	}
	return e
}

// repoValue resolves a word of a recipe or script. A variable the package
// also reads from the environment is that read's value; one a CI workflow
// sets is not known here; otherwise a variable at its default (make's
// IMG ?= controller:latest, a script's ${HUB:-ghcr.io/x}) is that default,
// since nothing in the repository sets it. As in wordValue, a variable
// holding a constant makes the word a constant; another run-time part
// keeps the constant text around it as its prefix and suffix.
func (ix *index) repoValue(fl *flow, call *ast.CallExpr, w command.Word, slots []ast.Expr) value {
	var before, after strings.Builder
	var dynamic *value
	if !ix.flatten(fl, w, slots, &before, &after, &dynamic, 0) {
		return value{}
	}
	switch {
	case dynamic == nil:
		return value{kind: vConst, str: before.String()}
	case dynamic.kind == vConst:
		// A variable holding a constant: the word is a constant too, still
		// read from its variable.
		return value{kind: vConst, str: before.String() + dynamic.str + after.String(), holder: dynamic.holder}
	}
	v := withPrefix(*dynamic, before.String())
	v.suffix += after.String()
	return v
}

// maxDefaultDepth bounds defaults nested in defaults.
const maxDefaultDepth = 8

// flatten writes the literal text of w, variables at their defaults,
// before and after its one run-time part, which it sets dynamic to; false
// for a second run-time part or one that cannot be known.
func (ix *index) flatten(fl *flow, w command.Word, slots []ast.Expr, before, after *strings.Builder, dynamic **value, depth int) bool {
	rs := ix.repository()
	for _, p := range w {
		text := before
		if *dynamic != nil {
			text = after
		}
		switch {
		case p.IsLiteral():
			text.WriteString(p.Text)
		case p.IsSlot() && p.Slot < len(slots) && *dynamic == nil:
			v := ix.resolve(fl, slots[p.Slot])
			*dynamic = &v
		case p.IsVar() && rs.envReads[p.Text] != nil && *dynamic == nil:
			*dynamic = &value{kind: vExternal, str: p.Text, site: rs.envReads[p.Text]}
		case p.IsVar() && p.Default != nil && depth < maxDefaultDepth && !ix.setByCI(p.Text):
			if !ix.flatten(fl, *p.Default, slots, before, after, dynamic, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// setByCI reports whether a CI workflow sets the variable for its go test
// or make runs: its default is then not what those runs see.
func (ix *index) setByCI(name string) bool {
	rs := ix.repository()
	return rs.model != nil && len(rs.model.CIEnv(name)) > 0
}

// repoSite is where a step of a recipe or script names its image, for
// messages ("Makefile:173") and a related position: the assignment of
// the make variable whose default it deploys, else the step's line.
func (ix *index) repoSite(m *repo.Model, makeDir string, s repo.Step) (string, span) {
	at := s.Pos
	desc := ix.repoName(at.File, at.Line)
	for _, img := range s.Images {
		for _, p := range img {
			if makeDir == "" || !p.IsVar() || p.Default == nil || ix.repository().envReads[p.Text] != nil || ix.setByCI(p.Text) {
				continue
			}
			if _, pos, ok := m.MakeVar(makeDir, p.Text); ok {
				desc += fmt.Sprintf(", the default of %s at %s", p.Text, ix.repoName(pos.File, pos.Line))
				at = pos
			}
		}
	}
	return desc, ix.repoLineSpan(at.File, at.Line, at != s.Pos)
}

// repoLineSpan is the span of a line of a repository file without its
// indentation and line break; of a variable's assignment (value), the
// value after "=" and before a comment.
func (ix *index) repoLineSpan(file string, line int, value bool) span {
	pos := ix.repoLine(file, line)
	if !pos.IsValid() {
		return span{}
	}
	data, err := ix.repository().model.Source(file)
	if err != nil {
		return span{}
	}
	tf := ix.pass.Fset.File(pos)
	start := tf.Offset(pos)
	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i
	}
	if value {
		if i := bytes.IndexByte(data[start:end], '#'); i >= 0 {
			end = start + i
		}
		if i := bytes.IndexByte(data[start:end], '='); i >= 0 {
			start += i + 1
		}
	}
	text := data[start:end]
	from := start + len(text) - len(bytes.TrimLeft(text, " \t"))
	to := start + len(bytes.TrimRight(text, " \t\r"))
	return span{tf.Pos(from), tf.Pos(max(from, to))}
}

// repoLine returns the position of a line of a repository file, added to
// the file set; NoPos when it cannot be read.
func (ix *index) repoLine(file string, line int) token.Pos {
	m := ix.repository().model
	if m == nil {
		return token.NoPos
	}
	data, err := m.Source(file)
	if err != nil {
		return token.NoPos
	}
	tf := ix.yamlFile(file, data)
	if line < 1 || line > tf.LineCount() {
		return token.NoPos
	}
	return tf.LineStart(line)
}

// repoName names a line of a repository file for messages: relative to
// the module root ("Makefile:173"), or to the repository root above it.
func (ix *index) repoName(file string, line int) string {
	name := file
	rs := ix.repository()
	for _, root := range []string{ix.moduleRoot(), rs.model.RepoRoot} {
		if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
			break
		}
	}
	return fmt.Sprintf("%s:%d", name, line)
}

// ownVariable returns the own image a repository variable holds whole
// (IMG for IMG ?= $(REGISTRY)/op:$(TAG), docker build -t $(IMG)): one
// repository at the variable's defaults among every build naming it.
func (ix *index) ownVariable(name string) (repo.OwnImage, bool) {
	rs := ix.repository()
	if rs.model == nil {
		return repo.OwnImage{}, false
	}
	var found *repo.OwnImage
	for _, o := range rs.model.OwnImages() {
		if len(o.Ref) != 1 || !o.Ref[0].IsVar() || o.Ref[0].Text != name {
			continue
		}
		if o.Repository == "" || found != nil && found.Repository != o.Repository {
			return repo.OwnImage{}, false // not known, or several images
		}
		if found == nil {
			found = &o
		}
	}
	if found == nil {
		return repo.OwnImage{}, false
	}
	return *found, true
}

// cmdDir returns the expressions assigned to the Dir of the exec.Cmd that
// call (exec.Command) makes: cmd := exec.Command(...); cmd.Dir = root.
// None: the command runs in the package's directory. A nil element: a
// Dir that cannot be told apart (its variable holds several commands).
func (ix *index) cmdDir(call *ast.CallExpr) []ast.Expr {
	rs := ix.repository()
	if rs.cmdDirs == nil {
		rs.cmdDirs = map[*ast.CallExpr][]ast.Expr{}
		cmds := map[*types.Var][]*ast.CallExpr{}
		dirs := map[*types.Var][]ast.Expr{}
		isCmd := func(e ast.Expr) bool {
			t := ix.info.TypeOf(e)
			return t != nil && types.TypeString(t, nil) == "*os/exec.Cmd"
		}
		assign := func(lhs, rhs ast.Expr) {
			switch l := ast.Unparen(lhs).(type) {
			case *ast.Ident:
				c, ok := ast.Unparen(rhs).(*ast.CallExpr)
				v, isVar := ix.info.ObjectOf(l).(*types.Var)
				if ok && isVar && isCmd(c) {
					cmds[v] = append(cmds[v], c)
				}
			case *ast.SelectorExpr:
				id, ok := ast.Unparen(l.X).(*ast.Ident)
				if v, isVar := ix.info.ObjectOf(id).(*types.Var); ok && isVar && l.Sel.Name == "Dir" && isCmd(l.X) {
					dirs[v] = append(dirs[v], rhs)
				}
			}
		}
		for _, f := range ix.files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) == len(n.Rhs) {
						for i := range n.Lhs {
							assign(n.Lhs[i], n.Rhs[i])
						}
					}
				case *ast.ValueSpec:
					if len(n.Names) == len(n.Values) {
						for i := range n.Names {
							assign(n.Names[i], n.Values[i])
						}
					}
				}
				return true
			})
		}
		for v, calls := range cmds {
			d := dirs[v]
			if len(calls) > 1 && len(d) > 0 {
				d = []ast.Expr{nil}
			}
			for _, c := range calls {
				rs.cmdDirs[c] = d
			}
		}
	}
	return rs.cmdDirs[call]
}

// runDir resolves the directories assigned to a cmd.Dir to one absolute
// directory, "" when they are not one known directory: a constant path
// (relative to the package's directory, where go test runs), or a
// run-time root joined with constant elements (filepath.Join(root,
// "webhook")) that matches exactly one of the candidates under that tail;
// a Dir known only at run time is the one candidate of the whole
// repository, if there is only one. Never a guess among several.
func (ix *index) runDir(fl *flow, exprs []ast.Expr, candidates func(tail string) ([]string, bool)) string {
	one := func(tail string) string {
		if c, all := candidates(tail); all && len(c) == 1 {
			return c[0]
		}
		return ""
	}
	dir := ""
	for _, e := range exprs {
		d := ""
		if e != nil {
			if tail, joined := ix.rootJoin(fl, e); joined {
				d = one(tail)
			} else if v := ix.resolve(fl, e); v.kind == vConst && v.str != "" {
				d = v.str
				if !filepath.IsAbs(d) {
					d = filepath.Join(ix.packageDir(), filepath.FromSlash(d))
				}
				d = filepath.Clean(d)
			} else {
				d = one("")
			}
		}
		if d == "" || dir != "" && d != dir {
			return ""
		}
		dir = d
	}
	return dir
}

// rootJoin reports whether e is filepath.Join or path.Join of run-time
// elements followed by constant ones, and returns those constants joined.
func (ix *index) rootJoin(fl *flow, e ast.Expr) (string, bool) {
	for range maxResolveDepth { // dir := filepath.Join(...); cmd.Dir = dir
		id, ok := ast.Unparen(e).(*ast.Ident)
		v, isVar := ix.info.ObjectOf(id).(*types.Var)
		if !ok || !isVar || len(ix.defs[v]) != 1 || ix.defs[v][0].index >= 0 || ix.defs[v][0].rhs == nil {
			break
		}
		e = ix.defs[v][0].rhs
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return "", false
	}
	fn := ix.staticCallee(call)
	if fn == nil || fn.Pkg() == nil || fn.Name() != "Join" || fn.Pkg().Path() != "path/filepath" && fn.Pkg().Path() != "path" {
		return "", false
	}
	var consts []string
	for _, arg := range call.Args {
		v := ix.resolve(fl, arg)
		switch {
		case v.kind == vConst:
			consts = append(consts, v.str)
		case len(consts) > 0:
			return "", false // a run-time element after a constant one
		}
	}
	if len(consts) == 0 || len(consts) == len(call.Args) {
		return "", false
	}
	return path.Join(consts...), true
}

// prelude is an image a Makefile target builds or loads before it runs
// this package's tests, under the variable it hands go test.
type prelude struct {
	run   repo.GoTestRun
	step  repo.Step   // the last build or load of it
	steps []repo.Step // every build and load of it, in order
	how   string      // "builds", "loads", "builds and loads"
	name  string      // the variable, which the package reads
	repo  string      // the repository all its known values name
	// values are the references the variable is known to have: its
	// default, and the values CI workflows give it.
	values []string
}

func (p prelude) describe() string {
	var quoted []string
	for _, v := range p.values {
		quoted = append(quoted, fmt.Sprintf("%q", v))
	}
	return strings.Join(quoted, " or ")
}

// preludes returns, once per package, the images the Makefile targets
// that run this package's tests build or load before them, under a
// variable they hand go test and the package reads from the environment:
// the same image the Go code sees as os.Getenv of that name. Only those
// whose known values all name one repository, and none is unknown.
func (ix *index) preludes() []prelude {
	rs := ix.repository()
	if rs.preludes != nil || rs.model == nil {
		return *cmp.Or(rs.preludes, &[]prelude{})
	}
	var out []prelude
	dir := ix.packageDir()
	for _, run := range rs.model.GoTestRuns() {
		if !run.Tests(dir) {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(run.Env)) {
			w := run.Env[name]
			if rs.envReads[name] == nil || w == nil {
				continue
			}
			p := prelude{run: run, name: name}
			var built, loaded bool
			for _, s := range run.Before {
				if (s.Kind == command.Build || s.Kind == command.Load) && slices.ContainsFunc(s.Images, func(i command.Word) bool { return i.Equal(w) }) {
					p.step = s
					p.steps = append(p.steps, s)
					built, loaded = built || s.Kind == command.Build, loaded || s.Kind == command.Load
				}
			}
			if !built && !loaded {
				continue
			}
			p.how = map[[2]bool]string{{true, false}: "builds", {false, true}: "loads", {true, true}: "builds and loads"}[[2]bool{built, loaded}]
			if p.values, p.repo = ix.knownValues(w); p.repo != "" {
				out = append(out, p)
			}
		}
	}
	rs.preludes = &out
	return out
}

// knownValues returns the references a recipe word is known to have: its
// variables at their defaults, or, for one a CI workflow sets for its make
// runs, the literal values it sets; and the one repository they name, ""
// when a value is not known or they name several.
func (ix *index) knownValues(w command.Word) ([]string, string) {
	var values []string
	var expand func(w command.Word, prefix string, depth int) bool
	expand = func(w command.Word, prefix string, depth int) bool {
		if len(w) == 0 {
			values = append(values, prefix)
			return true
		}
		p, rest := w[0], w[1:]
		switch {
		case p.IsLiteral():
			return expand(rest, prefix+p.Text, depth)
		case !p.IsVar() || depth > maxDefaultDepth:
			return false
		}
		if ci := ix.repository().model.CIEnv(p.Text); len(ci) > 0 {
			for _, c := range ci {
				lit, ok := c.Value.Literal()
				if !ok || !expand(rest, prefix+lit, depth+1) {
					return false
				}
			}
			return true
		}
		if p.Default == nil {
			return false
		}
		return expand(append(slices.Clone(*p.Default), rest...), prefix, depth+1)
	}
	if !expand(w, "", 0) || len(values) == 0 || len(values) > 16 {
		return nil, ""
	}
	repository := ""
	for _, v := range values {
		r, err := imageref.Parse(v)
		if err != nil || repository != "" && repository != r.Domain+"/"+r.Path {
			return nil, ""
		}
		repository = r.Domain + "/" + r.Path
	}
	slices.Sort(values)
	return slices.Compact(values), repository
}

// testEnv is what the repository model says of an environment variable
// in the go test runs of the package: the references it is known to
// have, and where they are set.
type testEnv struct {
	values []string
	sites  []repo.Pos
}

// testEnvOf returns what the go test runs of the package that the
// repository model knows (Makefile targets, CI workflows) give
// environment variable name, each with its variables at their defaults or
// CI values (knownValues). None when a run may leave it unset or give it
// a value not known, or when the values name several repositories.
func (ix *index) testEnvOf(name string) testEnv {
	rs := ix.repository()
	if te, ok := rs.testEnvs[name]; ok || rs.model == nil {
		return te
	}
	if rs.testEnvs == nil {
		rs.testEnvs = map[string]testEnv{}
	}
	var te testEnv
	envs, ok := rs.model.TestEnv(ix.packageDir(), name)
	repository := ""
	for _, e := range envs {
		values, r := ix.knownValues(e.Value)
		if !ok || r == "" || repository != "" && r != repository {
			te = testEnv{}
			break
		}
		repository = r
		te.values = append(te.values, values...)
		te.sites = append(te.sites, e.Pos)
	}
	slices.Sort(te.values)
	te.values = slices.Compact(te.values)
	rs.testEnvs[name] = te
	return te
}

// preludeSteps returns the builds and loads that the one go test run the
// model knows of this package (a Makefile target's) does before go test
// to the images steps name by environment variable: a flow or lane whose
// steps handle os.Getenv("IMG") starts with them. None when the package
// has other known runs: what they do first is not the same.
func (ix *index) preludeSteps(steps []step) []step {
	rs := ix.repository()
	if rs.model == nil || len(steps) == 0 || rs.model.TestRunCount(ix.packageDir()) != 1 {
		return nil
	}
	var out []step
	for _, p := range ix.preludes() {
		read := ix.externalValue(rs.envReads[p.name])
		if !slices.ContainsFunc(steps, func(st step) bool { return containsSame(st.images, read) }) {
			continue
		}
		for _, s := range p.steps {
			kind, _, _ := commandStepKind(s.Kind, s.Paths)
			out = append(out, step{kind: kind, images: []value{read}, exprs: []ast.Expr{rs.envReads[p.name]},
				at: rs.envReads[p.name], where: "make " + p.run.Target, inner: ix.repoName(s.Pos.File, s.Pos.Line),
				cmd: &commandInfo{line: s.Tool}, trace: &repoTrace{pos: s.Pos, via: s.Via}})
		}
	}
	return out
}
