package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A summary says what a function does with images, computed once from its
// body: what happens to each parameter, what each result is, the images it
// handles as constants, and whether it forwards its arguments to a
// command. Summaries compose: a function's summary includes what the
// functions it calls do with the values it passes them. Exported functions
// carry theirs to other packages as a fact; unexported ones stay in the
// package's index.
type summary struct {
	Params  []effect      // what happens to each parameter (the receiver excluded)
	Fields  []fieldEffect // what happens to fields of struct parameters
	Results []result      // what each result is
	Consts  []constStep   // image steps on constants inside, capped at maxConstSteps
	Deploys bool          // it deploys something
	Opaque  bool          // some of what it deploys cannot be named
	Remote  bool          // all it deploys are releases published elsewhere (step.remote)
	// Exec is the command line the function runs with its parameters,
	// when it forwards them to os/exec: callers' arguments are then
	// analysed like a direct exec.Command.
	Exec []execPart
}

func (*summary) AFact() {}

// effect is a set of things done to a value.
type effect uint16

const (
	effBuild      effect = 1 << iota // built under that reference
	effLoad                          // loaded into the cluster
	effRetagFrom                     // re-tagged from
	effRetagTo                       // re-tagged to
	effNodeRetag                     // re-tagged inside a Kind node
	effDeploy                        // deployed (container spec, manifest, deploy command or API)
	effDeploySpec                    // written into a container spec or manifest
	effEscape                        // returned or passed where it is not followed
	effStore                         // stored in a field, map, slice, struct or channel
	effLog                           // only printed
	effApply                         // a manifest file or directory applied
	effKustomize                     // a kustomization directory applied
)

var effectNames = []string{"build", "load", "retag-from", "retag-to", "node-retag", "deploy", "spec", "escape", "store", "log", "apply", "kustomize"}

func (e effect) String() string {
	var names []string
	for i, name := range effectNames {
		if e&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, "+")
}

// imageEffects are the steps that make a value an image.
const imageEffects = effBuild | effLoad | effRetagFrom | effRetagTo | effNodeRetag | effDeploy

// fieldEffect is what happens to a field of a struct parameter, or of the
// struct a pointer parameter points to: deploy(o.Image). Suites pass their
// images to helpers in option structs.
type fieldEffect struct {
	Param  int
	Field  string
	Effect effect
}

type resultKind uint8

const (
	resultNone      resultKind = iota
	resultProduced             // an image the function built or loaded (or a producer returned)
	resultGenerated            // a fresh name or tag
	resultParam                // parameter Param, unchanged or normalised
	resultExternal             // a flag or environment value
	resultConst                // the constant Const
)

type result struct {
	Kind  resultKind
	Param int
	Const string
}

// constStep is an image step on a constant, with where it happens, for
// callers' messages and related positions.
type constStep struct {
	Kind      stepKind
	Image     string
	Where     string // "container spec", "podman build", ...
	Pos       string // file:line, for messages across packages
	Spec      bool
	PullNever bool
}

// execPart is one word of a forwarded command line: a constant word, a
// parameter, or a parameter spread as several words.
type execPart struct {
	Word   string
	Param  int // -1 for a constant word
	Spread bool
}

const maxConstSteps = 16

func (s *summary) empty() bool {
	if s.Deploys || s.Opaque || len(s.Consts) > 0 || len(s.Exec) > 0 || len(s.Fields) > 0 {
		return false
	}
	for _, e := range s.Params {
		if e&^effLog != 0 {
			return false
		}
	}
	for _, r := range s.Results {
		if r.Kind != resultNone {
			return false
		}
	}
	return true
}

func (s *summary) String() string {
	var parts []string
	for i, e := range s.Params {
		if e != 0 {
			parts = append(parts, fmt.Sprintf("p%d:%s", i, e))
		}
	}
	for _, f := range s.Fields {
		parts = append(parts, fmt.Sprintf("p%d.%s:%s", f.Param, f.Field, f.Effect))
	}
	for i, r := range s.Results {
		switch r.Kind {
		case resultProduced:
			parts = append(parts, fmt.Sprintf("r%d:produced", i))
		case resultGenerated:
			parts = append(parts, fmt.Sprintf("r%d:generated", i))
		case resultParam:
			parts = append(parts, fmt.Sprintf("r%d:p%d", i, r.Param))
		case resultExternal:
			parts = append(parts, fmt.Sprintf("r%d:external", i))
		case resultConst:
			parts = append(parts, fmt.Sprintf("r%d:%q", i, r.Const))
		}
	}
	for _, c := range s.Consts {
		parts = append(parts, fmt.Sprintf("%s(%q)", c.Kind, c.Image))
	}
	if s.Deploys {
		parts = append(parts, "deploys")
	}
	if s.Opaque {
		parts = append(parts, "opaque")
	}
	if len(s.Exec) > 0 {
		var words []string
		for _, p := range s.Exec {
			switch {
			case p.Param < 0:
				words = append(words, p.Word)
			case p.Spread:
				words = append(words, fmt.Sprintf("p%d...", p.Param))
			default:
				words = append(words, fmt.Sprintf("p%d", p.Param))
			}
		}
		parts = append(parts, "exec["+strings.Join(words, " ")+"]")
	}
	return strings.Join(parts, " ")
}

// summary returns the summary of fn: computed from its body for the
// package's own functions, imported as a fact for others, nil when fn
// does nothing with images or its body cannot be seen.
func (ix *index) summary(fn *types.Func) *summary {
	if s, ok := ix.summaries[fn]; ok {
		return s
	}
	fl := ix.flowOf[fn]
	if fl == nil {
		var s *summary
		if fn.Pkg() != nil && fn.Pkg() != ix.pass.Pkg {
			s = new(summary)
			if !ix.pass.ImportObjectFact(fn, s) {
				s = nil
			}
		}
		ix.summaries[fn] = s
		return s
	}
	if ix.computing[fn] {
		// Recursion: the previous round's answer (nothing in the first);
		// newModel computes rounds until these answers are the fixpoint.
		ix.provisional[fn] = true
		return ix.seed[fn]
	}
	ix.computing[fn] = true
	s := ix.computeSummary(fl)
	delete(ix.computing, fn)
	// Joined with the previous round's, a summary only grows from round
	// to round: the rounds end.
	s = joinSummaries(ix.seed[fn], s)
	if s.empty() {
		s = nil
	}
	ix.summaries[fn] = s
	return s
}

// maxRounds bounds the rounds of newModel. Each round but the last adds
// an effect to a summary, so only a pathological package reaches it;
// the last round's model then stands.
const maxRounds = 16

// newModel indexes the package and computes the summaries of all its
// functions to their least fixpoint over the call graph, before any check
// asks: a check sees the same summaries whatever the order of the
// declarations. Calls outside a recursion are answered by computing the
// callee first; a recursive call is answered with the previous round's
// summary of the callee (nothing in the first round). When some such
// answer differs from the summary the round computed, another round
// starts from a new index with the summaries as they are: memos of the
// index (resolved values, fresh variables, steps) computed from an
// answer that was not final are dropped with it. Packages without
// recursion take one round.
func newModel(pass *analysis.Pass, s *settings) *index {
	var seed map[*types.Func]*summary
	for round := 1; ; round++ {
		ix := newIndex(pass, s)
		ix.seed = seed
		for _, fl := range ix.flows {
			if fl.fn != nil {
				ix.summary(fl.fn)
			}
		}
		if round == maxRounds || ix.converged() {
			return ix
		}
		seed = make(map[*types.Func]*summary)
		for _, fl := range ix.flows {
			if fl.fn != nil {
				seed[fl.fn] = ix.summaries[fl.fn]
			}
		}
	}
}

// converged reports whether every recursive call was answered with the
// summary the round computed for its callee.
func (ix *index) converged() bool {
	for fn := range ix.provisional {
		if !reflect.DeepEqual(ix.summaries[fn], ix.seed[fn]) {
			return false
		}
	}
	return true
}

// joinSummaries returns the summary of a function that may do what a or
// b say (a is the earlier round's, may be nil; b is not).
func joinSummaries(a, b *summary) *summary {
	if a == nil {
		return b
	}
	j := &summary{
		Params:  slices.Clone(a.Params),
		Fields:  slices.Clone(a.Fields),
		Results: slices.Clone(a.Results),
		Consts:  slices.Clone(a.Consts),
		Deploys: a.Deploys || b.Deploys,
		Opaque:  a.Opaque || b.Opaque,
		Exec:    a.Exec,
	}
	for i, e := range b.Params {
		if i < len(j.Params) {
			j.Params[i] |= e
		}
	}
	for _, f := range b.Fields {
		j.addField(f.Param, f.Field, f.Effect)
	}
	for i, r := range b.Results {
		// Produced wins as in summarizeResults; otherwise a known kind
		// is kept.
		if i < len(j.Results) && (j.Results[i].Kind == resultNone || r.Kind == resultProduced) {
			j.Results[i] = r
		}
	}
	for _, c := range b.Consts {
		if len(j.Consts) < maxConstSteps && !slices.Contains(j.Consts, c) {
			j.Consts = append(j.Consts, c)
		}
	}
	if len(j.Exec) == 0 {
		j.Exec = b.Exec
	}
	return j
}

// exportSummaries exports the summaries of the package's exported
// functions that do something with images.
func (ix *index) exportSummaries() {
	for _, fl := range ix.flows {
		// Other packages can only call exported functions, and no package
		// imports a test file.
		if fl.fn == nil || !fl.fn.Exported() || strings.HasSuffix(ix.pass.Fset.File(fl.file.Pos()).Name(), "_test.go") {
			continue
		}
		if s := ix.summary(fl.fn); s != nil {
			ix.pass.ExportObjectFact(fl.fn, s)
		}
	}
}

func (ix *index) computeSummary(fl *flow) *summary {
	sig := fl.fn.Type().(*types.Signature)
	s := &summary{
		Params:  make([]effect, sig.Params().Len()),
		Results: make([]result, sig.Results().Len()),
	}
	steps := ix.steps(fl)
	local := false
	for _, st := range steps {
		d := st.deploy
		if d != nil && d.pathParam != nil {
			if p := paramIndex(sig, d.pathParam); p >= 0 {
				if d.kustomize {
					s.Params[p] |= effKustomize
				} else {
					s.Params[p] |= effApply
				}
			}
		}
		if st.kind == stepDeploy {
			s.Deploys = true
			s.Opaque = s.Opaque || st.opaque()
			local = local || !d.remote
		}
		for i, v := range st.images {
			eff := st.effectOn(i)
			switch v.kind {
			case vParam:
				if p := paramIndex(sig, v.param); p >= 0 {
					s.Params[p] |= eff
				}
			case vUnknown:
				if d != nil && d.field != "" {
					// Options handed on: the field of this function's own parameter.
					if p := paramOf(ix.info, sig, st.exprs[i]); p >= 0 {
						s.addField(p, d.field, eff)
					}
				} else if p, field, ok := paramField(ix.info, sig, st.exprs[i]); ok {
					s.addField(p, field, eff)
				}
			case vConst:
				if len(s.Consts) < maxConstSteps {
					c := constStep{Kind: st.kind, Image: v.str, Where: st.where, Pos: ix.shortPos(st.pos())}
					if d != nil {
						c.Spec, c.PullNever = d.spec, d.pullNever
					}
					s.Consts = append(s.Consts, c)
				}
			}
		}
	}
	for i := range s.Params {
		if p := sig.Params().At(i); ix.tracksReads(p) {
			s.Params[i] |= ix.fate(p) & (effEscape | effStore)
		}
	}
	s.Remote = s.Deploys && !local
	ix.summarizeResults(fl, sig, s, steps)
	s.Exec = ix.execForward(fl, sig)
	return s
}

func (ix *index) summarizeResults(fl *flow, sig *types.Signature, s *summary, steps []step) {
	set := func(i int, v value) {
		if i >= len(s.Results) || s.Results[i].Kind == resultProduced {
			return
		}
		switch {
		case v.kind == vProduced || (v.known() && reachesBuildOrLoad(steps, v)):
			s.Results[i] = result{Kind: resultProduced}
		case v.kind == vGenerated:
			s.Results[i] = result{Kind: resultGenerated}
		case v.kind == vParam:
			if p := paramIndex(sig, v.param); p >= 0 && s.Results[i].Kind == resultNone {
				s.Results[i] = result{Kind: resultParam, Param: p}
			}
		case v.kind == vExternal:
			s.Results[i] = result{Kind: resultExternal}
		}
	}
	for _, ret := range fl.returns[nil] {
		if len(ret.Results) == 0 && sig.Results().Len() > 0 {
			// bare return: the named results are returned
			for i := range sig.Results().Len() {
				set(i, ix.resolveVar(fl, sig.Results().At(i), 0))
			}
			continue
		}
		if len(ret.Results) == 1 && sig.Results().Len() > 1 {
			// return f(...) forwarding all of f's results
			if call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr); ok {
				for i := range sig.Results().Len() {
					set(i, ix.callResult(fl, call, i, 0))
				}
			}
			continue
		}
		for i, res := range ret.Results {
			if t := ix.info.TypeOf(res); t == nil || !(isStringType(t) || ix.s.isImageType(t)) {
				continue
			}
			set(i, ix.resolve(fl, res))
			if i < len(s.Results) && s.Results[i].Kind == resultNone && ix.isFresh(fl, res, 0) {
				s.Results[i] = result{Kind: resultGenerated}
			}
		}
	}
}

func reachesBuildOrLoad(steps []step, v value) bool {
	for _, st := range steps {
		if st.kind != stepBuild && st.kind != stepLoad {
			continue
		}
		for _, w := range st.images {
			if w.same(v) {
				return true
			}
		}
	}
	return false
}

// paramField reports whether e reads a field of a parameter of sig:
// o.Image, or (*o).Image.
func paramField(info *types.Info, sig *types.Signature, e ast.Expr) (int, string, bool) {
	if e == nil {
		return 0, "", false
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return 0, "", false
	}
	if s := info.Selections[sel]; s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
		return 0, "", false // a promoted field: its struct is not the parameter's own
	}
	if p := paramOf(info, sig, sel.X); p >= 0 {
		return p, sel.Sel.Name, true
	}
	return 0, "", false
}

// paramOf returns the index of the parameter of sig that e is (o or *o),
// or -1.
func paramOf(info *types.Info, sig *types.Signature, e ast.Expr) int {
	x := ast.Unparen(e)
	if star, ok := x.(*ast.StarExpr); ok {
		x = ast.Unparen(star.X)
	}
	if id, ok := x.(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok {
			return paramIndex(sig, v)
		}
	}
	return -1
}

// addField records eff on field of parameter p.
func (s *summary) addField(p int, field string, eff effect) {
	for i := range s.Fields {
		if f := &s.Fields[i]; f.Param == p && f.Field == field {
			f.Effect |= eff
			return
		}
	}
	s.Fields = append(s.Fields, fieldEffect{Param: p, Field: field, Effect: eff})
}

func paramIndex(sig *types.Signature, v *types.Var) int {
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}

// producerResult returns the index of the image result of a producer: a
// configured one, or a function whose summary says it returns an image it
// built or loaded.
func (ix *index) producerResult(fn *types.Func) (int, bool) {
	if matchesAny(ix.s.producers, fn) {
		return imageResult(fn), true
	}
	if s := ix.summary(fn); s != nil {
		for i, r := range s.Results {
			if r.Kind == resultProduced {
				return i, true
			}
		}
	}
	return -1, false
}

// imageResult is the first result of fn that is not an error.
func imageResult(fn *types.Func) int {
	res := fn.Type().(*types.Signature).Results()
	for i := range res.Len() {
		if !isError(res.At(i).Type()) {
			return i
		}
	}
	return 0
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// isGenerator reports whether fn returns a fresh name or tag: configured,
// or its summary says so.
func (ix *index) isGenerator(fn *types.Func) bool {
	if matchesAny(ix.s.generators, fn) {
		return true
	}
	if s := ix.summary(fn); s != nil && len(s.Results) > 0 {
		return s.Results[0].Kind == resultGenerated
	}
	return false
}

// paramEffect returns what fn does with its parameter i, through its
// summary.
func (ix *index) paramEffect(fn *types.Func, i int) effect {
	s := ix.summary(fn)
	if s == nil {
		return 0
	}
	sig := fn.Type().(*types.Signature)
	if sig.Variadic() && i >= len(s.Params)-1 && len(s.Params) > 0 {
		return s.Params[len(s.Params)-1]
	}
	if i < len(s.Params) {
		return s.Params[i]
	}
	return 0
}
