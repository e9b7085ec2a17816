package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/repo"
	"github.com/imagetaglint/imagetaglint/flowmap"
)

// A Description is what the analysis knows of one package's image flows:
// the flow map of its root functions and, for each of its functions that
// handles images, its summary in words. NewDescriber's analyzer returns
// one per package; positions hold absolute file names.
type Description struct {
	Flows []flowmap.Flow
	Funcs []Explanation
	// Calls are the calls of other packages' functions that handle
	// images, by function (Pos is zero): what the callers pass, for their
	// explanations.
	Calls []Explanation
}

// An Explanation is one function's summary in words.
type Explanation struct {
	Name  string // "infrastructure.BuildAndLoadImageToKind", "e2e.Suite.Setup"
	Path  string // the package path
	Pos   flowmap.Position
	Lines []string // what it does with each parameter and field, its images, its callers
}

// NewDescriber returns an analyzer that reports as New's does and also
// returns the package's *Description as its result, for -flows and
// -explain. The description costs time, so the plain analyzer does not
// build it.
func NewDescriber(cfg Config) (*analysis.Analyzer, error) {
	c, err := Compile(cfg)
	if err != nil {
		return nil, err
	}
	return c.Describer(), nil
}

// Describer returns the analyzer of NewDescriber for the configuration.
func (c *Compiled) Describer() *analysis.Analyzer {
	s := c.s
	a := newAnalyzer()
	a.ResultType = reflect.TypeOf((*Description)(nil))
	a.Run = func(pass *analysis.Pass) (any, error) {
		ix, reported := analyse(pass, s)
		if ix == nil {
			return (*Description)(nil), nil // the result's type, even for nothing
		}
		return ix.describe(reported), nil
	}
	return a
}

// maxExpandDepth bounds how deep the steps of called functions are
// opened in a flow.
const maxExpandDepth = 8

// describer builds the flow map of one package.
type describer struct {
	ix       *index
	findings []finding
	// produced maps the image a call of a producer returns to the value
	// the producer's body returns, in that call's instance.
	produced map[ast.Expr]instValue
	onStep   map[*finding]bool // the findings whose own position is on a step
}

// instValue is a value in one instance of a function: values local to a
// called function are new at each call, so the calls leading there are
// part of their identity.
type instValue struct {
	v    value
	e    ast.Expr
	fl   *flow
	inst string
}

// binding is a call being expanded: the callee's parameters are the
// arguments of call, evaluated in fl, itself maybe inside another call.
type binding struct {
	parent *binding
	fl     *flow
	call   *ast.CallExpr
	fn     *types.Func
}

// dstep is one step of a flow as the map shows it: a step of the model,
// its images bound to the values the flow gives them, and the calls that
// lead to it.
type dstep struct {
	st      *step
	fl      *flow // where st is
	values  []value
	exprs   []ast.Expr // the expressions values were resolved from, and their flows
	exprFls []*flow
	written []flowmap.Ref // the reference as written at the step, when bound
	insts   []string      // the instance of each value: see instValue
	via     []*ast.CallExpr
	vianame []string
}

// unseenCall is a call that hands a value to a function whose body the
// analysis cannot see.
type unseenCall struct {
	call *ast.CallExpr
	fn   *types.Func
	v    value
	e    ast.Expr
	fl   *flow
}

func (ix *index) describe(reported []finding) *Description {
	d := &describer{ix: ix, findings: reported, produced: make(map[ast.Expr]instValue)}
	desc := &Description{}
	type pending struct {
		fl     *flow
		steps  []dstep
		unseen []unseenCall
		name   string
		pos    token.Pos
	}
	var flows []pending
	for _, fl := range ix.flows {
		if fl.fn != nil && len(ix.callers[fl.fn]) > 0 {
			continue // a helper its callers show
		}
		if fl.lane != nil && fl == fl.lane.s.setup && d.lanesHaveSteps(fl.lane.s) {
			continue // every other lane runs the suite's setup first
		}
		var unseen []unseenCall
		stack := []*types.Func{}
		if fl.fn != nil {
			stack = append(stack, fl.fn)
		}
		steps := d.expand(fl, nil, nil, nil, stack, &unseen)
		if len(steps) == 0 {
			continue
		}
		switch {
		case fl.fn != nil:
			flows = append(flows, pending{fl, steps, unseen, funcName(fl.fn), fl.decl.Name.Pos()})
			continue
		case fl.lane != nil:
			flows = append(flows, pending{fl, steps, unseen, ix.pass.Pkg.Name() + " suite: " + fl.lane.describe, lanePos(fl.lane)})
			continue
		}
		// Package-level declarations: a flow per var _ = BeforeSuite(...)
		// and the like, named by the call.
		for _, g := range d.bySpec(fl, steps) {
			flows = append(flows, pending{fl, g.steps, nil, g.name, g.pos})
		}
	}
	// A finding goes by its related positions only where its own is on
	// no step of any flow.
	d.onStep = make(map[*finding]bool)
	for i := range d.findings {
		f := &d.findings[i]
		for _, p := range flows {
			for _, ds := range p.steps {
				d.onStep[f] = d.onStep[f] || ds.score(f.pos) >= 0
			}
		}
	}
	for _, p := range flows {
		desc.Flows = append(desc.Flows, d.flowOf(p.fl, p.steps, p.unseen, p.name, p.pos))
	}
	for _, fl := range ix.flows {
		if fl.fn != nil {
			if e, ok := ix.explain(fl); ok {
				desc.Funcs = append(desc.Funcs, e)
			}
		}
	}
	desc.Calls = ix.externalCalls(d)
	return desc
}

// expand returns the steps of fl, with the steps of the package's own
// functions it calls opened at their calls.
func (d *describer) expand(fl *flow, b *binding, via []*ast.CallExpr, names []string, stack []*types.Func, unseen *[]unseenCall) []dstep {
	ix := d.ix
	var out []dstep
	opened := make(map[callOf]bool)
	steps, flows, opener := d.ordered(fl)
	for i := range steps {
		st, sfl := &steps[i], flows[i]
		call, isCall := st.at.(*ast.CallExpr)
		if callee := ix.flowOf[st.via]; st.via != nil && isCall && callee != nil && len(stack) < maxExpandDepth && !slices.Contains(stack, st.via) {
			key := callOf{st.at, st.via}
			if opened[key] {
				continue
			}
			cb := &binding{parent: b, fl: sfl, call: call, fn: st.via}
			cvia := append(slices.Clip(via), call)
			inner := d.expand(callee, cb, cvia, append(slices.Clip(names), st.via.Name()), append(slices.Clip(stack), st.via), unseen)
			if len(inner) > 0 {
				opened[key] = true
				out = append(out, inner...)
				d.noteProduced(callee, cb, cvia)
				continue
			}
		}
		if opener[callOf{st.at, st.via}] {
			continue // opened for its steps, it has none here (recursion, depth)
		}
		ds := dstep{st: st, fl: sfl, via: via, vianame: names}
		for j, v := range st.images {
			var e ast.Expr
			if j < len(st.exprs) {
				e = st.exprs[j]
			}
			bv, be, bfl, up := d.bind(b, v, e, sfl)
			var written flowmap.Ref
			if bfl != sfl || be != e {
				written = d.ref(v, e, sfl)
			}
			iv := d.instance(bv, be, bfl, via[:len(via)-up])
			ds.values = append(ds.values, iv.v)
			ds.exprs = append(ds.exprs, iv.e)
			ds.exprFls = append(ds.exprFls, iv.fl)
			ds.written = append(ds.written, written)
			ds.insts = append(ds.insts, iv.inst)
		}
		out = append(out, ds)
	}
	d.unseenCalls(fl, b, unseen)
	return out
}

// callOf is a call of a function.
type callOf struct {
	call ast.Node
	fn   *types.Func
}

// ordered returns the steps of fl in the order they run, each with the
// flow it is written in (a suite lane runs steps of several), and beside
// them the calls of the package's functions whose steps the callee's
// summary does not carry (a build of a name the helper makes): the map
// opens those too. opener holds the calls added only to be opened.
func (d *describer) ordered(fl *flow) ([]step, []*flow, map[callOf]bool) {
	ix := d.ix
	opener := make(map[callOf]bool)
	if fl.lane != nil && len(ix.steps(fl)) == 0 {
		return nil, nil, opener // the setup lane runs the setup of a spec without steps
	}
	type part struct {
		fl       *flow
		from, to token.Pos
		seg      *segment
	}
	var parts []part
	if fl.lane != nil {
		for i := range fl.lane.segs {
			seg := &fl.lane.segs[i]
			parts = append(parts, part{seg.fl, seg.from, seg.to, seg})
		}
	} else {
		parts = []part{{fl: fl, from: token.NoPos, to: token.Pos(1<<62 - 1)}}
	}
	var steps []step
	var flows []*flow
	for _, p := range parts {
		in := func(pos token.Pos) bool {
			if p.seg != nil {
				return p.from <= pos && pos < p.to && ix.runsIn(*p.seg, pos)
			}
			return ix.suite == nil || !ix.suite.inSuite(p.fl, pos)
		}
		var own []step
		for _, st := range ix.flowSteps(p.fl) {
			if in(st.at.Pos()) {
				own = append(own, st)
			}
		}
		n := len(own)
		for i := range p.fl.calls {
			call := p.fl.calls[i].call
			fn := ix.callee(p.fl, call)
			if callee := ix.flowOf[fn]; fn != nil && callee != nil && in(call.Pos()) && len(ix.steps(callee)) > 0 &&
				!slices.ContainsFunc(own[:n], func(st step) bool { return st.at == call && st.via == fn }) {
				own = append(own, step{at: call, via: fn})
				opener[callOf{call, fn}] = true
			}
		}
		slices.SortStableFunc(own, func(a, b step) int { return cmp.Compare(a.at.Pos(), b.at.Pos()) })
		for range own {
			flows = append(flows, p.fl)
		}
		steps = append(steps, own...)
	}
	return steps, flows, opener
}

// callSites returns the calls fl runs, each with the flow it is written
// in.
func (d *describer) callSites(fl *flow) ([]*callSite, []*flow) {
	ix := d.ix
	var sites []*callSite
	var flows []*flow
	if fl.lane == nil {
		for i := range fl.calls {
			if ix.suite == nil || !ix.suite.inSuite(fl, fl.calls[i].call.Pos()) {
				sites, flows = append(sites, &fl.calls[i]), append(flows, fl)
			}
		}
		return sites, flows
	}
	for _, seg := range fl.lane.segs {
		for i := range seg.fl.calls {
			if p := seg.fl.calls[i].call.Pos(); seg.from <= p && p < seg.to && ix.runsIn(seg, p) {
				sites, flows = append(sites, &seg.fl.calls[i]), append(flows, seg.fl)
			}
		}
	}
	return sites, flows
}

// bind follows a parameter of an expanded function to the argument its
// caller passes, as far up as the calls go.
// It also returns how many calls up the value was found.
func (d *describer) bind(b *binding, v value, e ast.Expr, fl *flow) (value, ast.Expr, *flow, int) {
	up := 0
	for ; b != nil && v.kind == vParam; b = b.parent {
		sig := b.fn.Type().(*types.Signature)
		i := paramIndex(sig, v.param)
		if i < 0 || i >= len(b.call.Args) || (sig.Variadic() && i == sig.Params().Len()-1) {
			break
		}
		e, fl = b.call.Args[i], b.fl
		v = d.ix.resolve(fl, e)
		up++
	}
	return v, e, fl, up
}

// instance returns v, resolved in fl reached by the calls via, with its
// instance: the calls, unless v is the same value at every call (a
// constant, a named flag or environment variable). The image a producer
// returns is the one its body built, when the flow opened it.
func (d *describer) instance(v value, e ast.Expr, fl *flow, via []*ast.CallExpr) instValue {
	if v.kind == vProduced {
		if iv, ok := d.produced[v.site]; ok {
			return iv
		}
	}
	iv := instValue{v: v, e: e, fl: fl}
	if v.kind == vConst || (v.kind == vExternal && v.str != "") {
		return iv
	}
	var b strings.Builder
	for _, c := range via {
		fmt.Fprintf(&b, "%d,", c.Pos())
	}
	iv.inst = b.String()
	return iv
}

// noteProduced records what a producer's body returns at the call b
// opened, so that the image its caller binds is the one it built.
func (d *describer) noteProduced(callee *flow, b *binding, via []*ast.CallExpr) {
	r, ok := d.ix.producerResult(b.fn)
	if !ok {
		return
	}
	for _, ret := range callee.returns[nil] {
		if r < len(ret.Results) && len(ret.Results) == b.fn.Type().(*types.Signature).Results().Len() {
			e := ret.Results[r]
			cv := d.ix.resolve(callee, e)
			if !cv.known() || !reachesBuildOrLoad(d.ix.steps(callee), cv) {
				continue // an error return: "", err
			}
			v, be, bfl, up := d.bind(b, cv, e, callee)
			if v.known() {
				d.produced[b.call] = d.instance(v, be, bfl, via[:len(via)-up])
				return
			}
		}
	}
}

// unseenCalls records the calls of fl that hand one of its values to a
// function of another module with no summary: what it does with them is
// unknown.
func (d *describer) unseenCalls(fl *flow, b *binding, unseen *[]unseenCall) {
	ix := d.ix
	sites, flows := d.callSites(fl)
	for i, cs := range sites {
		call, fl := cs.call, flows[i]
		fn := ix.callee(fl, call)
		if fn == nil || fn.Pkg() == nil || !ix.bodyUnseen(fn) || ix.summary(fn) != nil || isStdlib(fn.Pkg().Path()) {
			continue
		}
		if ix.classOf(fn)&(classAPI|classConfigured|classNamed) != 0 || ix.isLogSink(fn) {
			continue // its steps come from the knowledge table, the configuration or its name; or it prints
		}
		for _, arg := range call.Args {
			t := ix.info.TypeOf(arg)
			if t == nil || !(isStringType(t) || ix.s.isImageType(t)) {
				continue
			}
			v, e, efl, _ := d.bind(b, ix.resolve(fl, arg), arg, fl)
			if v.known() {
				*unseen = append(*unseen, unseenCall{call: call, fn: fn, v: v, e: e, fl: efl})
			}
		}
	}
}

// isStdlib reports whether path is a standard library package: no dot in
// its first element.
func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// flowOf builds the map's flow from its expanded steps.
func (d *describer) flowOf(fl *flow, steps []dstep, unseen []unseenCall, name string, pos token.Pos) flowmap.Flow {
	ix := d.ix
	out := flowmap.Flow{Name: name, Kind: flowmap.FlowFunc, Pos: d.pos(pos)}
	if fl.fn == nil || fl.fn.Name() == "TestMain" {
		out.Kind = flowmap.FlowSuite
	}
	type img struct {
		v    value
		inst string
		id   string
	}
	var images []img
	imageID := func(v value, e ast.Expr, efl *flow, inst string) string {
		if v.known() {
			for _, im := range images {
				if im.inst == inst && im.v.same(v) {
					return im.id
				}
			}
		}
		id := fmt.Sprintf("i%d", len(images)+1)
		images = append(images, img{v, inst, id})
		out.Images = append(out.Images, flowmap.Image{ID: id, Ref: d.ref(v, e, efl), Own: v.known() && ix.ownImage(v, steps)})
		return id
	}
	unknownSeen := make(map[string]bool)
	// One unknown per what and reason: a helper called in fifty places is
	// one blind spot, shown at its first place with the count.
	places := make(map[string]int)
	addUnknown := func(u flowmap.Unknown) {
		key := u.What + "\x00" + u.Reason
		if places[key]++; places[key] == 1 {
			out.Unknowns = append(out.Unknowns, u)
		}
	}
	for n, ds := range steps {
		st := ds.st
		ms := flowmap.Step{
			ID:    fmt.Sprintf("s%d", n+1),
			Kind:  flowmap.StepKind(st.kind.String()),
			Pos:   d.pos(d.stepPos(st)),
			Where: st.where,
		}
		if st.cmd != nil && st.cmd.argv != nil {
			ms.Command = commandLine(st.cmd)
		}
		for j, v := range ds.values {
			si := flowmap.StepImage{ID: imageID(v, ds.exprs[j], ds.exprFls[j], ds.insts[j]), Ref: ds.written[j]}
			ms.Images = append(ms.Images, si)
			for _, p := range d.ref(v, ds.exprs[j], ds.exprFls[j]).Parts {
				if p.Reason != "" && !unknownSeen[si.ID+"\x00"+p.Text] {
					unknownSeen[si.ID+"\x00"+p.Text] = true // once per image
					addUnknown(flowmap.Unknown{Pos: d.pos(exprPos(ds.exprs[j], st)), What: p.Text, Reason: p.Reason, Step: ms.ID})
				}
			}
		}
		if st.kind.retag() && len(ms.Images) != 2 {
			ms.Kind = flowmap.StepDeploy // never: retags always have two images
		}
		for k, call := range ds.via {
			ms.Via = append(ms.Via, flowmap.Call{Pos: d.pos(call.Pos()), Callee: ds.vianame[k]})
		}
		if line, ok := st.repoLine(); ok {
			// A recipe or script line: the Go call that runs make or the
			// script, then the rule and script lines, lead there.
			ms.Pos = repoPosition(line)
			ms.Via = append(ms.Via, flowmap.Call{Pos: d.pos(st.at.Pos()), Callee: st.where})
			for _, p := range st.trace.via {
				ms.Via = append(ms.Via, flowmap.Call{Pos: repoPosition(p)})
			}
		}
		if st.opaque() {
			addUnknown(flowmap.Unknown{Pos: ms.Pos, What: "what " + cmp.Or(st.where, "the step") + " deploys",
				Reason: cmp.Or(st.deploy.why, "no image it deploys can be named"), Step: ms.ID})
		}
		if st.via != nil && ix.bodyUnseen(st.via) && ix.summary(st.via) == nil && ix.classOf(st.via)&classNamed != 0 {
			addUnknown(flowmap.Unknown{Pos: ms.Pos, What: st.via.FullName(),
				Reason: "its body is not available: the step is inferred from its name", Step: ms.ID})
		}
		ms.Findings = d.stepFindings(steps, n)
		out.Steps = append(out.Steps, ms)
	}
	for _, ds := range steps {
		if call, ok := ds.st.at.(*ast.CallExpr); ok {
			for _, u := range ix.repoUnknowns[call] {
				addUnknown(flowmap.Unknown{Pos: repoPosition(u.Pos), What: u.What, Reason: u.Reason})
			}
		}
	}
	for _, u := range unseen {
		if !slices.ContainsFunc(images, func(im img) bool { return im.v.same(u.v) }) {
			continue // not one of the flow's images
		}
		addUnknown(flowmap.Unknown{Pos: d.pos(u.call.Pos()), What: u.fn.FullName(),
			Reason: "it receives " + d.ref(u.v, u.e, u.fl).Text + " but its body is not available: no source and no summary"})
	}
	for i := range out.Unknowns {
		u := &out.Unknowns[i]
		if n := places[u.What+"\x00"+u.Reason]; n > 1 {
			u.Reason += fmt.Sprintf(" (%d places, the first shown)", n)
		}
	}
	return out
}

// ownImage reports whether v is an image the analysed code builds: the
// flow builds it, or the package builds its repository or its holder.
func (ix *index) ownImage(v value, steps []dstep) bool {
	if v.kind == vProduced {
		return true
	}
	for _, ds := range steps {
		if ds.st.kind == stepBuild && slices.ContainsFunc(ds.values, v.same) {
			return true
		}
	}
	repos, holders := ix.built()
	if v.holder != nil && holders[v.holder] {
		return true
	}
	repo := v.repo
	if v.kind == vConst {
		repo = v.str
	}
	ref, ok := candidateImage(repo)
	return ok && repos[ref.Path]
}

// retag reports whether k renames an image: its images are [from, to].
func (k stepKind) retag() bool { return k == stepRetag || k == stepNodeRetag }

// stepPos is where a step is written: the image in a manifest file or a
// string, else its call or expression.
func (d *describer) stepPos(st *step) token.Pos {
	if st.deploy != nil && st.deploy.fileValue.valid() {
		return st.deploy.fileValue.pos
	}
	return st.pos()
}

func exprPos(e ast.Expr, st *step) token.Pos {
	if e != nil {
		return e.Pos()
	}
	return st.at.Pos()
}

// stepFindings returns the reported findings that are about step n: the
// ones at its position or inside its node, else the ones at a call that
// leads to it, the nearest call first. Of several steps a finding is
// about in the same way (the build, save and load of one call), it goes on
// the last.
func (d *describer) stepFindings(steps []dstep, n int) []flowmap.Finding {
	var out []flowmap.Finding
	for i := range d.findings {
		f := &d.findings[i]
		best, bestScore := -1, -1
		for i, ds := range steps {
			if s := ds.findingScore(f, !d.onStep[f]); s >= 0 && (bestScore < 0 || s <= bestScore) {
				best, bestScore = i, s
			}
		}
		if best == n {
			out = append(out, flowmap.Finding{Check: f.check, Message: f.message, Pos: d.pos(f.pos)})
		}
	}
	// By place: token positions across files depend on the load order.
	slices.SortStableFunc(out, func(a, b flowmap.Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Check, b.Check), cmp.Compare(a.Message, b.Message))
	})
	return out
}

// findingScore says how directly f is about ds, lower is closer, -1 not
// at all: its position first, else, if related, one of its related
// positions (a parameter whose deploy is elsewhere).
func (ds *dstep) findingScore(f *finding, related bool) int {
	if s := ds.score(f.pos); s >= 0 || !related {
		return s
	}
	best := -1
	for _, r := range f.related {
		if s := ds.score(r.Pos); s >= 0 && (best < 0 || maxExpandDepth+1+s < best) {
			best = maxExpandDepth + 1 + s
		}
	}
	return best
}

// score says how directly pos is about ds: 0 at or inside the step or
// the call that made one of its values, 1 + k at the k-th call from the
// step back to the flow, -1 not at all.
func (ds *dstep) score(pos token.Pos) int {
	st := ds.st
	var fileValue, value span
	if st.deploy != nil {
		fileValue, value = st.deploy.fileValue, st.deploy.value
	}
	if pos == fileValue.pos || pos == value.pos || (st.at.Pos() <= pos && pos < st.at.End()) {
		return 0
	}
	for _, v := range ds.values {
		if v.site != nil && v.kind != vConst && v.site.Pos() <= pos && pos < v.site.End() {
			return 0
		}
	}
	for k := len(ds.via) - 1; k >= 0; k-- {
		if c := ds.via[k]; c.Pos() <= pos && pos < c.End() {
			return len(ds.via) - k
		}
	}
	return -1
}

// commandLine renders a step's command with each run-time word shown as
// <the expression it comes from>.
func commandLine(c *commandInfo) string {
	words := make([]string, 0, len(c.argv))
	for _, w := range c.argv {
		var b strings.Builder
		for _, p := range w {
			switch {
			case p.Slot == command.Literal:
				b.WriteString(p.Text)
			case p.Slot >= 0 && p.Slot < len(c.slots) && c.slots[p.Slot] != nil:
				b.WriteString("<" + shortExpr(c.slots[p.Slot]) + ">")
			default:
				b.WriteString("<run-time value>")
			}
		}
		words = append(words, b.String())
	}
	line := strings.Join(words, " ")
	if len(line) > maxCommand {
		// A JSON override or a script in one word: the start says which
		// command it is, the position where the rest is.
		cut := maxCommand
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "..."
	}
	return line
}

// maxCommand is how many bytes of a command line a step shows.
const maxCommand = 200

// shortExpr is e's source, cut to a length a map can show.
func shortExpr(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// ref is the reference v, resolved from e in fl, as known and unknown
// parts.
func (d *describer) ref(v value, e ast.Expr, fl *flow) flowmap.Ref {
	var parts []flowmap.Part
	if v.repo != "" {
		parts = append(parts, flowmap.Part{Kind: flowmap.PartText, Text: v.repo + ":"})
	}
	switch v.kind {
	case vConst:
		if v.str == "" {
			return flowmap.NewRef(flowmap.Part{Kind: flowmap.PartUnknown, Text: "empty string"})
		}
		return flowmap.NewRef(flowmap.Part{Kind: flowmap.PartText, Text: v.str})
	case vGenerated:
		parts = append(parts, flowmap.Part{Kind: flowmap.PartGenerated, Text: v.fn.Name()})
	case vProduced:
		parts = append(parts, flowmap.Part{Kind: flowmap.PartProduced, Text: v.fn.Name()})
	case vParam:
		parts = append(parts, flowmap.Part{Kind: flowmap.PartParam, Text: v.param.Name()})
	case vExternal:
		parts = append(parts, d.externalPart(v))
	default:
		what := "unknown"
		switch {
		case v.holder != nil && v.holder.Name() != "":
			what = v.holder.Name()
			if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
				what = shortExpr(sel)
			}
		case e != nil:
			what = shortExpr(e)
		}
		kind := flowmap.PartUnknown
		if f, ok := v.holder.(*types.Var); ok && f.IsField() {
			kind = flowmap.PartField
		}
		parts = append(parts, flowmap.Part{Kind: kind, Text: what, Reason: d.ix.unknownReason(fl, v, e)})
	}
	return flowmap.NewRef(parts...)
}

// externalPart names a flag or environment value.
func (d *describer) externalPart(v value) flowmap.Part {
	call, _ := v.site.(*ast.CallExpr)
	var fn *types.Func
	if call != nil {
		fn = d.ix.staticCallee(call)
	}
	switch {
	case fn != nil && v.str != "" && fn.Pkg() != nil && fn.Pkg().Path() == "os":
		return flowmap.Part{Kind: flowmap.PartEnv, Text: v.str}
	case fn != nil && v.str != "" && fn.Pkg() != nil:
		return flowmap.Part{Kind: flowmap.PartFlag, Text: v.str}
	case fn != nil:
		return flowmap.Part{Kind: flowmap.PartUnknown, Text: "a flag or environment value read by " + fn.Name()}
	}
	return flowmap.Part{Kind: flowmap.PartUnknown, Text: "a flag or environment value"}
}

// unknownReason says why the value of e in fl is not known.
func (ix *index) unknownReason(fl *flow, v value, e ast.Expr) string {
	switch h := v.holder.(type) {
	case *types.Var:
		switch {
		case ix.litParams[h]:
			return "a parameter of a function literal: its callers are not followed"
		case ix.paramOf[h] != nil && ix.paramOf[h] != fl:
			return "a parameter of " + ix.paramOf[h].fn.Name() + ", set by its callers"
		case h.IsField():
			if srcs := fl.fieldDefs[h]; fl != nil && len(srcs) > 1 {
				return "assigned in several ways: " + ix.sourceLines(srcs)
			}
			return "a field set outside this flow"
		}
		srcs := ix.defs[h]
		switch {
		case len(srcs) > 1:
			return "assigned in several ways: " + ix.sourceLines(srcs)
		case len(srcs) == 0:
			return "never assigned in the analysed code"
		case srcs[0].rhs == nil:
			return "set by a range, an op-assignment or through a pointer"
		}
		e = srcs[0].rhs
	}
	if e == nil {
		return "made of several run-time parts"
	}
	if index, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		if m := mapVar(ix.info, index.X); m != nil {
			if key, ok := constString(ix.info, index.Index); ok && fl != nil && len(fl.mapDefs[mapKey{m, key}]) > 1 {
				return "assigned in several ways: " + ix.sourceLines(fl.mapDefs[mapKey{m, key}])
			} else if !ok || fl == nil || len(fl.mapDefs[mapKey{m, key}]) == 0 {
				return "an entry of map " + m.Name() + " that no assignment with a constant key sets"
			}
		}
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if fn := ix.callee(fl, call); fn != nil && (fn.Pkg() == nil || !isStdlib(fn.Pkg().Path())) {
			return "returned by " + fn.Name() + ", whose result the analysis does not follow"
		}
	}
	return "computed at run time: " + shortExpr(e)
}

// sourceLines lists the lines of assignments.
func (ix *index) sourceLines(srcs []valueSource) string {
	var lines []string
	for _, src := range srcs {
		pos := token.NoPos
		switch {
		case src.external != nil:
			pos = src.external.Pos()
		case src.rhs != nil:
			pos = src.rhs.Pos()
		}
		if l := ix.shortPos(pos); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "at run time"
	}
	return strings.Join(lines, ", ")
}

// pos converts a position of the package's file set.
func (d *describer) pos(p token.Pos) flowmap.Position {
	if !p.IsValid() {
		return flowmap.Position{}
	}
	posn := d.ix.pass.Fset.Position(p)
	return flowmap.Position{File: posn.Filename, Line: posn.Line, Col: posn.Column}
}

// funcName is pkg.Func or pkg.Type.Method.
func funcName(fn *types.Func) string {
	name := fn.Name()
	if recv := recvTypeName(fn); recv != "" {
		name = recv + "." + name
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// repoPosition converts a position in a Makefile or script; a column
// without a line is dropped.
func repoPosition(p repo.Pos) flowmap.Position {
	if p.Line <= 0 {
		return flowmap.Position{File: p.File}
	}
	return flowmap.Position{File: p.File, Line: p.Line, Col: max(p.Col, 0)}
}

// specSteps are the steps of one package-level declaration.
type specSteps struct {
	name  string
	pos   token.Pos
	steps []dstep
}

// bySpec groups the steps of a file's package-level declarations by the
// declaration they are in: var _ = BeforeSuite(func() { ... }) is the
// flow "pkg BeforeSuite".
func (d *describer) bySpec(fl *flow, steps []dstep) []specSteps {
	var groups []specSteps
	for _, ds := range steps {
		at := ds.st.at.Pos()
		if len(ds.via) > 0 {
			at = ds.via[0].Pos()
		}
		spec := specAt(fl.file, at)
		if spec == nil {
			continue
		}
		i := slices.IndexFunc(groups, func(g specSteps) bool { return g.pos == spec.Pos() })
		if i < 0 {
			i = len(groups)
			groups = append(groups, specSteps{name: d.specName(spec), pos: spec.Pos()})
		}
		groups[i].steps = append(groups[i].steps, ds)
	}
	return groups
}

// specAt returns the package-level value spec of file holding pos.
func specAt(file *ast.File, pos token.Pos) *ast.ValueSpec {
	if file == nil {
		return nil // a flow of no file
	}
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || pos < gd.Pos() || pos >= gd.End() {
			continue
		}
		for _, spec := range gd.Specs {
			if vs, ok := spec.(*ast.ValueSpec); ok && vs.Pos() <= pos && pos < vs.End() {
				return vs
			}
		}
	}
	return nil
}

// specName names a package-level declaration: "e2e BeforeSuite",
// "e2e Describe Manager", "e2e var images".
func (d *describer) specName(spec *ast.ValueSpec) string {
	pkg := d.ix.pass.Pkg.Name()
	if len(spec.Values) == 1 {
		if call, ok := ast.Unparen(spec.Values[0]).(*ast.CallExpr); ok {
			name := shortExpr(call.Fun)
			if len(call.Args) > 0 {
				if s, ok := constString(d.ix.info, call.Args[0]); ok {
					name += " " + strconv.Quote(s)
				}
			}
			return pkg + " " + name
		}
	}
	var names []string
	for _, n := range spec.Names {
		names = append(names, n.Name)
	}
	return pkg + " var " + strings.Join(names, ", ")
}

// lanesHaveSteps reports whether a lane of s other than its setup lane
// has steps of its own.
func (d *describer) lanesHaveSteps(s *suite) bool {
	for _, l := range s.lanes {
		if l != s.setup && len(d.ix.steps(l)) > 0 {
			return true
		}
	}
	return false
}

// lanePos is where a lane's own part starts (the spec, the ordered
// container, the test function), else its first segment.
func lanePos(l *lane) token.Pos {
	if l.head < len(l.segs) && l.head < l.tail {
		return l.segs[l.head].from
	}
	if len(l.segs) > 0 {
		return l.segs[0].from
	}
	return token.NoPos
}
