package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
)

// api returns what the library function call calls does with images, by
// identity: a function, a method, or a package-level variable holding a
// function (e2e-framework's envfuncs.LoadDockerImageToCluster).
func (ix *index) api(call *ast.CallExpr) (knowledge.API, bool) {
	return knowledge.LookupObject(typeutil.Callee(ix.info, call))
}

// apiSteps adds the steps of a call of a library API.
func (ix *index) apiSteps(fl *flow, call *ast.CallExpr, api knowledge.API, add func(step)) {
	where := api.Func[strings.LastIndexAny(api.Func, "./")+1:]
	st := step{at: call, where: where}
	images := func(r knowledge.Role) {
		for _, e := range ix.argExprs(fl, call, api, r) {
			st.images = append(st.images, ix.resolve(fl, e))
			st.exprs = append(st.exprs, e)
		}
	}
	switch api.Effect {
	case knowledge.Build:
		st.kind = stepBuild
		images(knowledge.Image)
	case knowledge.Retag:
		st.kind = stepRetag
		images(knowledge.Image)
		images(knowledge.Target)
		if len(st.images) != 2 {
			return
		}
	case knowledge.Save:
		st.kind = stepSave
		images(knowledge.Image)
	case knowledge.Load:
		st.kind = stepLoad
		images(knowledge.Image)
	case knowledge.LoadArchive:
		st.kind = stepLoad
		if archives := ix.argExprs(fl, call, api, knowledge.Archive); len(archives) > 0 {
			st.archive = ix.resolve(fl, archives[0])
		}
	case knowledge.ContainerImage:
		st.kind, st.deploy = stepDeploy, &deployInfo{spec: true}
		images(knowledge.Image)
	case knowledge.NestedField:
		// SetNestedField(container, img, "image"), SetNestedSlice(obj,
		// []interface{}{map[string]interface{}{"image": img}}, ...,
		// "containers"): the path must be constant, and the image is what
		// it, continued inside the value, sets under an "image" key.
		keys := ix.argExprs(fl, call, api, knowledge.Key)
		if call.Ellipsis.IsValid() || len(keys) == 0 {
			return
		}
		path := make([]string, len(keys))
		for i, k := range keys {
			s, ok := constString(ix.info, k)
			if !ok {
				return
			}
			path[i] = s
		}
		for _, e := range ix.argExprs(fl, call, api, knowledge.Value) {
			for _, img := range ix.nestedImages(fl, e, path, 0) {
				v := ix.resolve(fl, img)
				if v.kind == vConst && parsedRef(v.str).err != nil {
					continue // "image": "true" of some custom resource: no reference
				}
				st.images = append(st.images, v)
				st.exprs = append(st.exprs, img)
			}
		}
		if len(st.images) == 0 {
			return
		}
		st.kind, st.deploy = stepDeploy, &deployInfo{spec: true}
	case knowledge.Deploy:
		objects := ix.argExprs(fl, call, api, knowledge.Object)
		if len(objects) == 0 {
			objects = ix.argExprs(fl, call, api, knowledge.Patch)
		}
		st.kind, st.deploy = stepDeploy, &deployInfo{}
		carries := false
		for _, obj := range objects {
			exprs, ok := ix.objectImages(fl, obj)
			carries = carries || ok
			for _, e := range exprs {
				st.images = append(st.images, ix.resolve(fl, e))
				st.exprs = append(st.exprs, e)
			}
		}
		if !carries {
			return // a Service, a ConfigMap: nothing that runs an image
		}
		if len(st.images) == 0 && len(objects) > 0 {
			st.deploy.why = "the object it deploys, " + shortExpr(objects[0]) + ", is made where its images are not followed"
		}
	case knowledge.ApplyFiles:
		dir, pattern := ix.argString(fl, call, api, knowledge.Dir), ix.argString(fl, call, api, knowledge.Path)
		ix.fileSteps(fl, call, where, joinPattern(dir, pattern), false, add)
		return
	case knowledge.Decode:
		if !ix.deploysDecoded(fl, call, api) {
			return
		}
		fsDir := ix.dirFS(fl, ix.argExprs(fl, call, api, knowledge.FS))
		if text := ix.argExprs(fl, call, api, knowledge.Text); len(text) > 0 {
			return // a manifest in a Go string: its images are a string constant's steps
		}
		ix.fileSteps(fl, call, where, joinPattern(fsDir, ix.argString(fl, call, api, knowledge.Path)), false, add)
		return
	case knowledge.HelmInstall:
		ix.helmInstallSteps(fl, call, api, add)
		return
	case knowledge.Step:
		ix.stepFuncSteps(fl, call, api, add)
		return
	default:
		return
	}
	add(st)
}

// nestedImages returns the expressions that e, set into an unstructured
// object's maps under path, puts under an "image" key: e itself when path
// ends in one, else the image entries of the map and slice literals it is.
// What sits under metadata (labels, annotations) is never an image.
func (ix *index) nestedImages(fl *flow, e ast.Expr, path []string, depth int) []ast.Expr {
	if depth > maxYAMLDepth || slices.Contains(path, "metadata") {
		return nil
	}
	if len(path) > 0 && path[len(path)-1] == "image" {
		if t := ix.info.TypeOf(e); t == nil || !isStringType(t) {
			return nil // image: {repository: ..., tag: ...}: parts, not a reference
		}
		return []ast.Expr{e}
	}
	lit := ix.literalOf(fl, e)
	if lit == nil {
		return nil // built at run time: what it holds is not followed
	}
	var out []ast.Expr
	switch ix.info.TypeOf(lit).Underlying().(type) {
	case *types.Map:
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if key, ok := constString(ix.info, kv.Key); ok {
				out = append(out, ix.nestedImages(fl, kv.Value, append(slices.Clip(path), key), depth+1)...)
			}
		}
	case *types.Slice:
		for _, elt := range lit.Elts {
			out = append(out, ix.nestedImages(fl, elt, path, depth+1)...)
		}
	}
	return out
}

// argExprs returns the expressions of call that play role r: the argument,
// a field of a struct literal argument, the elements of a slice literal or
// of the variadic tail.
func (ix *index) argExprs(fl *flow, call *ast.CallExpr, api knowledge.API, r knowledge.Role) []ast.Expr {
	var out []ast.Expr
	for _, p := range api.Params {
		if p.Role != r || p.Index >= len(call.Args) {
			continue
		}
		args := []ast.Expr{call.Args[p.Index]}
		if p.Many && p.Field == "" && !call.Ellipsis.IsValid() {
			if _, isSlice := ix.info.TypeOf(call.Args[p.Index]).Underlying().(*types.Slice); !isSlice {
				args = call.Args[p.Index:] // the variadic tail
			}
		}
		for _, a := range args {
			if p.Field != "" {
				a = ix.fieldOf(fl, a, p.Field)
				if a == nil {
					continue
				}
			}
			if p.Many {
				if lit := ix.literalOf(fl, a); lit != nil {
					out = append(out, lit.Elts...)
					continue
				}
				if _, isSlice := ix.info.TypeOf(a).Underlying().(*types.Slice); isSlice {
					continue // a slice built at run time: its elements cannot be named
				}
			}
			out = append(out, a)
		}
	}
	return out
}

// literalOf returns the composite literal e is, points to, or a local
// variable assigned once holds.
func (ix *index) literalOf(fl *flow, e ast.Expr) *ast.CompositeLit {
	for range maxResolveDepth {
		switch x := ast.Unparen(e).(type) {
		case *ast.CompositeLit:
			return x
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil
			}
			e = x.X
		case *ast.Ident:
			rhs, ok := ix.assignedOnce(x, false)
			if !ok {
				return nil
			}
			e = rhs
		default:
			return nil
		}
	}
	return nil
}

// assignedOnce returns what the local variable id names is assigned, when
// it is assigned exactly once; with firstResult, also the call whose first
// result it is (v, err := f()).
func (ix *index) assignedOnce(id *ast.Ident, firstResult bool) (ast.Expr, bool) {
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok || ix.paramOf[v] != nil {
		return nil, false
	}
	srcs := ix.defs[v]
	if len(srcs) != 1 || srcs[0].rhs == nil || srcs[0].index > 0 || (srcs[0].index == 0 && !firstResult) {
		return nil, false
	}
	return srcs[0].rhs, true
}

// fieldOf returns the value of field name in the struct literal e is.
func (ix *index) fieldOf(fl *flow, e ast.Expr, name string) ast.Expr {
	lit := ix.literalOf(fl, e)
	if lit == nil {
		return nil
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
				return kv.Value
			}
		}
	}
	return nil
}

// argString returns the constant string of the argument with role r.
func (ix *index) argString(fl *flow, call *ast.CallExpr, api knowledge.API, r knowledge.Role) string {
	for _, e := range ix.argExprs(fl, call, api, r) {
		if v := ix.resolve(fl, e); v.kind == vConst {
			return v.str
		}
	}
	return ""
}

// objectImages returns the image expressions of an object a call deploys:
// the Image of its containers and the image string fields of a custom
// resource, and whether the object's type can run images at all.
func (ix *index) objectImages(fl *flow, obj ast.Expr) ([]ast.Expr, bool) {
	t := ix.info.TypeOf(obj)
	if t == nil {
		return nil, true
	}
	lit := ix.literalOf(fl, obj)
	if lit == nil {
		return nil, carriesImages(t, 0)
	}
	var out []ast.Expr
	var walk func(*ast.CompositeLit, int)
	walk = func(lit *ast.CompositeLit, depth int) {
		if depth > maxYAMLDepth {
			return
		}
		st, _ := ix.info.TypeOf(lit).Underlying().(*types.Struct)
		for _, elt := range lit.Elts {
			value := elt
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				value = kv.Value
				if id, ok := kv.Key.(*ast.Ident); ok && st != nil {
					if f, ok := ix.info.Uses[id].(*types.Var); ok && isImageField(st, f) {
						out = append(out, value)
						continue
					}
				}
			}
			if inner := ix.literalOf(fl, value); inner != nil {
				walk(inner, depth+1)
			}
		}
	}
	walk(lit, 0)
	return out, len(out) > 0 || carriesImages(t, 0)
}

// isImageField reports whether f, a field of st, names the image a
// workload runs: a string field called Image or ...Image, or one whose
// JSON name is "image".
func isImageField(st *types.Struct, f *types.Var) bool {
	if !isStringType(f.Type()) {
		return false
	}
	if f.Name() == "Image" || strings.HasSuffix(f.Name(), "Image") {
		return true
	}
	for i := range st.NumFields() {
		if st.Field(i) == f {
			name, _, _ := strings.Cut(reflect.StructTag(st.Tag(i)).Get("json"), ",")
			return name == "image"
		}
	}
	return false
}

// carriesImages reports whether values of t can hold a container image:
// a struct with an image field or a container somewhere inside, or a type
// that cannot be seen through (an interface, an unstructured object).
func carriesImages(t types.Type, depth int) bool {
	if depth > 12 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return carriesImages(u.Elem(), depth+1)
	case *types.Slice:
		return carriesImages(u.Elem(), depth+1)
	case *types.Array:
		return carriesImages(u.Elem(), depth+1)
	case *types.Interface:
		return true
	case *types.Map:
		// map[string]interface{} (unstructured) may; labels do not.
		return carriesImages(u.Elem(), depth+1)
	case *types.Struct:
		if isContainerType(t) {
			return true
		}
		for i := range u.NumFields() {
			f := u.Field(i)
			if isImageField(u, f) || carriesImages(f.Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

// deploysDecoded reports whether a decode call deploys what it reads: its
// handler is one that creates or updates objects.
func (ix *index) deploysDecoded(fl *flow, call *ast.CallExpr, api knowledge.API) bool {
	for _, h := range ix.argExprs(fl, call, api, knowledge.Handler) {
		if hc, ok := ast.Unparen(h).(*ast.CallExpr); ok {
			if a, ok := ix.api(hc); ok && a.Effect == knowledge.DeployHandler {
				return true
			}
		}
	}
	return false
}

// dirFS returns the directory an fs.FS argument opens: os.DirFS("dir").
func (ix *index) dirFS(fl *flow, fsys []ast.Expr) string {
	for _, e := range fsys {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			continue
		}
		if fn := ix.callee(fl, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "os" && fn.Name() == "DirFS" {
			if v := ix.resolve(fl, call.Args[0]); v.kind == vConst {
				return v.str
			}
		}
	}
	return ""
}

func joinPattern(dir, pattern string) string {
	switch {
	case pattern == "":
		return ""
	case dir == "":
		return pattern
	}
	return strings.TrimSuffix(dir, "/") + "/" + pattern
}

// stepFuncSteps adds, at their place in the list, the steps of functions
// an e2e-framework step list names by value: env.Setup(deploy) runs
// deploy's steps there. Calls and literals in the list are the flow's own.
func (ix *index) stepFuncSteps(fl *flow, call *ast.CallExpr, api knowledge.API, add func(step)) {
	for _, r := range []knowledge.Role{knowledge.StepFunc, knowledge.Feature} {
		for _, e := range ix.argExprs(fl, call, api, r) {
			switch ast.Unparen(e).(type) {
			case *ast.Ident, *ast.SelectorExpr:
			default:
				continue
			}
			fn := ix.funcValue(e)
			if fn == nil {
				continue
			}
			if s := ix.summary(fn); s != nil {
				ix.summarySteps(fl, &ast.CallExpr{Fun: e, Lparen: e.End(), Rparen: e.End()}, fn, s, add)
			}
		}
	}
}

// helmInstallSteps adds the deploy step of a helm install through the SDK
// (a chart and a values map) or e2e-framework's helm.Manager (options
// that make a helm command line).
func (ix *index) helmInstallSteps(fl *flow, call *ast.CallExpr, api knowledge.API, add func(step)) {
	if _, sdk := api.Arg(knowledge.Values); sdk {
		chart := ""
		for _, c := range ix.argExprs(fl, call, api, knowledge.Chart) {
			chart = ix.chartPath(fl, c)
		}
		var slots []ast.Expr
		var sources []ast.Node
		h := &command.HelmArgs{Installs: true}
		for _, vals := range ix.argExprs(fl, call, api, knowledge.Values) {
			if opts := ix.mergedOptions(fl, vals); opts != nil {
				slots = ix.optionsFlags(fl, opts, h, slots)
				sources = append(sources, opts)
				continue
			}
			if ix.literalOf(fl, vals) == nil && !isNil(vals) {
				// Values computed elsewhere may set anything.
				h.Unparsed = append(h.Unparsed, command.Dyn(0))
			}
			h.Sets = append(h.Sets, ix.valuesSets(fl, vals, nil, &slots)...)
		}
		ix.helmStep(fl, call, "helm install", chart, h, slots, add, sources...)
		return
	}
	// helm.Manager: helm MODE NAME CHART ARGS..., as getCommand builds it.
	b := argvBuilder{ix: ix, fl: fl}
	var name, chart, release []command.Word
	var args []command.Word
	for _, opt := range ix.argExprs(fl, call, api, knowledge.Option) {
		oc, ok := ast.Unparen(opt).(*ast.CallExpr)
		if !ok {
			continue
		}
		fn := ix.callee(fl, oc)
		if fn == nil || len(oc.Args) == 0 {
			continue
		}
		switch fn.Name() {
		case "WithName":
			name = []command.Word{b.word(oc.Args[0], 0)}
		case "WithChart":
			chart = []command.Word{b.word(oc.Args[0], 0)}
		case "WithReleaseName":
			release = []command.Word{b.word(oc.Args[0], 0)}
		case "WithArgs":
			// The manager joins everything into one string that its
			// process runner splits on blanks again.
			for _, a := range oc.Args {
				args = append(args, splitBlanks(b.word(a, 0))...)
			}
		}
	}
	if chart == nil {
		chart = release
	}
	argv := append([]command.Word{command.Lit("helm"), command.Lit("install")}, name...)
	argv = append(append(argv, chart...), args...)
	ix.commandSteps(fl, call, argv, b.slots, add)
}

// mergedOptions returns the values.Options literal whose MergeValues
// result e is (through a variable assigned once), or nil.
func (ix *index) mergedOptions(fl *flow, e ast.Expr) *ast.CompositeLit {
	for range maxResolveDepth {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			rhs, ok := ix.assignedOnce(x, true)
			if !ok {
				return nil
			}
			e = rhs
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			if api, known := ix.api(x); !ok || !known || api.Effect != knowledge.HelmMerge {
				return nil
			}
			return ix.literalOf(fl, sel.X)
		default:
			return nil
		}
	}
	return nil
}

// optionsFlags adds to h what the fields of a values.Options literal give,
// each as the helm flag it stands for; slots grows with the run-time
// parts of their words.
func (ix *index) optionsFlags(fl *flow, opts *ast.CompositeLit, h *command.HelmArgs, slots []ast.Expr) []ast.Expr {
	b := argvBuilder{ix: ix, fl: fl, slots: slots}
	for _, elt := range opts.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		f, ok := knowledge.LookupField(ix.info.TypeOf(opts), key.Name)
		if !ok || f.Flag == "" {
			continue
		}
		list := ix.literalOf(fl, kv.Value)
		if list == nil {
			h.Unparsed = append(h.Unparsed, b.slot(kv.Value)) // built at run time: may set anything
			continue
		}
		for _, el := range list.Elts {
			h.Flag(f.Flag, b.word(el, 0))
		}
	}
	return b.slots
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// splitBlanks splits the literal parts of w at blanks, as a process runner
// that re-parses a joined command line does.
func splitBlanks(w command.Word) []command.Word {
	var out []command.Word
	var cur command.Word
	for _, p := range w {
		if p.Slot != command.Literal {
			cur = append(cur, p)
			continue
		}
		fields := strings.Fields(p.Text)
		if len(fields) == 0 {
			if len(cur) > 0 && strings.TrimSpace(p.Text) == "" && p.Text != "" {
				out, cur = append(out, cur), nil
			}
			continue
		}
		for i, f := range fields {
			if i > 0 || startsBlank(p.Text) {
				if len(cur) > 0 {
					out, cur = append(out, cur), nil
				}
			}
			cur = append(cur, command.Part{Text: f, Slot: command.Literal})
		}
		if endsBlank(p.Text) {
			out, cur = append(out, cur), nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func startsBlank(s string) bool { return s != "" && strings.TrimLeft(s, " \t\n") != s }
func endsBlank(s string) bool   { return s != "" && strings.TrimRight(s, " \t\n") != s }

// chartPath returns the constant path of a chart argument: a string, or
// the *chart.Chart a loader call loaded from a constant path.
func (ix *index) chartPath(fl *flow, e ast.Expr) string {
	if v := ix.resolve(fl, e); v.kind == vConst {
		return v.str
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return ""
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok {
		return ""
	}
	for _, src := range ix.defs[v] {
		call, ok := ast.Unparen(src.rhs).(*ast.CallExpr)
		if !ok {
			continue
		}
		if api, ok := ix.api(call); ok && api.Effect == knowledge.ChartLoad {
			return ix.argString(src.fl, call, api, knowledge.Chart)
		}
	}
	return ""
}

// valuesSets returns the leaves of a helm values map literal as --set
// assignments, their run-time values as slots.
func (ix *index) valuesSets(fl *flow, e ast.Expr, prefix []string, slots *[]ast.Expr) []command.Set {
	lit := ix.literalOf(fl, e)
	if lit == nil {
		return nil
	}
	var sets []command.Set
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := constString(ix.info, kv.Key)
		if !ok {
			continue
		}
		path := append(append([]string(nil), prefix...), key)
		if inner := ix.literalOf(fl, kv.Value); inner != nil {
			if _, isMap := ix.info.TypeOf(inner).Underlying().(*types.Map); isMap {
				sets = append(sets, ix.valuesSets(fl, inner, path, slots)...)
				continue
			}
		}
		var w command.Value
		if s, ok := constString(ix.info, kv.Value); ok {
			w = command.Lit(s)
		} else {
			*slots = append(*slots, kv.Value)
			w = command.Dyn(len(*slots) - 1)
		}
		sets = append(sets, command.Set{Key: path, Value: w})
	}
	return sets
}
