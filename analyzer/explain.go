package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
)

// effectWords say what an effect does to a parameter, in effect order.
var effectWords = []struct {
	eff   effect
	words string
}{
	{effBuild, "builds it"},
	{effLoad, "loads it into the cluster"},
	{effRetagFrom, "re-tags it to another name"},
	{effRetagTo, "gives another image this name"},
	{effNodeRetag, "re-tags it inside a Kind node"},
	{effDeploy, "deploys it"},
	{effApply, "applies the manifests at this path"},
	{effKustomize, "applies the kustomization at this path"},
	{effStore, "stores it in a field, map, slice or channel"},
	{effEscape, "passes it where the analysis does not follow"},
}

// effectText says eff in words: "builds it, loads it into the cluster".
func effectText(eff effect) string {
	if eff&^effLog == 0 {
		if eff&effLog != 0 {
			return "only logs it"
		}
		return "nothing the analysis follows"
	}
	var words []string
	for _, w := range effectWords {
		if eff&w.eff == 0 {
			continue
		}
		if w.eff == effDeploy && eff&effDeploySpec != 0 {
			words = append(words, "deploys it in a container spec or manifest")
			continue
		}
		words = append(words, w.words)
	}
	return strings.Join(words, ", ")
}

// explain says in words what the function of fl does with images: with
// each parameter and field, what it returns, the images it names, and what
// its callers in the package pass. Functions that handle no image have no
// explanation.
func (ix *index) explain(fl *flow) (Explanation, bool) {
	s := ix.summary(fl.fn)
	steps := ix.flowSteps(fl)
	if s == nil && len(steps) == 0 {
		return Explanation{}, false
	}
	d := &describer{ix: ix}
	e := Explanation{Name: funcName(fl.fn), Path: fl.fn.Pkg().Path(), Pos: d.pos(fl.decl.Name.Pos())}
	add := func(format string, args ...any) { e.Lines = append(e.Lines, fmt.Sprintf(format, args...)) }
	sig := fl.fn.Type().(*types.Signature)
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		var eff effect
		if s != nil && i < len(s.Params) {
			eff = s.Params[i]
		}
		if ix.tracksReads(p) {
			eff |= ix.fate(p)
		} else if eff == 0 {
			continue // neither a string nor an image: fields are below
		}
		add("parameter %s: %s", paramName(p, i), effectText(eff))
	}
	if s != nil {
		for _, f := range s.Fields {
			if f.Param < sig.Params().Len() {
				add("field %s of parameter %s: %s", f.Field, paramName(sig.Params().At(f.Param), f.Param), effectText(f.Effect))
			}
		}
		for i, r := range s.Results {
			switch r.Kind {
			case resultProduced:
				add("result %d: the image it builds or loads", i+1)
			case resultGenerated:
				add("result %d: a fresh name or tag, new on every call", i+1)
			case resultParam:
				if r.Param < sig.Params().Len() {
					add("result %d: its parameter %s", i+1, paramName(sig.Params().At(r.Param), r.Param))
				}
			case resultExternal:
				add("result %d: a flag or environment value", i+1)
			case resultConst:
				add("result %d: the constant %q", i+1, r.Const)
			}
		}
		if len(s.Exec) > 0 {
			var words []string
			for _, part := range s.Exec {
				switch {
				case part.Param < 0:
					words = append(words, part.Word)
				case part.Param < sig.Params().Len():
					name := "<" + paramName(sig.Params().At(part.Param), part.Param) + ">"
					if part.Spread {
						name += "..."
					}
					words = append(words, name)
				}
			}
			add("runs the command line: %s", strings.Join(words, " "))
		}
	}
	for i := range steps {
		st := &steps[i]
		var refs []string
		for j, v := range st.images {
			var x ast.Expr
			if j < len(st.exprs) {
				x = st.exprs[j]
			}
			refs = append(refs, d.ref(v, x, fl).Text)
		}
		what := strings.Join(refs, " -> ")
		if what == "" {
			what = "(no image named)"
			if st.opaque() && st.deploy.why != "" {
				what += ": " + st.deploy.why
			}
		}
		add("%s %s: %s at %s", st.kind, what, st.viaWhere(), ix.shortPos(d.stepPos(st)))
	}
	for _, c := range ix.callers[fl.fn] {
		add("%s", ix.callLine(d, fl.fn, c.fl, c.cs.call))
	}
	return e, true
}

// callLine says who calls fn at call, in caller, and what it passes for
// fn's string and image parameters.
func (ix *index) callLine(d *describer, fn *types.Func, caller *flow, call *ast.CallExpr) string {
	sig := fn.Type().(*types.Signature)
	var passed []string
	for i, arg := range call.Args {
		if i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
			break
		}
		p := sig.Params().At(i)
		if t := p.Type(); !isStringType(t) && !ix.s.isImageType(t) {
			continue
		}
		passed = append(passed, paramName(p, i)+" = "+d.ref(ix.resolve(caller, arg), arg, caller).Text)
	}
	name := "package-level declarations"
	if caller.fn != nil {
		name = funcName(caller.fn)
	}
	line := fmt.Sprintf("called by %s at %s", name, ix.shortPos(call.Pos()))
	if len(passed) > 0 {
		line += ", passing " + strings.Join(passed, ", ")
	}
	return line
}

// externalCalls returns, for each function of another package whose
// summary says it handles images, the calls of it in this package: its
// explanation, written in its own package, cannot see them.
func (ix *index) externalCalls(d *describer) []Explanation {
	var out []Explanation
	at := make(map[*types.Func]int)
	for _, fl := range ix.flows {
		if fl.lane != nil {
			continue // a lane's calls are its segments' flows'
		}
		for i := range fl.calls {
			call := fl.calls[i].call
			fn := ix.staticCallee(call)
			if fn == nil || fn.Pkg() == nil || fn.Pkg() == ix.pass.Pkg || ix.summary(fn) == nil {
				continue
			}
			j, ok := at[fn]
			if !ok {
				j = len(out)
				at[fn] = j
				out = append(out, Explanation{Name: funcName(fn), Path: fn.Pkg().Path()})
			}
			out[j].Lines = append(out[j].Lines, ix.callLine(d, fn, fl, call))
		}
	}
	return out
}

func paramName(p *types.Var, i int) string {
	if p.Name() == "" || p.Name() == "_" {
		return fmt.Sprintf("#%d", i+1)
	}
	return p.Name()
}
