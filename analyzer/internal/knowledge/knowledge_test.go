package knowledge

import (
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"
)

// ecosystemDir is the module that requires the real versions of every
// library in the table.
var ecosystemDir = filepath.Join("..", "..", "..", "testdata", "ecosystem")

// Packages loaded besides those the table names: aliases and embedding
// interfaces through which user code reaches the table's functions, and
// client-go typed clients for the rule.
var extraPkgs = []string{
	"sigs.k8s.io/e2e-framework/support",
	"sigs.k8s.io/e2e-framework/support/kind",
	"sigs.k8s.io/e2e-framework/pkg/env",
	"k8s.io/client-go/kubernetes/typed/apps/v1",
	"k8s.io/client-go/kubernetes/typed/core/v1",
	"k8s.io/client-go/kubernetes/typed/batch/v1",
	"k8s.io/client-go/gentype",
	ginkgo,
	"testing",
}

var (
	loadOnce sync.Once
	loaded   map[string]*types.Package
	loadErr  error
)

// realPackages type-checks the packages of the table (from export data) at
// the versions testdata/ecosystem requires. Its go.sum is complete: on a
// machine whose module cache lacks them, go downloads them through the proxy.
func realPackages(t *testing.T) map[string]*types.Package {
	t.Helper()
	loadOnce.Do(func() {
		want := map[string]bool{}
		for _, api := range table {
			want[pkgOf(api.Func)] = true
		}
		for _, f := range fields {
			want[f.Struct[:strings.LastIndexByte(f.Struct, '.')]] = true
		}
		for _, p := range extraPkgs {
			want[p] = true
		}
		patterns := make([]string, 0, len(want))
		for p := range want {
			patterns = append(patterns, p)
		}
		sort.Strings(patterns)
		cfg := &packages.Config{
			Mode: packages.NeedName | packages.NeedTypes,
			Dir:  ecosystemDir,
			Env:  append(os.Environ(), "GOFLAGS=-mod=readonly"),
		}
		pkgs, err := packages.Load(cfg, patterns...)
		if err != nil {
			loadErr = err
			return
		}
		loaded = map[string]*types.Package{}
		var errs []string
		for _, p := range pkgs {
			for _, e := range p.Errors {
				errs = append(errs, e.Error())
			}
			loaded[p.PkgPath] = p.Types
		}
		if len(errs) > 0 {
			loadErr = fmt.Errorf("loading %s:\n%s", ecosystemDir, strings.Join(errs, "\n"))
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// resolve finds the object a table key names: "path.F", "path.V",
// "(path.T).M" or "(*path.T).M".
func resolve(pkgs map[string]*types.Package, fullName string) (types.Object, error) {
	pkg := pkgs[pkgOf(fullName)]
	if pkg == nil {
		return nil, fmt.Errorf("package %s not loaded", pkgOf(fullName))
	}
	if !strings.HasPrefix(fullName, "(") {
		name := fullName[len(pkg.Path())+1:]
		obj := pkg.Scope().Lookup(name)
		if obj == nil {
			return nil, fmt.Errorf("%s: no %s in %s", fullName, name, pkg.Path())
		}
		return obj, nil
	}
	recv, name, _ := strings.Cut(fullName[1:], ").")
	ptr := strings.HasPrefix(recv, "*")
	typeName := recv[strings.LastIndexByte(recv, '.')+1:]
	tn, ok := pkg.Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("%s: no type %s in %s", fullName, typeName, pkg.Path())
	}
	typ := tn.Type()
	if ptr {
		typ = types.NewPointer(typ)
	}
	obj, _, _ := types.LookupFieldOrMethod(typ, false, pkg, name)
	fn, ok := obj.(*types.Func)
	if !ok {
		return nil, fmt.Errorf("%s: %s has no method %s", fullName, recv, name)
	}
	// The method must be declared on that very type with that receiver:
	// not promoted from an embedded one, not (T).M for a (*T).M.
	if fn.FullName() != fullName {
		return nil, fmt.Errorf("%s resolves to %s", fullName, fn.FullName())
	}
	return fn, nil
}

// signatureOf returns the signature of a function or of a package-level
// variable holding one.
func signatureOf(obj types.Object) (*types.Signature, error) {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Signature(), nil
	case *types.Var:
		if obj.Parent() != obj.Pkg().Scope() {
			return nil, fmt.Errorf("%s is not a package-level variable", obj.Name())
		}
		if sig, ok := obj.Type().Underlying().(*types.Signature); ok {
			return sig, nil
		}
	}
	return nil, fmt.Errorf("%s is not a function", obj.Name())
}

// paramNames lists the parameter names the real APIs use for each role, so
// that an index pointing at another parameter of the same type fails.
// Object, StepFunc and Feature are told apart by type alone.
var paramNames = map[Role][]string{
	Image:   {"image", "imageIDs", "images", "ref", "source", "value", "options"},
	Target:  {"target", "ref", "options"},
	Archive: {"imageArchive", "archivePath"},
	Cluster: {"name", "clusterName"},
	Patch:   {"data", "patch"},
	FS:      {"fsys"},
	Path:    {"pattern", "manifestPath"},
	Dir:     {"dirPath", "crdPath"},
	Text:    {"rawManifest"},
	Handler: {"handlerFn"},
	Chart:   {"chrt", "chart", "name", "dir", "releaseName"},
	Values:  {"vals", "dest"},
	Option:  {"opts"},
	Args:    {"args", "s"},
	Value:   {"value"},
	Key:     {"fields"},
}

// verify checks that api describes its function in pkgs.
func verify(pkgs map[string]*types.Package, api API) error {
	obj, err := resolve(pkgs, api.Func)
	if err != nil {
		return err
	}
	sig, err := signatureOf(obj)
	if err != nil {
		return err
	}
	if err := verifyEffect(api, sig); err != nil {
		return fmt.Errorf("%s: %v", api.Func, err)
	}
	for _, p := range api.Params {
		if err := verifyParam(sig, p); err != nil {
			return fmt.Errorf("%s: %s at %d: %v", api.Func, p.Role, p.Index, err)
		}
	}
	return nil
}

// required lists, per effect, the roles of which one set must be present.
var required = map[Effect][][]Role{
	Build:          {{Image}},
	Retag:          {{Image, Target}},
	Save:           {{Image}},
	Push:           {{Image}},
	Load:           {{Image}},
	LoadArchive:    {{Archive}},
	NodeImage:      {{Image}},
	Deploy:         {{Object}, {Patch}},
	ContainerImage: {{Image}},
	Decode:         {{FS, Path}, {Text, Object}},
	DeployHandler:  {{}},
	ApplyFiles:     {{Dir, Path}},
	ChartLoad:      {{Chart}},
	HelmInstall:    {{Chart, Values}, {Option}},
	HelmOption:     {{Chart}, {Args}},
	HelmSet:        {{Args, Values}},
	HelmMerge:      {{}},
	Step:           {{StepFunc}, {Feature}},
	NestedField:    {{Value, Key}},
}

func verifyEffect(api API, sig *types.Signature) error {
	sets, ok := required[api.Effect]
	if !ok {
		return fmt.Errorf("unknown effect %v", api.Effect)
	}
	if (api.Effect == Step) != (api.Stage != 0) {
		return fmt.Errorf("stage %d with effect %v", api.Stage, api.Effect)
	}
	satisfied := slices.ContainsFunc(sets, func(set []Role) bool {
		return !slices.ContainsFunc(set, func(r Role) bool { _, ok := api.Arg(r); return !ok })
	})
	if !satisfied {
		return fmt.Errorf("effect %v needs one of the role sets %v", api.Effect, sets)
	}
	switch api.Effect {
	case DeployHandler:
		if sig.Results().Len() != 1 || !isNamed(sig.Results().At(0).Type(), e2eDecoder, "HandlerFunc") {
			return fmt.Errorf("does not return a decoder.HandlerFunc")
		}
	case ChartLoad:
		if sig.Results().Len() == 0 || !isChart(sig.Results().At(0).Type()) {
			return fmt.Errorf("does not return a *chart.Chart")
		}
	case HelmMerge:
		if sig.Recv() == nil || !isNamed(deref(sig.Recv().Type()), "helm.sh/helm/v3/pkg/cli/values", "Options") {
			return fmt.Errorf("is not a method of values.Options")
		}
		if sig.Results().Len() == 0 || sig.Results().At(0).Type().String() != "map[string]interface{}" {
			return fmt.Errorf("does not return a values map")
		}
	}
	return nil
}

func verifyParam(sig *types.Signature, p Param) error {
	params := sig.Params()
	if p.Index < 0 || p.Index >= params.Len() {
		return fmt.Errorf("out of range: %d parameters", params.Len())
	}
	v := params.At(p.Index)
	if p.Field == "" {
		if names, ok := paramNames[p.Role]; ok && !slices.Contains(names, v.Name()) {
			return fmt.Errorf("parameter %q is not a %s (known names %v)", v.Name(), p.Role, names)
		}
	}
	typ := v.Type()
	variadic := sig.Variadic() && p.Index == params.Len()-1
	if p.Field != "" {
		if variadic {
			return fmt.Errorf("field %s of a variadic parameter", p.Field)
		}
		f, err := structField(typ, p.Field)
		if err != nil {
			return err
		}
		typ = f.Type()
	}
	if p.Many {
		s, ok := typ.Underlying().(*types.Slice)
		if !ok {
			return fmt.Errorf("Many, but %s is not a slice", typ)
		}
		typ = s.Elem()
	} else if variadic {
		return fmt.Errorf("variadic %s, but not Many", typ)
	}
	if !roleType(p.Role, typ) {
		return fmt.Errorf("type %s does not fit", typ)
	}
	return nil
}

func structField(t types.Type, name string) (*types.Var, error) {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("%s is not a struct", t)
	}
	for i := range st.NumFields() {
		if f := st.Field(i); f.Name() == name && !f.Embedded() {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%s has no field %s", t, name)
}

// roleType reports whether a value of type t can play role r.
func roleType(r Role, t types.Type) bool {
	switch r {
	case Image, Target, Archive, Cluster, Path, Dir, Text, Args, Key:
		return isString(t)
	case Value:
		switch u := t.Underlying().(type) {
		case *types.Slice:
			return isEmptyInterface(u.Elem())
		case *types.Map:
			return isString(u.Key()) && (isEmptyInterface(u.Elem()) || isString(u.Elem()))
		}
		return isEmptyInterface(t)
	case Chart:
		return isString(t) || isChart(t)
	case Values:
		m, ok := t.Underlying().(*types.Map)
		if !ok || !isString(m.Key()) {
			return false
		}
		iface, ok := m.Elem().Underlying().(*types.Interface)
		return ok && iface.Empty()
	case Object:
		// client.Object, k8s.Object, runtime.ApplyConfiguration, or a
		// pointer to a typed, unstructured or apply-configuration struct;
		// not context.Context.
		if named := namedOf(t); named != nil && types.IsInterface(named) {
			name := named.Obj().Name()
			return name == "Object" || name == "ApplyConfiguration"
		}
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			return false
		}
		_, ok = p.Elem().Underlying().(*types.Struct)
		return ok
	case Patch:
		s, ok := t.Underlying().(*types.Slice)
		return ok && types.Identical(s.Elem(), types.Typ[types.Byte])
	case FS:
		return isNamed(t, "io/fs", "FS")
	case Handler:
		return isNamed(t, e2eDecoder, "HandlerFunc")
	case Option:
		return isNamed(t, e2eHelm, "Option")
	case StepFunc:
		_, ok := t.Underlying().(*types.Signature)
		return ok
	case Feature:
		return isNamed(t, e2eTypes, "Feature")
	}
	return false
}

func isEmptyInterface(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	return ok && iface.Empty()
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.String
}

func isChart(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok && isNamed(deref(t), "helm.sh/helm/v3/pkg/chart", "Chart")
}

func isNamed(t types.Type, path, name string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == path && named.Obj().Name() == name
}

func TestTableMatchesRealModules(t *testing.T) {
	pkgs := realPackages(t)
	seen := map[string]bool{}
	for _, api := range table {
		if seen[api.Func] {
			t.Errorf("%s: listed twice", api.Func)
		}
		seen[api.Func] = true
		if err := verify(pkgs, api); err != nil {
			t.Error(err)
		}
	}
}

func TestVerifyRejectsMistakes(t *testing.T) {
	pkgs := realPackages(t)
	load := byName[envfuncs+".LoadImageToCluster"]
	tests := []struct {
		name string
		api  API
	}{
		{"typo in the name", fn(envfuncs+".LoadImageToClustr", Load, arg(Cluster, 0), arg(Image, 1))},
		{"swapped indexes of two strings", fn(load.Func, Load, arg(Cluster, 1), arg(Image, 0))},
		{"index past the end", fn(load.Func, Load, arg(Cluster, 0), arg(Image, 3))},
		{"variadic without Many", fn(load.Func, Load, arg(Cluster, 0), arg(Image, 2))},
		{"value receiver for a pointer method", method(e2eKind+".Cluster", "LoadImage", Load, arg(Image, 1))},
		{"method promoted, not declared", method(crClient+".Client", "Create", Deploy, arg(Object, 1))},
		{"context as object", method(crClient+".Writer", "Create", Deploy, arg(Object, 0))},
		{"missing field", method("*"+mobyClient+".Client", "ImageBuild", Build, in(Image, 2, "Tag", true))},
		{"values of the wrong type", method("*"+helmAction+".Install", "Run", HelmInstall, arg(Chart, 0), arg(Values, 0))},
		{"effect without its roles", fn(load.Func, Load, arg(Cluster, 0))},
		{"stage without step", API{Func: load.Func, Effect: Load, Stage: Setup, Params: load.Params}},
		{"handler that is none", fn(e2eDecoder+".DecodeString", DeployHandler)},
	}
	for _, tt := range tests {
		if err := verify(pkgs, tt.api); err == nil {
			t.Errorf("%s: verify accepted %+v", tt.name, tt.api)
		}
	}
}

func TestFieldsMatchRealModules(t *testing.T) {
	pkgs := realPackages(t)
	for _, f := range fields {
		path := f.Struct[:strings.LastIndexByte(f.Struct, '.')]
		tn, ok := pkgs[path].Scope().Lookup(f.Struct[len(path)+1:]).(*types.TypeName)
		if !ok {
			t.Errorf("%s: no such type", f.Struct)
			continue
		}
		v, err := structField(tn.Type(), f.Name)
		if err != nil {
			t.Errorf("%s: %v", f.Struct, err)
			continue
		}
		typ := v.Type()
		if f.Many {
			s, ok := typ.(*types.Slice)
			if !ok {
				t.Errorf("%s.%s: Many, but %s", f.Struct, f.Name, typ)
				continue
			}
			typ = s.Elem()
		}
		if !isString(typ) {
			t.Errorf("%s.%s: %s is not a string", f.Struct, f.Name, typ)
		}
		if got, ok := LookupField(tn.Type(), f.Name); !ok || got != f {
			t.Errorf("LookupField(%s, %s) = %+v, %v", f.Struct, f.Name, got, ok)
		}
	}
}

// methodOf returns the method name of the named type path.typeName as a
// call through a value of that type resolves it.
func methodOf(t *testing.T, pkgs map[string]*types.Package, path, typeName, name string) *types.Func {
	t.Helper()
	tn, ok := pkgs[path].Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		t.Fatalf("no type %s.%s", path, typeName)
	}
	typ := tn.Type()
	if !types.IsInterface(typ) {
		typ = types.NewPointer(typ)
	}
	obj, _, _ := types.LookupFieldOrMethod(typ, false, tn.Pkg(), name)
	fn, ok := obj.(*types.Func)
	if !ok {
		t.Fatalf("no method %s on %s.%s", name, path, typeName)
	}
	return fn
}

// TestCallsResolve checks the identities user code reaches: through
// aliases, embedded interfaces and function variables.
func TestCallsResolve(t *testing.T) {
	pkgs := realPackages(t)
	tests := []struct {
		path, typeName, method string
		want                   string
	}{
		{crClient, "Client", "Create", "(" + crClient + ".Writer).Create"},
		{crClient, "WithWatch", "Patch", "(" + crClient + ".Writer).Patch"},
		{"sigs.k8s.io/e2e-framework/support", "E2EClusterProviderWithImageLoader", "LoadImage",
			"(" + e2eTypes + ".E2EClusterProviderWithImageLoader).LoadImage"},
		{"sigs.k8s.io/e2e-framework/support/kind", "Cluster", "LoadImage", "(*" + e2eKind + ".Cluster).LoadImage"},
		{"sigs.k8s.io/e2e-framework/pkg/env", "Environment", "Setup", "(" + e2eTypes + ".Environment).Setup"},
		{dockerClient, "APIClient", "ImageBuild", "(" + dockerClient + ".ImageAPIClient).ImageBuild"},
		{mobyClient, "APIClient", "ImageBuild", "(" + mobyClient + ".ImageBuildAPIClient).ImageBuild"},
		{mobyClient, "APIClient", "ImageTag", "(" + mobyClient + ".ImageAPIClient).ImageTag"},
	}
	for _, tt := range tests {
		fn := methodOf(t, pkgs, tt.path, tt.typeName, tt.method)
		api, ok := Lookup(fn)
		if !ok || api.Func != tt.want || fn.FullName() != tt.want {
			t.Errorf("%s.%s.%s resolves to %s; Lookup = %q, %v; want %s",
				tt.path, tt.typeName, tt.method, fn.FullName(), api.Func, ok, tt.want)
		}
	}

	// LoadDockerImageToCluster is a variable: calls reach a *types.Var.
	v := pkgs[envfuncs].Scope().Lookup("LoadDockerImageToCluster")
	if _, isVar := v.(*types.Var); !isVar {
		t.Fatalf("envfuncs.LoadDockerImageToCluster is a %T now; the table keys it as a variable", v)
	}
	if api, ok := LookupObject(v); !ok || api.Effect != Load {
		t.Errorf("LookupObject(LoadDockerImageToCluster) = %+v, %v", api, ok)
	}
	if _, ok := Lookup(pkgs[envfuncs].Scope().Lookup("LoadImageToCluster").(*types.Func)); !ok {
		t.Error("Lookup(LoadImageToCluster) failed")
	}
	// A local variable holding the same function is not the API.
	local := types.NewVar(0, pkgs[envfuncs], "LoadDockerImageToCluster", v.Type())
	if _, ok := LookupObject(local); ok {
		t.Error("LookupObject accepted a variable outside package scope")
	}

	// Functions outside the table.
	for _, name := range []string{"CreateNamespace", "DestroyCluster", "GetClusterFromContext"} {
		if api, ok := LookupObject(pkgs[envfuncs].Scope().Lookup(name)); ok {
			t.Errorf("Lookup(envfuncs.%s) = %+v", name, api)
		}
	}
	if api, ok := Lookup(methodOf(t, pkgs, crClient, "Client", "Get")); ok {
		t.Errorf("Lookup(client.Reader.Get) = %+v", api)
	}
}

// TestTypedClientRule checks the rule on every interface of client-go's
// typed packages loaded: each write method is recognised with parameters
// that verify, and nothing else is.
func TestTypedClientRule(t *testing.T) {
	pkgs := realPackages(t)
	var matched int
	for _, path := range extraPkgs {
		if !strings.HasPrefix(path, clientGoTypedPrefix) {
			continue
		}
		scope := pkgs[path].Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || !types.IsInterface(tn.Type()) {
				continue
			}
			mset := types.NewMethodSet(tn.Type())
			for i := range mset.Len() {
				fn := mset.At(i).Obj().(*types.Func)
				api, ok := Lookup(fn)
				_, isWrite := typedClientWrites[fn.Name()]
				wantMatch := isWrite && fn.Pkg().Path() == path && strings.HasSuffix(name, "Interface")
				if ok != wantMatch {
					t.Errorf("Lookup(%s) = %v, want %v", fn.FullName(), ok, wantMatch)
					continue
				}
				if !ok {
					continue
				}
				matched++
				api.Func = fn.FullName()
				if err := verify(pkgs, api); err != nil {
					t.Error(err)
				}
			}
		}
	}
	// apps/v1, core/v1 and batch/v1 declare over 20 resource interfaces.
	if matched < 4*20 {
		t.Errorf("the rule matched %d methods; the typed packages were not walked", matched)
	}

	// The generic implementation behind the interfaces is not matched:
	// only calls through the interfaces are.
	create := methodOf(t, pkgs, "k8s.io/client-go/gentype", "Client", "Create")
	if api, ok := Lookup(create); ok {
		t.Errorf("Lookup(%s) = %+v", create.FullName(), api)
	}
}

func TestPkgOf(t *testing.T) {
	for in, want := range map[string]string{
		"sigs.k8s.io/e2e-framework/pkg/envfuncs.LoadImageToCluster":              "sigs.k8s.io/e2e-framework/pkg/envfuncs",
		"(*sigs.k8s.io/e2e-framework/third_party/kind.Cluster).LoadImage":        "sigs.k8s.io/e2e-framework/third_party/kind",
		"(sigs.k8s.io/controller-runtime/pkg/client.Writer).Create":              "sigs.k8s.io/controller-runtime/pkg/client",
		"(*github.com/docker/docker/client.Client).ImageBuild":                   "github.com/docker/docker/client",
		"(k8s.io/client-go/kubernetes/typed/apps/v1.DeploymentInterface).Create": "k8s.io/client-go/kubernetes/typed/apps/v1",
	} {
		if got := pkgOf(in); got != want {
			t.Errorf("pkgOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStrings(t *testing.T) {
	if Build.String() != "build" || Step.String() != "step" || Effect(200).String() != "Effect(200)" {
		t.Errorf("Effect.String: %v %v %v", Build, Step, Effect(200))
	}
	if Image.String() != "image" || Feature.String() != "feature" || Role(0).String() != "Role(0)" {
		t.Errorf("Role.String: %v %v %v", Image, Feature, Role(0))
	}
	for e := Build; e <= Step; e++ {
		if strings.HasPrefix(e.String(), "Effect(") {
			t.Errorf("effect %d has no name", e)
		}
	}
	for r := Image; r <= Feature; r++ {
		if strings.HasPrefix(r.String(), "Role(") {
			t.Errorf("role %d has no name", r)
		}
	}
}
