package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
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
// directly or by a function the flow calls. What only some steps have is
// in a payload, nil on the others.
type step struct {
	kind    stepKind
	images  []value
	exprs   []ast.Expr // the Go expressions of images, where there is one
	archive value      // save: the archive written; load: the archive read
	at      ast.Node   // the call or expression of the flow
	via     *types.Func
	where   string       // what does it: "podman build", "container spec", a function's name
	inner   string       // inside via: file:line, for messages
	deploy  *deployInfo  // every deploy's, nil on other kinds (see deployFor)
	cmd     *commandInfo // a step of a command line's, else nil
	trace   *repoTrace   // a step of a followed make run or script's, else nil
}

// repoTrace is where a step of a followed make run or script is, and the
// variables it names its images by.
type repoTrace struct {
	// pos is its line in the Makefile or script, and via the rule and
	// script lines leading there, outermost first: for the flow map.
	pos repo.Pos
	via []repo.Pos
	// vars are the Makefile or script variables naming its images (see
	// imageVars).
	vars []string
}

// commandInfo is what a step of a command line has: the line, for
// messages, and for one the Go code runs, its words.
type commandInfo struct {
	line  string         // the command line, or a Makefile or script command's tool
	argv  []command.Word // its words, the run-time ones indexing slots; nil in a Makefile or script
	slots []ast.Expr     // the Go expressions of its run-time words, for positions
}

// deployInfo is what only a deploy knows: how its images are written (a
// container spec, a manifest value or file, a helm install) and, when it
// cannot name them, why.
type deployInfo struct {
	spec      bool // written in a container spec or a manifest
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
	file      string // a manifest file applied by the call: "path:line"
	read      bool   // the file is read into memory, not applied by path
	fileValue span   // its image value, in a file added to the file set
	restored  span   // the call that restored the file before it is applied, if one did
	// written is what the file deploys as written, on the opaque step of
	// an apply that a rewrite the flow cannot place hides (see laneRestore).
	written *writtenFile
	helm    *helmInfo // a helm install
	// pathParam is the parameter holding the manifest path a deploy
	// applies: what it deploys is known at the callers.
	pathParam *types.Var
	kustomize bool
	// field, when set, says the image is that field of the struct exprs[0]
	// is: a helper deploys o.Image of the options it is handed.
	field string
	// why says what an opaque deploy cannot name, for the flow map.
	why string
}

// deployFor is the payload of a step of kind k made with d: d for a
// deploy, nil for the other kinds, which have none.
func deployFor(k stepKind, d deployInfo) *deployInfo {
	if k != stepDeploy {
		return nil
	}
	return &d
}

// deployStep returns a deploy at at by where, with d.
func deployStep(at ast.Node, where string, d deployInfo) step {
	return step{kind: stepDeploy, at: at, where: where, deploy: &d}
}

// withImage returns st acting on the one image v, written as e (nil when
// no Go expression holds it).
func (st step) withImage(v value, e ast.Expr) step {
	st.images, st.exprs = []value{v}, []ast.Expr{e}
	return st
}

// opaqueDeploy returns a deploy at at by where of images it cannot name,
// for the reason why.
func opaqueDeploy(at ast.Node, where, why string) step {
	return deployStep(at, where, deployInfo{why: why})
}

// opaque reports whether st deploys images it cannot name: a manifest
// file it cannot read, make deploy without IMG, a value of unknown origin.
func (st *step) opaque() bool {
	if st.kind != stepDeploy || st.deploy.pathParam != nil {
		return false
	}
	if len(st.images) == 0 {
		return !st.deploy.transparent
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
	if st.deploy != nil && st.deploy.value.valid() {
		return st.deploy.value
	}
	return spanOf(st.at)
}

// reportAt is where a finding about image j of st is reported, and the
// position a suppression directive above it names when the span is inside
// a string: the call applying a manifest file, the Go expression of the
// image, the call of the function that handles it, or the image as written
// in a string or in the call.
func (st *step) reportAt(info *types.Info, j int) (at span, anchor token.Pos) {
	switch {
	case st.manifestFile() != "":
		return spanOf(st.at), token.NoPos
	case st.exprs[j] != nil:
		return spanOf(st.exprs[j]), token.NoPos
	case st.via != nil:
		return spanOf(st.at), token.NoPos
	}
	// A directive above the call still names it.
	return st.imageSpan(info, st.images[j].str), st.directiveAnchor()
}

// restoredAt returns deploy st with its file restored by the call at r.
// Copies of a step share its payload: st's is left as it is.
func (st step) restoredAt(r span) step {
	d := *st.deploy
	d.restored = r
	st.deploy = &d
	return st
}

// manifestFile is the manifest file line a deploy applies its image from,
// "" for other steps.
func (st *step) manifestFile() string {
	if st.deploy == nil {
		return ""
	}
	return st.deploy.file
}

// helm is what a helm install knows of its chart and values, nil for
// other steps.
func (st *step) helm() *helmInfo {
	if st.deploy == nil {
		return nil
	}
	return st.deploy.helm
}

// doneBy names what does st in messages: its command line, quoted, or
// else where.
func (st *step) doneBy() string {
	if st.cmd != nil && st.cmd.line != "" {
		return strconv.Quote(st.cmd.line)
	}
	return st.where
}

// repoVars are the Makefile or script variables st names its images by,
// none unless it is a step of a followed make run or script.
func (st *step) repoVars() []string {
	if st.trace == nil {
		return nil
	}
	return st.trace.vars
}

// repoLine is the line of a Makefile or script st was followed to.
func (st *step) repoLine() (repo.Pos, bool) {
	if st.trace == nil || st.trace.pos.File == "" {
		return repo.Pos{}, false
	}
	return st.trace.pos, true
}

// deployFinding is a finding of check on image j of deploy st, at
// reportAt: "deployed image "x" is <rest>", or for the image of a
// manifest file "<where> deploys "x" (file:line), <rest>", related to the
// file.
func (st *step) deployFinding(info *types.Info, check string, j int, rest string) finding {
	image := st.images[j].str
	at, anchor := st.reportAt(info, j)
	f := spanFinding(check, at, "deployed image %q is %s", image, rest)
	f.anchor = anchor
	if file := st.manifestFile(); file != "" {
		f.message = fmt.Sprintf("%s deploys %q (%s), %s", st.where, image, file, rest)
		f.relateFile(st, image)
	}
	return f
}

// directiveAnchor is the start of the string st's image is written in, or
// else its call: where a directive above names st.
func (st *step) directiveAnchor() token.Pos {
	if st.deploy != nil && st.deploy.anchor.IsValid() {
		return st.deploy.anchor
	}
	return st.at.Pos()
}

// imageSpan is where st names the constant image s: the manifest value,
// the one argument of its call that holds s, or the call.
func (st *step) imageSpan(info *types.Info, s string) span {
	if st.deploy != nil && st.deploy.value.valid() {
		return st.deploy.value
	}
	var holds []ast.Expr
	if call, ok := st.at.(*ast.CallExpr); ok && s != "" {
		for _, arg := range call.Args {
			if text, ok := constString(info, arg); ok && strings.Contains(text, s) {
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
		if st.deploy.spec {
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
		add(deployStep(ci.value, "container spec", deployInfo{spec: true, pullNever: ci.pullNever}).
			withImage(ix.resolve(fl, ci.value), ci.value))
	}
	for _, e := range fl.strings {
		text, _ := constString(ix.info, e)
		for _, c := range ix.constContainers(text) {
			if image, ok := c.Image.Literal(); ok {
				add(deployStep(e, "manifest", deployInfo{spec: true, pullNever: pullNever(c),
					value: ix.stringSpan(e, c.Offset, c.End), anchor: e.Pos()}).
					withImage(value{kind: vConst, str: image, site: e}, nil))
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

// shortPos renders pos as file:line for messages in other packages.
func (ix *index) shortPos(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := ix.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}
