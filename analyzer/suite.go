package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
)

// A test suite runs its code in an order of its framework's choosing, not
// the order it is written in: Ginkgo runs BeforeSuite, then for each spec
// its containers' BeforeAll and BeforeEach, then the It; go test runs
// TestMain up to (*testing.M).Run, then each Test function. The suite
// model turns that order into lanes: a lane is one sequence of steps that
// runs in that order (the suite's setup, then one spec, or one ordered
// container's specs, or one Test function, then the teardown). The checks
// see each lane as a flow. A step inside a node's body is judged in the
// lanes that run it, never in the function or file that declares it, so
// a step in one It never meets a step of a sibling It.

// suiteNode is a call of a Ginkgo node function and the function literals
// it runs.
type suiteNode struct {
	kind     knowledge.Node
	call     *ast.CallExpr
	bodies   []*ast.FuncLit
	parent   *suiteNode
	children []*suiteNode // in source order
	ordered  bool         // an Ordered container: its specs run in sequence
}

// segment is a part of a flow's steps that a lane runs: the steps inside
// one node body (minus the nodes nested in it), a test function's, or
// TestMain's setup or teardown part.
type segment struct {
	fl       *flow
	from, to token.Pos
	part     segPart
	body     *ast.FuncLit // segBody: the node body
}

type segPart uint8

const (
	segBody      segPart = iota // a node's body, less the nodes nested in it
	segFunc                     // a test function, less every node body
	segMainSetup                // TestMain before it runs the tests, less teardown registrations
	segMainAfter                // TestMain after it runs the tests, and its teardown registrations
)

// suite is the run order of one package's tests.
type suite struct {
	nodes map[*ast.CallExpr]*suiteNode
	// bodies are every node body, pending ones too: no lane runs those.
	bodies []*ast.FuncLit
	// mainFlow is TestMain's flow, when it does anything with images
	// (walk skips it otherwise, and the tests stay flows of their own).
	mainFlow *flow
	runAt    token.Pos // TestMain's call of the tests; steps after it are teardown
	tests    []*flow   // Test functions, judged in lanes after TestMain's setup
	lanes    []*flow
	// setup is the lane that runs only the suite's setup and teardown.
	setup *flow
	// byBody memoises bodySteps: the indices of a flow's steps by the
	// innermost node body they are in, nil for none.
	byBody map[*flow]map[*ast.FuncLit][]int
}

// lane is what a lane flow runs.
type lane struct {
	s        *suite
	segs     []segment
	head     int    // segs[:head] are the suite's setup, shared by every lane
	setup    int    // the lane's first steps, from segs[:head]
	tail     int    // segs[tail:] are its teardown
	describe string // what the lane runs, for messages: "It at e2e_test.go:144"
}

// buildSuite finds the package's Ginkgo nodes and go test functions and
// adds one flow per lane. A package with neither is left as it is.
func (ix *index) buildSuite() {
	s := &suite{nodes: make(map[*ast.CallExpr]*suiteNode)}
	var roots []*suiteNode
	for _, fl := range ix.flows {
		for i := range fl.calls {
			cs := &fl.calls[i]
			kind, ok := knowledge.GinkgoNode(typeutil.Callee(ix.info, cs.call))
			if !ok {
				continue
			}
			n := &suiteNode{kind: kind, call: cs.call, parent: s.enclosingNode(cs.cur)}
			for _, arg := range cs.call.Args {
				switch arg := ast.Unparen(arg).(type) {
				case *ast.FuncLit:
					n.bodies = append(n.bodies, arg)
				default:
					if tv, ok := ix.info.Types[arg]; ok && knowledge.IsOrdered(tv.Type, tv.Value) {
						n.ordered = true
					}
				}
			}
			s.nodes[cs.call] = n
			s.bodies = append(s.bodies, n.bodies...)
			if n.parent != nil {
				n.parent.children = append(n.parent.children, n)
			} else {
				roots = append(roots, n)
			}
		}
	}
	for _, fl := range ix.flows {
		if fl.fn == nil {
			continue
		}
		switch knowledge.GoTestOf(fl.fn, ix.pass.Fset.File(fl.decl.Pos()).Name()) {
		case knowledge.GoTestMain:
			s.mainFlow = fl
			s.runAt = ix.testsRunAt(fl)
		case knowledge.GoTestFunc:
			s.tests = append(s.tests, fl)
		}
	}
	if len(s.nodes) == 0 && s.mainFlow == nil {
		return
	}
	ix.suite = s
	var head, tail []segment
	if s.mainFlow != nil {
		d := s.mainFlow.decl
		head = append(head, segment{fl: s.mainFlow, from: d.Pos(), to: d.End(), part: segMainSetup})
		tail = append(tail, segment{fl: s.mainFlow, from: d.Pos(), to: d.End(), part: segMainAfter})
	}
	for _, n := range roots {
		switch n.kind {
		case knowledge.SuiteSetup:
			head = append(head, ix.nodeSegments(n)...)
		case knowledge.SuiteTeardown:
			tail = append(ix.nodeSegments(n), tail...)
		}
	}
	for _, n := range roots {
		if n.kind == knowledge.SuiteSetup {
			tail = append(ix.cleanups(n), tail...)
		}
	}
	add := func(describe string, own []segment) {
		segs := append(append(slices.Clip(head), own...), tail...)
		l := &lane{s: s, segs: segs, head: len(head), tail: len(head) + len(own), describe: describe}
		fl := &flow{lane: l}
		s.lanes = append(s.lanes, fl)
		ix.flows = append(ix.flows, fl)
	}
	add("the suite's setup", nil)
	s.setup = s.lanes[0]
	var units func(n *suiteNode, outer []*suiteNode)
	units = func(n *suiteNode, outer []*suiteNode) {
		switch {
		case n.kind == knowledge.Container && n.ordered:
			add(ix.nodeWhere(n), ix.orderedSegments(n, outer))
		case n.kind == knowledge.Container:
			for _, c := range n.children {
				units(c, append(slices.Clip(outer), n))
			}
		case n.kind == knowledge.Subject:
			add(ix.nodeWhere(n), ix.specSegments(n, outer))
		}
	}
	for _, n := range roots {
		units(n, nil)
	}
	if s.mainFlow != nil {
		for _, t := range s.tests {
			add(t.fn.Name(), []segment{{fl: t, from: t.decl.Pos(), to: t.decl.End(), part: segFunc}})
		}
	}
}

// enclosingNode returns the node whose body c is in, if any: walk saw
// outer calls first, so it is known already.
func (s *suite) enclosingNode(c inspector.Cursor) *suiteNode {
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); !ok {
			continue
		}
		if call, ok := p.Parent().Node().(*ast.CallExpr); ok {
			if n := s.nodes[call]; n != nil {
				return n
			}
		}
	}
	return nil
}

// testsRunAt returns where TestMain runs the tests: its call of
// (*testing.M).Run, or of a function it hands its *testing.M to
// (e2e-framework's env.Run(m) calls m.Run). Without one, no test runs.
func (ix *index) testsRunAt(fl *flow) token.Pos {
	var m *types.Var
	if params := fl.fn.Signature().Params(); params.Len() == 1 {
		m = params.At(0)
	}
	for i := range fl.calls {
		call := fl.calls[i].call
		if knowledge.IsRunTests(ix.staticCallee(call)) {
			return call.Pos()
		}
		for _, arg := range call.Args {
			if id, ok := ast.Unparen(arg).(*ast.Ident); ok && m != nil && ix.info.Uses[id] == m {
				return call.Pos()
			}
		}
	}
	return fl.decl.End()
}

// nodeSegments are the bodies of n.
func (ix *index) nodeSegments(n *suiteNode) []segment {
	var segs []segment
	fl := ix.flowAt(n.call.Pos())
	for _, b := range n.bodies {
		segs = append(segs, segment{fl: fl, from: b.Pos(), to: b.End(), part: segBody, body: b})
	}
	return segs
}

// cleanups are the DeferCleanup bodies registered in n's bodies: they run
// when n is done, the last registered first.
func (ix *index) cleanups(n *suiteNode) []segment {
	var segs []segment
	for _, c := range n.children {
		if c.kind == knowledge.Cleanup {
			segs = append(ix.nodeSegments(c), segs...)
		}
	}
	return segs
}

// specSegments is one spec's run: the BeforeEach of its containers,
// outermost first, their JustBeforeEach, the spec, then JustAfterEach and
// AfterEach innermost first, and what the spec deferred.
func (ix *index) specSegments(spec *suiteNode, outer []*suiteNode) []segment {
	var segs []segment
	each := func(kind knowledge.Node, reverse bool) {
		for i := range outer {
			c := outer[i]
			if reverse {
				c = outer[len(outer)-1-i]
			}
			for _, n := range c.children {
				if n.kind == kind {
					segs = append(segs, ix.nodeSegments(n)...)
				}
			}
		}
	}
	each(knowledge.BeforeEach, false)
	each(knowledge.JustBeforeEach, false)
	segs = append(segs, ix.nodeSegments(spec)...)
	segs = append(segs, ix.cleanups(spec)...)
	each(knowledge.JustAfterEach, true)
	each(knowledge.AfterEach, true)
	return segs
}

// orderedSegments is an ordered container's run: its BeforeAll, each of
// its specs in turn (nested containers' too), its AfterAll.
func (ix *index) orderedSegments(c *suiteNode, outer []*suiteNode) []segment {
	var segs []segment
	inner := append(slices.Clip(outer), c)
	for _, n := range c.children {
		if n.kind == knowledge.BeforeAll {
			segs = append(segs, ix.nodeSegments(n)...)
		}
	}
	for _, n := range c.children {
		switch n.kind {
		case knowledge.Subject:
			segs = append(segs, ix.specSegments(n, inner)...)
		case knowledge.Container:
			segs = append(segs, ix.orderedSegments(n, inner)...)
		}
	}
	for _, n := range c.children {
		if n.kind == knowledge.BeforeAll || n.kind == knowledge.AfterAll {
			segs = append(segs, ix.cleanups(n)...)
		}
	}
	for _, n := range c.children {
		if n.kind == knowledge.AfterAll {
			segs = append(segs, ix.nodeSegments(n)...)
		}
	}
	return segs
}

// nodeWhere names a node for messages: "It at e2e_test.go:144".
func (ix *index) nodeWhere(n *suiteNode) string {
	name := n.kind.String()
	if obj := typeutil.Callee(ix.info, n.call); obj != nil {
		name = obj.Name()
	}
	p := ix.pass.Fset.Position(n.call.Pos())
	return name + " at " + filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// flowAt returns the function or file flow that declares pos.
func (ix *index) flowAt(pos token.Pos) *flow {
	var file *flow
	for _, fl := range ix.flows {
		switch {
		case fl.lane != nil:
		case fl.decl != nil:
			if fl.decl.Pos() <= pos && pos < fl.decl.End() {
				return fl
			}
		case fl.file != nil && fl.file.FileStart <= pos && pos < fl.file.FileEnd:
			file = fl
		}
	}
	return file
}

// inSuite reports whether the step at pos of fl is run by the suite's
// lanes, not by fl itself: it is in a node's body, or fl is a test
// function that runs after TestMain's setup.
func (s *suite) inSuite(fl *flow, pos token.Pos) bool {
	if s == nil {
		return false
	}
	if s.mainFlow != nil && (fl == s.mainFlow || slices.Contains(s.tests, fl)) {
		return true
	}
	for _, b := range s.bodies {
		if b.Pos() <= pos && pos < b.End() {
			return true
		}
	}
	return false
}

// steps lists the image steps fl is judged on: a lane's, in run order; a
// function's or file's, without those the suite runs elsewhere.
func (ix *index) steps(fl *flow) []step {
	if fl.lane != nil {
		return ix.laneSteps(fl)
	}
	all := ix.flowSteps(fl)
	s := ix.suite
	if s == nil {
		// A test function is run by go test: after what its recipe did.
		if fl.own == nil {
			own := all
			if fl.fn != nil && knowledge.GoTestOf(fl.fn, ix.pass.Fset.File(fl.decl.Pos()).Name()) == knowledge.GoTestFunc {
				if pre := ix.preludeSteps(all); len(pre) > 0 {
					own = append(pre, all...)
				}
			}
			fl.own = &own
		}
		return *fl.own
	}
	if fl.own == nil {
		var own []step
		if s.mainFlow == nil || (fl != s.mainFlow && !slices.Contains(s.tests, fl)) {
			for _, i := range ix.bodySteps(fl)[nil] {
				own = append(own, all[i])
			}
		}
		fl.own = &own
	}
	return *fl.own
}

// laneSteps concatenates the steps of a lane's segments. A lane whose own
// part has no step is the setup lane's business: it has none.
func (ix *index) laneSteps(fl *flow) []step {
	if fl.steps != nil {
		return *fl.steps
	}
	l := fl.lane
	var steps []step
	own := 0
	for i, seg := range l.segs {
		all := ix.flowSteps(seg.fl)
		for _, j := range ix.bodySteps(seg.fl)[seg.body] {
			st := all[j]
			if p := st.at.Pos(); p < seg.from || p >= seg.to || !ix.runsIn(seg, p) {
				continue
			}
			if i >= l.head && i < l.tail {
				own++
			}
			if i < l.head {
				l.setup++
			}
			if st.deploy != nil && st.deploy.written != nil {
				if ev := ix.laneRestore(l, i, st.at.Pos(), st.deploy.written.abs); ev != nil {
					for _, w := range st.deploy.written.steps {
						steps = append(steps, w.restoredAt(spanOf(ev.cs.call)))
					}
					continue
				}
			}
			steps = append(steps, st)
		}
	}
	if own == 0 && fl != l.s.setup {
		steps = nil
	}
	if pre := ix.preludeSteps(steps); len(pre) > 0 {
		// The suite runs after what its recipe did: part of its setup.
		steps = append(pre, steps...)
		l.setup += len(pre)
	}
	fl.steps = &steps
	return steps
}

// suiteDeploys returns the deploys fl's build and load steps are held to:
// its own, or for the suite's setup lane, every lane's, as the setup
// prepares every spec.
func (ix *index) suiteDeploys(fl *flow, own []*step) []*step {
	if fl.lane == nil || fl != fl.lane.s.setup {
		return own
	}
	deploys := own
	for _, other := range fl.lane.s.lanes[1:] {
		steps := ix.steps(other)
		for j := range steps {
			if steps[j].kind == stepDeploy {
				deploys = append(deploys, &steps[j])
			}
		}
	}
	return deploys
}

// setupElsewhere reports whether the step i of fl is the suite's setup,
// judged once in the setup lane, while fl is another lane.
func (ix *index) setupElsewhere(fl *flow, i int) bool {
	return fl.lane != nil && fl != fl.lane.s.setup && i < fl.lane.setup
}

// inNode names, for a lane's messages, the node or test function that
// runs pos: " in BeforeSuite", " in TestMain". Outside lanes it is "".
func (ix *index) inNode(fl *flow, pos token.Pos) string {
	if fl.lane == nil {
		return ""
	}
	s := fl.lane.s
	var inner *suiteNode
	for _, n := range s.nodes {
		for _, b := range n.bodies {
			if b.Pos() <= pos && pos < b.End() && (inner == nil || b.Pos() > inner.call.Pos()) {
				inner = n
			}
		}
	}
	if inner != nil {
		return " in " + typeutil.Callee(ix.info, inner.call).Name()
	}
	if home := ix.flowAt(pos); home != nil && home.fn != nil && (home == s.mainFlow || slices.Contains(s.tests, home)) {
		return " in " + home.fn.Name()
	}
	return ""
}

// heldBySuite reports whether v, judged in the suite's setup lane, is held
// by a package variable of a test file that only the suite's code assigns
// and reads: it goes nowhere the lanes do not see, so it does not escape.
func (ix *index) heldBySuite(fl *flow, v value) bool {
	if fl.lane == nil || fl != fl.lane.s.setup {
		return false
	}
	h, ok := v.holder.(*types.Var)
	if !ok || !isPackageLevel(h) || !strings.HasSuffix(ix.pass.Fset.File(h.Pos()).Name(), "_test.go") {
		return false
	}
	// Every mention, in functions walk skipped too: assignments and reads.
	s := fl.lane.s
	for id, obj := range ix.info.Uses {
		if obj != h {
			continue
		}
		if home := ix.flowAt(id.Pos()); home == nil || home.decl == nil || !s.inSuite(home, id.Pos()) {
			return false // a helper's, or another package-level value's
		}
	}
	return true
}

// flowNoun names what fl is, for messages.
func flowNoun(fl *flow) string {
	if fl.lane != nil && fl == fl.lane.s.setup {
		return "suite"
	}
	return "flow"
}

// nodeBodyAt returns the innermost node body around p, nil for none.
func (ix *index) nodeBodyAt(p token.Pos) *ast.FuncLit {
	var inner *ast.FuncLit
	for _, b := range ix.suite.bodies {
		if b.Pos() <= p && p < b.End() && (inner == nil || b.Pos() > inner.Pos()) {
			inner = b
		}
	}
	return inner
}

// bodySteps returns the indices of fl's steps by the innermost node body
// they are in, nil for none: a body segment runs exactly its own.
func (ix *index) bodySteps(fl *flow) map[*ast.FuncLit][]int {
	s := ix.suite
	if by, ok := s.byBody[fl]; ok {
		return by
	}
	if s.byBody == nil {
		s.byBody = make(map[*flow]map[*ast.FuncLit][]int)
	}
	by := make(map[*ast.FuncLit][]int)
	for i, st := range ix.flowSteps(fl) {
		inner := ix.nodeBodyAt(st.at.Pos())
		by[inner] = append(by[inner], i)
	}
	s.byBody[fl] = by
	return by
}

// runsIn reports whether the step at p, outside every node body, runs as
// part of the function segment seg: TestMain's setup or teardown part.
func (ix *index) runsIn(seg segment, p token.Pos) bool {
	s := ix.suite
	switch seg.part {
	case segMainSetup:
		return p < s.runAt && !ix.teardownStage(seg.fl, p)
	case segMainAfter:
		return p >= s.runAt || ix.teardownStage(seg.fl, p)
	}
	return true
}

// teardownStage reports whether p is in the arguments of a call that
// registers teardown functions into an e2e-framework suite (Finish,
// AfterEachTest): they run after the tests, wherever they are written.
func (ix *index) teardownStage(fl *flow, p token.Pos) bool {
	for i := range fl.calls {
		call := fl.calls[i].call
		if call.Lparen <= p && p < call.Rparen && knowledge.StepStage(ix.staticCallee(call)) == knowledge.Teardown {
			return true
		}
	}
	return false
}
