// The steps of a Go call, by what the callee is: a command runner, a
// printf, a library API, a producer, a function with a summary, or one
// whose name alone says what it does.

package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
)

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
					deploy: deployFor(k.kind, deployInfo{spec: eff&effDeploySpec != 0})})
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
			st := deployStep(call, fn.Name(), deployInfo{field: f.Field, why: "field " + f.Field + " of a struct made elsewhere"})
			st.via = fn
			add(st.withImage(value{}, call.Args[f.Param]))
			deployed = true
		}
	}
	for _, c := range s.Consts {
		add(step{kind: c.Kind, at: call, via: fn, where: c.Where, inner: c.Pos,
			images: []value{{kind: vConst, str: c.Image, site: call}}, exprs: []ast.Expr{nil},
			deploy: deployFor(c.Kind, deployInfo{spec: c.Spec, pullNever: c.PullNever})})
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
		st := deployStep(call, fn.Name(), deployInfo{transparent: !s.Opaque, remote: s.Remote,
			why: fn.Name() + " deploys images its body does not name"})
		st.via = fn
		add(st)
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
	st := step{kind: kind, at: call, via: fn, where: fn.Name(), deploy: deployFor(kind, deployInfo{})}
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
