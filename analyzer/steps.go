package analyzer

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/repo"
)

// stepKind is what a step does to its images.
type stepKind uint8

const (
	stepBuild     stepKind = iota // builds images under these references
	stepLoad                      // loads images into the cluster
	stepSave                      // saves images to an archive
	stepRetag                     // gives images[0] the name images[1] on the host
	stepNodeRetag                 // the same, inside a Kind node
	stepDeploy                    // deploys images (none when they cannot be named)
)

var stepNames = [...]string{"build", "load", "save", "retag", "node-retag", "deploy"}

func (k stepKind) String() string { return stepNames[k] }

// A step is one build, load, save, re-tag or deploy in a flow, made
// directly or by a function the flow calls.
type step struct {
	kind      stepKind
	images    []value
	exprs     []ast.Expr // the Go expressions of images, where there is one
	archive   value      // save: the archive written; load: the archive read
	at        ast.Node   // the call or expression of the flow
	via       *types.Func
	where     string // what does it: "podman build", "container spec", a function's name
	inner     string // inside via: file:line, for messages
	spec      bool   // written in a container spec or a manifest
	command   string // the command line, for messages; "" when not a command
	pullNever bool
	value     span      // a manifest value as written inside a string
	anchor    token.Pos // start of that string
	// transparent marks a deploy whose images are exactly images, even
	// none: a helm chart's own defaults, a remote release manifest.
	transparent bool
	// remote marks a deploy of a release published elsewhere (a manifest
	// URL, a repository chart), whose content is not read: it may be
	// another project's, so it says nothing of where the flow's images go.
	remote    bool
	file      string     // a manifest file applied by the call: "path:line"
	read      bool       // the file is read into memory, not applied by path
	fileValue span       // its image value, in a file added to the file set
	helm      *helmInfo  // a helm install
	partExprs []ast.Expr // a helm install: the run-time parts of its image keys
	// pathParam is the parameter holding the manifest path a deploy
	// applies: what it deploys is known at the callers.
	pathParam *types.Var
	kustomize bool
	slots     []ast.Expr // a command's run-time words, for positions
	// field, when set, says the image is that field of the struct exprs[0]
	// is: a helper deploys o.Image of the options it is handed.
	field string
	// repoVars are the Makefile or script variables a step of a followed
	// make run or script names its images by (see imageVars).
	repoVars []string
	// repoPos is where a step of a followed make run or script is in its
	// Makefile or script, and repoVia the rule and script lines leading
	// there, outermost first: for the flow map.
	repoPos repo.Pos
	repoVia []repo.Pos
	argv    []command.Word // a command's words, its run-time ones indexing slots
	// why says what an opaque deploy cannot name, for the flow map.
	why string
}

// opaque reports whether st deploys images it cannot name: a manifest
// file it cannot read, make deploy without IMG, a value of unknown origin.
func (st *step) opaque() bool {
	if st.kind != stepDeploy || st.pathParam != nil {
		return false
	}
	if len(st.images) == 0 {
		return !st.transparent
	}
	for _, v := range st.images {
		if !v.known() {
			return true
		}
	}
	return false
}

// viaWhere says where inside the called function a step happens.
func (st *step) viaWhere() string {
	if st.inner == "" {
		return st.where
	}
	return st.where + " at " + st.inner
}

func (st *step) pos() token.Pos { return st.span().pos }

// span is the manifest value st deploys, or its call or expression.
func (st *step) span() span {
	if st.value.valid() {
		return st.value
	}
	return spanOf(st.at)
}

// imageSpan is where st names the constant image s: the manifest value,
// the one argument of its call that holds s, or the call.
func (ix *index) imageSpan(st *step, s string) span {
	if st.value.valid() {
		return st.value
	}
	var holds []ast.Expr
	if call, ok := st.at.(*ast.CallExpr); ok && s != "" {
		for _, arg := range call.Args {
			if text, ok := constString(ix.info, arg); ok && strings.Contains(text, s) {
				holds = append(holds, arg)
			}
		}
	}
	if len(holds) == 1 {
		return spanOf(holds[0])
	}
	return spanOf(st.at)
}

// effectOn is what st does to its image i.
func (st *step) effectOn(i int) effect {
	switch st.kind {
	case stepBuild:
		return effBuild
	case stepLoad:
		return effLoad
	case stepRetag:
		if i == 0 {
			return effRetagFrom
		}
		return effRetagTo
	case stepNodeRetag:
		return effNodeRetag
	case stepDeploy:
		if st.spec {
			return effDeploy | effDeploySpec
		}
		return effDeploy
	}
	return 0
}

// flowSteps lists the image steps of fl in source order; the steps of a
// called function sit at its call. Checks ask steps, which leaves out
// what a test suite runs in its own order.
func (ix *index) flowSteps(fl *flow) []step {
	if fl.steps != nil {
		return *fl.steps
	}
	var steps []step
	add := func(st step) { steps = append(steps, st) }
	for _, ci := range fl.containers {
		add(step{kind: stepDeploy, at: ci.value, where: "container spec", spec: true, pullNever: ci.pullNever,
			images: []value{ix.resolve(fl, ci.value)}, exprs: []ast.Expr{ci.value}})
	}
	for _, e := range fl.strings {
		text, _ := constString(ix.info, e)
		for _, c := range ix.constContainers(text) {
			if image, ok := c.Image.Literal(); ok {
				add(step{kind: stepDeploy, at: e, where: "manifest", spec: true, pullNever: pullNever(c),
					images: []value{{kind: vConst, str: image, site: e}}, exprs: []ast.Expr{nil},
					value: ix.stringSpan(e, c.Offset, c.End), anchor: e.Pos()})
			}
		}
	}
	for i := range fl.calls {
		ix.callSteps(fl, &fl.calls[i], add)
	}
	ix.embedSteps(fl, add)
	slices.SortStableFunc(steps, func(a, b step) int { return cmp.Compare(a.at.Pos(), b.at.Pos()) })
	linkArchives(steps)
	fl.steps = &steps
	return steps
}

// hostNames returns the names of the image v among steps: v, and the
// targets of the host re-tags (docker tag, podman tag, the Docker SDK's
// ImageTag) that follow the first step handling it, from v or from a name
// given before. They all name one image on the host.
func hostNames(steps []step, v value) []value {
	names := []value{v}
	handled := false
	for _, st := range steps {
		if !handled {
			handled = slices.ContainsFunc(st.images, func(w value) bool { return sameImage(v, w) })
			continue
		}
		if st.kind != stepRetag || len(st.images) != 2 || !st.images[1].known() {
			continue
		}
		from, to := st.images[0], st.images[1]
		if slices.ContainsFunc(names, func(n value) bool { return sameImage(n, from) }) &&
			!slices.ContainsFunc(names, func(n value) bool { return sameImage(n, to) }) {
			names = append(names, to)
		}
	}
	return names
}

// flowsThrough returns the other flows whose steps include those of fn,
// such as the flows that hand it on as a step function
// (testenv.Setup(installChart)).
func (ix *index) flowsThrough(fn *types.Func) []*flow {
	if fn == nil {
		return nil
	}
	var out []*flow
	for _, fl := range ix.flows {
		if fl.fn == fn {
			continue
		}
		for _, st := range ix.steps(fl) {
			if st.via == fn {
				out = append(out, fl)
				break
			}
		}
	}
	return out
}

// linkArchives gives each load of an archive the images saved into it.
func linkArchives(steps []step) {
	for i := range steps {
		load := &steps[i]
		if load.kind != stepLoad || !load.archive.known() {
			continue
		}
		for j := range steps[:i] {
			if save := &steps[j]; save.kind == stepSave && save.archive.same(load.archive) {
				load.images = append(load.images, save.images...)
				load.exprs = append(load.exprs, save.exprs...)
			}
		}
	}
}

// callSteps adds the steps of one call: a command line, a printf manifest,
// a producer, or whatever the callee's summary says it does.
func (ix *index) callSteps(fl *flow, cs *callSite, add func(step)) {
	call := cs.call
	fn := ix.callee(fl, call)
	if fn == nil {
		// A package-level variable holding a library function.
		if api, ok := ix.api(call); ok {
			ix.apiSteps(fl, call, api, add)
		}
		return
	}
	c := ix.classOf(fn)
	local := fn.Pkg() == ix.pass.Pkg || ix.summary(fn) != nil
	if c&classExec != 0 || local {
		if argv, slots, ok := ix.argvOf(fl, call, fn); ok {
			ix.commandSteps(fl, call, argv, slots, add)
		}
	}
	if c&classPrintf != 0 {
		ix.printfSteps(fl, call, add)
	}
	if c&classReadFile != 0 {
		ix.readFileSteps(fl, cs, fn, add)
		return
	}
	if c&classAPI != 0 {
		if api, ok := ix.api(call); ok {
			ix.apiSteps(fl, call, api, add)
			return
		}
	}
	if !local && c&classConfigured == 0 {
		if c&classNamed != 0 {
			ix.namedSteps(fl, call, fn, add)
		}
		return // the standard library and the like: nothing to do with images
	}
	if _, ok := ix.producerResult(fn); ok {
		v := value{kind: vProduced, site: call, fn: fn}
		add(step{kind: stepBuild, at: call, via: fn, where: fn.Name(), images: []value{v}, exprs: []ast.Expr{nil}})
		add(step{kind: stepLoad, at: call, via: fn, where: fn.Name(), images: []value{v}, exprs: []ast.Expr{nil}})
	}
	if s := ix.summary(fn); s != nil {
		ix.summarySteps(fl, call, fn, s, add)
		return
	}
	ix.namedSteps(fl, call, fn, add)
}

// summarySteps adds what fn's summary says it does with the arguments of
// call and with its own constants.
func (ix *index) summarySteps(fl *flow, call *ast.CallExpr, fn *types.Func, s *summary, add func(step)) {
	deployed := false
	// effectSteps adds the steps eff does to the argument expression e.
	effectSteps := func(eff effect, e ast.Expr) {
		v := ix.resolve(fl, e)
		for _, k := range []struct {
			bit  effect
			kind stepKind
		}{{effBuild, stepBuild}, {effLoad, stepLoad}, {effNodeRetag, stepNodeRetag}, {effDeploy, stepDeploy}} {
			if eff&k.bit != 0 {
				add(step{kind: k.kind, at: call, via: fn, where: fn.Name(), images: []value{v}, exprs: []ast.Expr{e},
					spec: k.kind == stepDeploy && eff&effDeploySpec != 0})
				deployed = deployed || k.kind == stepDeploy
			}
		}
	}
	for i, arg := range call.Args {
		if eff := ix.paramEffect(fn, i); eff&imageEffects != 0 {
			effectSteps(eff, arg)
		}
	}
	for _, f := range s.Fields {
		if f.Param >= len(call.Args) || f.Effect&imageEffects == 0 {
			continue
		}
		if e := ix.fieldOf(fl, call.Args[f.Param], f.Field); e != nil {
			effectSteps(f.Effect, e)
		} else if f.Effect&effDeploy != 0 {
			// A struct made elsewhere: its field may hold any image.
			add(step{kind: stepDeploy, at: call, via: fn, where: fn.Name(), images: []value{{}}, exprs: []ast.Expr{call.Args[f.Param]}, field: f.Field,
				why: "field " + f.Field + " of a struct made elsewhere"})
			deployed = true
		}
	}
	for _, c := range s.Consts {
		add(step{kind: c.Kind, at: call, via: fn, where: c.Where, inner: c.Pos, spec: c.Spec,
			images: []value{{kind: vConst, str: c.Image, site: call}}, exprs: []ast.Expr{nil}, pullNever: c.PullNever})
		deployed = deployed || c.Kind == stepDeploy
	}
	for i, arg := range call.Args {
		if eff := ix.paramEffect(fn, i); eff&(effApply|effKustomize) != 0 {
			// A manifest path handed to the function that applies it.
			path := ""
			if v := ix.resolve(fl, arg); v.kind == vConst {
				path = v.str
			}
			ix.fileSteps(fl, call, fn.Name(), path, eff&effKustomize != 0, add)
			deployed = true
		}
	}
	if s.Deploys && !deployed {
		add(step{kind: stepDeploy, at: call, via: fn, where: fn.Name(), transparent: !s.Opaque, remote: s.Remote,
			why: fn.Name() + " deploys images its body does not name"})
	}
}

// namedSteps is the fallback for functions whose bodies cannot be seen
// (another module, no summary): their names, matched by the configured
// patterns, say what they do, and every string argument may be the image.
func (ix *index) namedSteps(fl *flow, call *ast.CallExpr, fn *types.Func, add func(step)) {
	if !ix.bodyUnseen(fn) {
		return
	}
	var kind stepKind
	switch name := fn.Name(); {
	case ix.s.deploy.MatchString(name):
		kind = stepDeploy
	case ix.s.build.MatchString(name):
		kind = stepBuild
	case ix.s.load.MatchString(name):
		kind = stepLoad
	default:
		return
	}
	st := step{kind: kind, at: call, via: fn, where: fn.Name()}
	for _, arg := range call.Args {
		if t := ix.info.TypeOf(arg); t != nil && (isStringType(t) || ix.s.isImageType(t)) {
			st.images = append(st.images, ix.resolve(fl, arg))
			st.exprs = append(st.exprs, arg)
		}
	}
	add(st)
}

// bodyUnseen reports whether fn's body is outside what imagetaglint
// analyses: a function of another module, which has no summary.
func (ix *index) bodyUnseen(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg() == ix.pass.Pkg {
		return false
	}
	mod := ix.pass.Module
	return mod == nil || !(fn.Pkg().Path() == mod.Path || strings.HasPrefix(fn.Pkg().Path(), mod.Path+"/"))
}

// commandSteps adds the image steps of a command line.
func (ix *index) commandSteps(fl *flow, call *ast.CallExpr, argv []command.Word, slots []ast.Expr, add func(step)) {
	valueOf := func(w command.Value) (value, ast.Expr) { return ix.wordValue(fl, w, slots) }
	line := renderArgv(argv)
	for _, cs := range command.Parse(argv) {
		st := step{at: call, where: cs.Tool, command: line, argv: argv, slots: slots}
		images := cs.Images
		kind, archive, simple := commandStepKind(cs.Kind, cs.Paths)
		st.kind = kind
		if archive != nil {
			st.archive, _ = valueOf(archive)
		}
		switch cs.Kind {
		case command.Apply, command.ApplyKustomize:
			ix.applySteps(fl, call, cs, slots, add)
			continue
		case command.Helm:
			if cs.Helm == nil || !cs.Helm.Installs {
				continue
			}
			chartDir, ok := cs.Helm.Chart.Literal()
			if v, _ := ix.wordValue(fl, cs.Helm.Chart, slots); !ok && v.kind == vConst {
				chartDir = v.str // filepath.Join(root, "charts", "app")
			}
			if !ix.isModuleDir(chartDir) {
				chartDir = "" // a repository chart: not in the module
			}
			ix.helmStep(fl, call, cs.Tool, chartDir, cs.Helm, slots, add)
			continue
		case command.Make:
			if ix.makeRunSteps(fl, call, cs, slots, add) {
				continue
			}
			kind, made, ok := makeStep(cs.Make)
			if !ok {
				continue
			}
			st.kind, images = kind, made
			st.where = "make " + strings.Join(cs.Make.Targets, " ")
		case command.RunScript:
			ix.scriptRunSteps(fl, call, cs, slots, add)
			continue
		default:
			if !simple {
				continue
			}
		}
		for _, w := range images {
			v, e := valueOf(w)
			st.images = append(st.images, v)
			st.exprs = append(st.exprs, e)
		}
		add(st)
	}
}

// commandStepKind returns the step a command that handles images by
// itself is (a build, load, save, re-tag or set image), with the word
// naming the archive a load reads or a save writes; false for the others,
// which callers follow further (a manifest, a chart, a make run).
func commandStepKind(k command.Kind, paths []command.Value) (kind stepKind, archive command.Value, ok bool) {
	switch k {
	case command.Build:
		return stepBuild, nil, true
	case command.Load, command.Save:
		kind = stepLoad
		if k == command.Save {
			kind = stepSave
		}
		if len(paths) > 0 {
			archive = paths[0]
		}
		return kind, archive, true
	case command.Tag:
		return stepRetag, nil, true
	case command.NodeTag:
		return stepNodeRetag, nil, true
	case command.SetImage:
		return stepDeploy, nil, true
	}
	return 0, nil, false
}

// applySteps adds the deploy steps of kubectl apply and kustomize: the
// manifests of each path, a here-document, or (with -f -) nothing of its
// own: it applies what the flow wrote, whose specs are steps already.
func (ix *index) applySteps(fl *flow, call *ast.CallExpr, cs command.Step, slots []ast.Expr, add func(step)) {
	if cs.Inline != nil {
		text, ok := cs.Inline.Literal()
		if !ok {
			add(step{kind: stepDeploy, at: call, where: cs.Tool, why: "the manifest is written at run time"})
			return
		}
		for _, c := range ix.containers(text, manifest.Plain) {
			if image, ok := c.Image.Literal(); ok {
				add(step{kind: stepDeploy, at: call, where: cs.Tool, spec: true, pullNever: pullNever(c),
					images: []value{{kind: vConst, str: image}}, exprs: []ast.Expr{nil}})
			}
		}
		return
	}
	kustomize := cs.Kind == command.ApplyKustomize
	for _, p := range cs.Paths {
		path, ok := p.Literal()
		switch {
		case ok && path == "-":
			continue
		case !ok:
			if v, _ := ix.wordValue(fl, p, slots); v.kind == vParam {
				add(step{kind: stepDeploy, at: call, where: cs.Tool, pathParam: v.param, kustomize: kustomize})
				continue
			} else if v.kind == vConst {
				path = v.str
			} else {
				path = ""
			}
		}
		ix.fileSteps(fl, call, cs.Tool, path, kustomize, add)
	}
}

// funcClass says which of the questions callSteps asks can be true of
// a function, asked once per function: most calls are of the standard
// library, and none of them is a step.
type funcClass uint8

const (
	classExec       funcClass = 1 << iota // exec.Command, exec.CommandContext
	classPrintf                           // formats like fmt.Printf
	classAPI                              // a library API in the knowledge table
	classConfigured                       // a configured producer or generator
	classNamed                            // its name matches a pattern and its body is unseen
	classReadFile                         // reads a whole file: os.ReadFile, (embed.FS).ReadFile
)

func (ix *index) classOf(fn *types.Func) funcClass {
	if c, ok := ix.classes[fn]; ok {
		return c
	}
	var c funcClass
	if fn.Pkg() != nil && fn.Pkg().Path() == "os/exec" && recvTypeName(fn) == "" && (fn.Name() == "Command" || fn.Name() == "CommandContext") {
		c |= classExec
	}
	if ix.isPrintf(fn) {
		c |= classPrintf
	}
	if _, ok := knowledge.Lookup(fn); ok {
		c |= classAPI
	}
	if matchesAny(ix.s.producers, fn) || matchesAny(ix.s.generators, fn) {
		c |= classConfigured
	}
	if _, ok := readPathArg(fn); ok {
		c |= classReadFile
	}
	if ix.bodyUnseen(fn) {
		name := fn.Name()
		if ix.s.deploy.MatchString(name) || ix.s.build.MatchString(name) || ix.s.load.MatchString(name) {
			c |= classNamed
		}
	}
	ix.classes[fn] = c
	return c
}

// renderArgv renders a command line for messages, run-time words as "...".
func renderArgv(argv []command.Word) string {
	words := make([]string, 0, len(argv))
	for _, w := range argv {
		if text, ok := w.Literal(); ok {
			words = append(words, text)
		} else {
			words = append(words, "...")
		}
	}
	return strings.Join(words, " ")
}

// makeStep classifies a make invocation by its targets' names, as
// scaffolds write them: "make docker-build IMG=x", "make deploy IMG=x",
// when the repository model cannot follow it into the Makefile
// (makeRunSteps). A deploy
// without an image variable deploys what the Makefile or the environment
// names: an image the step cannot name. "undeploy" tears down.
func makeStep(m *command.MakeArgs) (stepKind, []command.Value, bool) {
	var images []command.Value
	for name, v := range m.Vars {
		if name == "IMG" || name == "IMAGE" || strings.HasSuffix(name, "_IMG") || strings.HasSuffix(name, "_IMAGE") {
			images = []command.Value{v}
			break
		}
	}
	for _, t := range m.Targets {
		switch {
		case strings.Contains(t, "undeploy"):
		case strings.Contains(t, "deploy"):
			return stepDeploy, images, true
		case images == nil:
		case strings.Contains(t, "load"):
			return stepLoad, images, true
		case strings.Contains(t, "build"):
			return stepBuild, images, true
		}
	}
	return 0, nil, false
}

// wordValue resolves a command word naming an image.
func (ix *index) wordValue(fl *flow, w command.Value, slots []ast.Expr) (value, ast.Expr) {
	var text strings.Builder
	var dynamic ast.Expr
	for _, p := range w {
		switch {
		case p.Slot == command.Literal:
			text.WriteString(p.Text)
		case p.Slot >= 0 && p.Slot < len(slots) && dynamic == nil:
			dynamic = slots[p.Slot]
		default:
			return value{}, nil // two run-time parts, or one we cannot name
		}
	}
	if dynamic == nil {
		return value{kind: vConst, str: text.String()}, nil
	}
	if exact, ok := ix.exactString(fl, dynamic, 0); ok {
		// A variable holding a constant: the word is a constant too.
		var full strings.Builder
		for _, p := range w {
			if p.Slot == command.Literal {
				full.WriteString(p.Text)
			} else {
				full.WriteString(exact)
			}
		}
		// It is still read from its variable, which may escape.
		return value{kind: vConst, str: full.String(), holder: ix.resolve(fl, dynamic).holder}, nil
	}
	// A constant prefix or suffix is decoration, as in resolve.
	return ix.resolve(fl, dynamic), dynamic
}

// argv returns the command line a call runs: exec.Command and
// exec.CommandContext, and functions whose summary forwards their
// arguments to one. Dynamic parts are slots indexing the returned
// expressions.
func (ix *index) argv(fl *flow, call *ast.CallExpr) ([]command.Word, []ast.Expr, bool) {
	fn := ix.callee(fl, call)
	if fn == nil {
		return nil, nil, false
	}
	return ix.argvOf(fl, call, fn)
}

func (ix *index) argvOf(fl *flow, call *ast.CallExpr, fn *types.Func) ([]command.Word, []ast.Expr, bool) {
	b := argvBuilder{ix: ix, fl: fl}
	if fn.Pkg() != nil && fn.Pkg().Path() == "os/exec" && recvTypeName(fn) == "" {
		args := call.Args
		switch fn.Name() {
		case "Command":
		case "CommandContext":
			if len(args) == 0 {
				return nil, nil, false
			}
			args = args[1:]
		default:
			return nil, nil, false
		}
		if len(args) == 0 {
			return nil, nil, false
		}
		b.words = append(b.words, b.program(args[0]))
		b.args(args[1:], call.Ellipsis.IsValid())
		return b.words, b.slots, true
	}
	s := ix.summary(fn)
	if s == nil || len(s.Exec) == 0 {
		return nil, nil, false
	}
	sig := fn.Type().(*types.Signature)
	for _, part := range s.Exec {
		switch {
		case part.Param < 0:
			b.words = append(b.words, command.Lit(part.Word))
		case part.Spread || (sig.Variadic() && part.Param == sig.Params().Len()-1):
			if part.Param < len(call.Args) {
				b.args(call.Args[part.Param:], call.Ellipsis.IsValid())
			}
		case part.Param < len(call.Args):
			if part.Param == 0 && len(b.words) == 0 {
				b.words = append(b.words, b.program(call.Args[0]))
			} else {
				b.words = append(b.words, b.word(call.Args[part.Param], 0))
			}
		}
	}
	return b.words, b.slots, len(b.words) > 0
}

// argvBuilder turns Go expressions into command words.
type argvBuilder struct {
	ix    *index
	fl    *flow
	words []command.Word
	slots []ast.Expr
}

func (b *argvBuilder) slot(e ast.Expr) command.Word {
	b.slots = append(b.slots, e)
	return command.Dyn(len(b.slots) - 1)
}

// program returns the word naming the program: a variable that holds one
// constant, possibly overridden from the environment, names it.
func (b *argvBuilder) program(e ast.Expr) command.Word {
	if s, ok := b.ix.constCandidate(b.fl, e, 0); ok {
		return command.Lit(s)
	}
	return b.word(e, 0)
}

// args appends the words of call arguments; with spread, the last one is a
// slice passed as arg...
func (b *argvBuilder) args(args []ast.Expr, spread bool) {
	for i, arg := range args {
		if spread && i == len(args)-1 {
			b.words = append(b.words, b.slice(arg, 0)...)
			continue
		}
		b.words = append(b.words, b.word(arg, 0))
	}
}

const maxArgvDepth = 8

// word returns the word an expression evaluates to: constants, Sprintf with
// a constant format, concatenations and strings.Join are taken apart;
// anything else is one slot.
func (b *argvBuilder) word(e ast.Expr, depth int) command.Word {
	ix := b.ix
	e = ast.Unparen(e)
	if s, ok := constString(ix.info, e); ok {
		return command.Lit(s)
	}
	if depth > maxArgvDepth {
		return b.slot(e)
	}
	switch x := e.(type) {
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return append(slices.Clone(b.word(x.X, depth+1)), b.word(x.Y, depth+1)...)
		}
	case *ast.Ident:
		// A local holding a Sprintf or Join of its own: take it apart too.
		if v, ok := ix.info.Uses[x].(*types.Var); ok && ix.paramOf[v] == nil && !ix.litParams[v] {
			if srcs := ix.defs[v]; len(srcs) == 1 && srcs[0].index < 0 && srcs[0].rhs != nil {
				if call, ok := ast.Unparen(srcs[0].rhs).(*ast.CallExpr); ok && b.composes(call) {
					return b.word(call, depth+1)
				}
			}
		}
	case *ast.CallExpr:
		fn := ix.callee(b.fl, x)
		if fn != nil && fn.Pkg() != nil && !x.Ellipsis.IsValid() {
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "fmt.Sprintf":
				if len(x.Args) > 0 {
					if format, ok := constString(ix.info, x.Args[0]); ok {
						return b.sprintf(format, x.Args[1:], depth)
					}
				}
			case "strings.Join":
				if len(x.Args) == 2 {
					if sep, ok := constString(ix.info, x.Args[1]); ok {
						var w command.Word
						for i, part := range b.slice(x.Args[0], depth+1) {
							if i > 0 {
								w = append(w, command.Part{Text: sep, Slot: -1})
							}
							w = append(w, part...)
						}
						return w
					}
				}
			}
		}
	}
	return b.slot(e)
}

// composes reports whether call builds a word that is more than one value:
// strings.Join, or a Sprintf whose format holds blanks (a script) or "="
// (VAR=value). Any other variable stays one slot, so that an image keeps
// the identity of the variable holding it.
func (b *argvBuilder) composes(call *ast.CallExpr) bool {
	fn := b.ix.callee(b.fl, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "strings.Join":
		return true
	case "fmt.Sprintf":
		format, ok := "", len(call.Args) > 0
		if ok {
			format, ok = constString(b.ix.info, call.Args[0])
		}
		return ok && strings.ContainsAny(format, " \t\n=")
	}
	return false
}

// sprintf renders a constant format with its arguments as one word: each
// verb becomes its argument's word.
func (b *argvBuilder) sprintf(format string, args []ast.Expr, depth int) command.Word {
	var w command.Word
	for _, seg := range printfSegments(format) {
		if seg.arg < 0 {
			w = append(w, command.Part{Text: seg.text, Slot: -1})
			continue
		}
		if seg.arg >= len(args) {
			return b.slot(nil)
		}
		arg := args[seg.arg]
		if tv := b.ix.info.Types[arg]; tv.Value != nil && !isStringConst(b.ix.info, arg) {
			w = append(w, command.Part{Text: tv.Value.ExactString(), Slot: -1})
			continue
		}
		w = append(w, b.word(arg, depth+1)...)
	}
	return w
}

// slice returns the words of a []string expression: a literal, a local
// variable built from a literal and appends, or append calls. What cannot
// be followed is one slot.
func (b *argvBuilder) slice(e ast.Expr, depth int) []command.Word {
	ix := b.ix
	e = ast.Unparen(e)
	if depth > maxArgvDepth {
		return []command.Word{b.slot(e)}
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		var words []command.Word
		for _, elt := range x.Elts {
			if _, ok := elt.(*ast.KeyValueExpr); ok {
				return []command.Word{b.slot(e)}
			}
			words = append(words, b.word(elt, depth+1))
		}
		return words
	case *ast.CallExpr:
		if fn := ix.staticCallee(x); fn != nil && fn.FullName() == "strings.Fields" && len(x.Args) == 1 {
			if words, ok := b.splitFields(b.word(x.Args[0], depth+1)); ok {
				return words
			}
			break
		}
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && len(x.Args) > 0 {
			if _, ok := ix.info.Uses[id].(*types.Builtin); ok && id.Name == "append" {
				words := b.slice(x.Args[0], depth+1)
				for i, arg := range x.Args[1:] {
					if x.Ellipsis.IsValid() && i == len(x.Args)-2 {
						words = append(words, b.slice(arg, depth+1)...)
					} else {
						words = append(words, b.word(arg, depth+1))
					}
				}
				return words
			}
		}
	case *ast.Ident:
		v, ok := ix.info.Uses[x].(*types.Var)
		if !ok || ix.paramOf[v] != nil || ix.litParams[v] {
			break
		}
		// The first definition, then the appends to the variable itself,
		// in source order.
		var words []command.Word
		for i, src := range ix.defs[v] {
			if src.rhs == nil || src.index >= 0 {
				return []command.Word{b.slot(e)}
			}
			if i == 0 {
				words = b.slice(src.rhs, depth+1)
				continue
			}
			call, ok := ast.Unparen(src.rhs).(*ast.CallExpr)
			if !ok || !ix.isAppendTo(call, v) {
				return []command.Word{b.slot(e)}
			}
			for j, arg := range call.Args[1:] {
				if call.Ellipsis.IsValid() && j == len(call.Args)-2 {
					words = append(words, b.slice(arg, depth+1)...)
				} else {
					words = append(words, b.word(arg, depth+1))
				}
			}
		}
		if words != nil {
			return words
		}
	}
	return []command.Word{b.slot(e)}
}

// isAppendTo reports whether call is append(v, ...).
func (ix *index) isAppendTo(call *ast.CallExpr, v *types.Var) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if b, ok := ix.info.Uses[id].(*types.Builtin); !ok || b.Name() != "append" {
		return false
	}
	arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && ix.info.Uses[arg] == v
}

// constCandidate returns the one constant e may hold, ignoring values from
// the environment or flags: "kind", in kind := "kind"; if v, ok :=
// os.LookupEnv("KIND"); ok { kind = v }.
func (ix *index) constCandidate(fl *flow, e ast.Expr, depth int) (string, bool) {
	e = ast.Unparen(e)
	if s, ok := constString(ix.info, e); ok {
		return s, true
	}
	id, ok := e.(*ast.Ident)
	if !ok || depth > maxArgvDepth {
		return "", false
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok || ix.paramOf[v] != nil || ix.litParams[v] {
		return "", false
	}
	found := ""
	for _, src := range ix.defs[v] {
		if src.rhs == nil || src.index >= 0 {
			continue // env lookups and the like: an override
		}
		s, ok := ix.constCandidate(src.fl, src.rhs, depth+1)
		if ok && found != "" && s != found {
			return "", false
		}
		if ok {
			found = s
		} else if r := ix.resolve(src.fl, src.rhs); r.kind != vExternal {
			return "", false
		}
	}
	return found, found != ""
}

// printfSteps adds the container images of a manifest template filled by
// a printf-like call: fmt's functions and wrappers of them.
func (ix *index) printfSteps(fl *flow, call *ast.CallExpr, add func(step)) {
	format, args := ix.printfArgs(fl, call)
	if !manifestImageKey.MatchString(format) {
		return
	}
	for _, c := range ix.containers(format, manifest.Printf) {
		v, e, ok := ix.fillValue(fl, c.Image, args)
		if !ok {
			continue
		}
		add(step{kind: stepDeploy, at: e, where: "manifest", spec: true, pullNever: pullNever(c),
			images: []value{v}, exprs: []ast.Expr{e}})
	}
}

// constContainers returns the containers of a constant string, which may
// be a printf format or a template as well as a manifest: the images it
// writes out in full are found either way.
func (ix *index) constContainers(text string) []manifest.Container {
	syntax := manifest.Plain
	if strings.Contains(text, "{{") {
		syntax |= manifest.Template
	}
	if strings.Contains(text, "%") {
		if cs := ix.containers(text, syntax|manifest.Printf); cs != nil {
			return cs
		}
	}
	return ix.containers(text, syntax)
}

func pullNever(c manifest.Container) bool {
	policy, ok := c.PullPolicy.Literal()
	return ok && policy == "Never"
}

// fillValue resolves a manifest value filled by printf arguments: a
// constant when all of them are, else its single run-time argument. It
// returns the expression to report (the first argument), and false for a
// value written out in full or filled by a template action.
func (ix *index) fillValue(fl *flow, image manifest.Value, args []ast.Expr) (value, ast.Expr, bool) {
	if len(image.Args()) == 0 || image.Dynamic() {
		return value{}, nil, false
	}
	var text strings.Builder
	var first, dynamic ast.Expr
	for _, seg := range image {
		if seg.Kind != manifest.Arg {
			text.WriteString(seg.Text)
			continue
		}
		if seg.Arg >= len(args) {
			return value{}, nil, false
		}
		arg := args[seg.Arg]
		if first == nil {
			first = arg
		}
		if s, ok := ix.constFill(arg); ok {
			text.WriteString(s)
			continue
		}
		if dynamic != nil {
			return value{}, first, true // two run-time parts: no single origin
		}
		dynamic = arg
	}
	if dynamic == nil {
		return value{kind: vConst, str: text.String(), site: first}, first, true
	}
	return ix.resolve(fl, dynamic), dynamic, true
}

func (ix *index) constFill(arg ast.Expr) (string, bool) {
	tv := ix.info.Types[arg]
	if tv.Value == nil {
		return "", false
	}
	if s, ok := constString(ix.info, arg); ok {
		return s, true
	}
	return tv.Value.ExactString(), true
}

// printfArgs returns the constant format of a call of a printf-like
// function (fmt's, or a wrapper the printf analyzer found) and the
// arguments it formats.
func (ix *index) printfArgs(fl *flow, call *ast.CallExpr) (string, []ast.Expr) {
	fn := ix.callee(fl, call)
	if fn == nil || call.Ellipsis.IsValid() || !ix.isPrintf(fn) {
		return "", nil
	}
	sig := fn.Type().(*types.Signature)
	i := sig.Params().Len() - 2 // the format precedes the ...any
	if i < 0 || i >= len(call.Args) {
		return "", nil
	}
	format, ok := constString(ix.info, call.Args[i])
	if !ok {
		return "", nil
	}
	return format, call.Args[i+1:]
}

// containers scans text once per pass: a format literal is both a string
// constant and a printf template, and templates are reused.
func (ix *index) containers(text string, syntax manifest.Syntax) []manifest.Container {
	key := manifestKey{text, syntax}
	cs, ok := ix.manifests[key]
	if !ok {
		cs = slices.DeleteFunc(manifest.Containers(text, syntax), func(c manifest.Container) bool {
			return c.List == "" && !ix.ownKinds()[c.Group+"/"+c.Kind]
		})
		ix.manifests[key] = cs
	}
	return cs
}

// stringSpan maps the byte range [offset, end) of the value of the
// constant string expression e to source: exact inside raw string
// literals, the whole literal piece otherwise.
func (ix *index) stringSpan(e ast.Expr, offset, end int) span {
	var pieces []ast.Expr
	var flatten func(ast.Expr)
	flatten = func(e ast.Expr) {
		if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.ADD {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		pieces = append(pieces, e)
	}
	flatten(e)
	// at maps the byte off of the value; the last byte of a range ends it.
	at := func(off int, isEnd bool) token.Pos {
		start := 0
		for _, p := range pieces {
			s, _ := constString(ix.info, p)
			if off < start+len(s) || isEnd && off == start+len(s) || p == pieces[len(pieces)-1] {
				if lit, ok := ast.Unparen(p).(*ast.BasicLit); ok && strings.HasPrefix(lit.Value, "`") && !strings.Contains(lit.Value, "\r") {
					return lit.Pos() + 1 + token.Pos(min(max(off-start, 0), len(s)))
				}
				if isEnd {
					return p.End()
				}
				return p.Pos()
			}
			start += len(s)
		}
		return e.Pos()
	}
	return span{at(offset, false), max(at(end, true), at(offset, false))}
}

// shortPos renders pos as file:line for messages in other packages.
func (ix *index) shortPos(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := ix.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// splitFields splits a word as strings.Fields does at run time: at the
// blanks of its literal text. A run-time part glued to literal text
// ("image.tag=" + tag) stays in its word. One standing alone may hold
// blanks of its own: it is one word only after a flag (--name cluster) or
// when it is an image reference (a repository with a run-time tag, a
// generated or produced image); otherwise the words are not known.
func (b *argvBuilder) splitFields(w command.Word) ([]command.Word, bool) {
	var words []command.Word
	var cur command.Word
	glued := false // cur holds text touching the next part
	prev := ""     // the last complete word, when literal
	flush := func() {
		if len(cur) > 0 {
			words = append(words, cur)
			prev, _ = cur.Literal()
		}
		cur, glued = nil, false
	}
	for i, p := range w {
		if !p.IsLiteral() {
			next := i+1 < len(w) && w[i+1].IsLiteral() && w[i+1].Text != "" && !unicode.IsSpace(rune(w[i+1].Text[0]))
			if !glued && !next && !strings.HasPrefix(prev, "-") && !b.oneWord(p) {
				return nil, false
			}
			cur = append(cur, p)
			glued = true
			continue
		}
		text := p.Text
		for text != "" {
			if unicode.IsSpace(rune(text[0])) {
				flush()
				text = strings.TrimLeftFunc(text, unicode.IsSpace)
				continue
			}
			end := strings.IndexFunc(text, unicode.IsSpace)
			if end < 0 {
				end = len(text)
			}
			cur = append(cur, command.Part{Text: text[:end], Slot: command.Literal})
			glued = true
			text = text[end:]
		}
	}
	flush()
	return words, true
}

// oneWord reports whether the run-time part p is an image reference,
// which holds no blanks.
func (b *argvBuilder) oneWord(p command.Part) bool {
	if !p.IsSlot() || p.Slot >= len(b.slots) || b.slots[p.Slot] == nil {
		return false
	}
	v := b.ix.resolve(b.fl, b.slots[p.Slot])
	return v.repo != "" || v.kind == vGenerated || v.kind == vProduced
}
