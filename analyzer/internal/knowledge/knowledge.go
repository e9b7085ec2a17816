// Package knowledge records what the library APIs of Kubernetes E2E suites do
// with container images: e2e-framework, the helm SDK, controller-runtime,
// client-go and the Docker SDK. Like staticcheck's knowledge packages it is a
// table keyed by identity: the FullName of a function's generic origin
// ("sigs.k8s.io/e2e-framework/pkg/envfuncs.LoadImageToCluster",
// "(*sigs.k8s.io/e2e-framework/third_party/kind.Cluster).LoadImage"), never by
// a name a user could also choose. Where a list would be endless (client-go's
// generated typed clients) a rule by package path and method name stands in.
//
// Every entry is checked against the real modules by this package's test.
package knowledge

import (
	"go/types"
	"strconv"
	"strings"
)

// Effect is what a call does with images.
type Effect uint8

const (
	// Build builds an image under the reference(s) at Image.
	Build Effect = iota + 1
	// Retag gives the image at Image the additional reference at Target.
	Retag
	// Save writes the images at Image into an archive (the call's result).
	Save
	// Push pushes the image at Image to its registry.
	Push
	// Load loads the image at Image into the cluster at Cluster, or into
	// the receiver when the method belongs to a cluster.
	Load
	// LoadArchive loads the image archive whose path is at Archive.
	LoadArchive
	// NodeImage takes the kind node image (kindest/node) at Image: never
	// an image under test, so never a build, load or deploy.
	NodeImage
	// Deploy creates, updates, patches or applies the Object (or the
	// Patch) in the cluster.
	Deploy
	// ContainerImage sets the image of a container to the value at Image
	// (apply-configuration setters, and struct fields in LookupField).
	ContainerImage
	// Decode reads manifests into objects: files matching Path in the fs.FS
	// at FS, or the Text. The objects go to the Handler, into the Object, or
	// to the call's results.
	Decode
	// DeployHandler returns a decoder handler that deploys every object it
	// is given.
	DeployHandler
	// ApplyFiles deploys every manifest matching the pattern at Path in the
	// directory at Dir.
	ApplyFiles
	// ChartLoad loads the chart whose path is at Chart.
	ChartLoad
	// HelmInstall installs or upgrades a release: the Chart with the Values
	// (helm SDK), or as the Options say (e2e-framework's helm.Manager).
	HelmInstall
	// HelmOption is an option of e2e-framework's helm.Manager: the chart
	// at Chart, or command-line words at Args ("--set", "k=v", ...).
	HelmOption
	// HelmSet merges "key=value,..." text at Args (helm's --set syntax)
	// into the values map at Values, or holds such text (LookupField).
	HelmSet
	// HelmValuesFile holds paths of values files (helm's -f).
	HelmValuesFile
	// HelmMerge returns the values map its receiver, a values.Options
	// whose fields stand for helm's flags (Field.Flag), gives.
	HelmMerge
	// Step registers the Step function(s) or the Feature(s) into the
	// ordered flow of an e2e-framework suite; Stage says when they run.
	Step
	// NestedField sets the Value in a map under the path of keys at Key:
	// an image when the path, continued inside the Value, ends at an
	// "image" key.
	NestedField
)

var effectNames = [...]string{
	Build: "build", Retag: "retag", Save: "save", Push: "push", Load: "load",
	LoadArchive: "load-archive", NodeImage: "node-image", Deploy: "deploy",
	ContainerImage: "container-image", Decode: "decode", DeployHandler: "deploy-handler",
	ApplyFiles: "apply-files", ChartLoad: "chart-load", HelmInstall: "helm-install",
	HelmOption: "helm-option", HelmSet: "helm-set", HelmValuesFile: "helm-values-file", HelmMerge: "helm-merge",
	Step: "step", NestedField: "nested-field",
}

func (e Effect) String() string {
	if int(e) < len(effectNames) && effectNames[e] != "" {
		return effectNames[e]
	}
	return "Effect(" + strconv.Itoa(int(e)) + ")"
}

// Role is what an argument of a call is to its effect.
type Role uint8

const (
	Image    Role = iota + 1 // an image reference: string, or []string / ...string when Many
	Target                   // Retag: the new reference
	Archive                  // path of an image archive
	Cluster                  // name of a kind cluster
	Object                   // a Kubernetes object: typed, unstructured or apply configuration
	Patch                    // a patch document ([]byte, or the Field of a struct holding it)
	FS                       // an io/fs.FS that Path is relative to
	Path                     // a manifest path or glob pattern
	Dir                      // a directory that Path is relative to
	Text                     // manifest text
	Handler                  // a decoder.HandlerFunc that receives decoded objects
	Chart                    // a helm chart: its path (string) or *chart.Chart
	Values                   // a helm values map[string]interface{}
	Option                   // options of e2e-framework's helm.Manager
	Args                     // helm command-line words or --set text
	StepFunc                 // step functions of an e2e-framework flow
	Feature                  // features of an e2e-framework suite
	Value                    // a value set into nested maps: interface{}, []interface{}, map[string]interface{} or map[string]string
	Key                      // keys of a path into nested maps (...string)
)

var roleNames = [...]string{
	Image: "image", Target: "target", Archive: "archive", Cluster: "cluster",
	Object: "object", Patch: "patch", FS: "fs", Path: "path", Dir: "dir",
	Text: "text", Handler: "handler", Chart: "chart", Values: "values",
	Option: "option", Args: "args", StepFunc: "step", Feature: "feature",
	Value: "value", Key: "key",
}

func (r Role) String() string {
	if int(r) < len(roleNames) && roleNames[r] != "" {
		return roleNames[r]
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// Stage is when the functions registered by a Step run.
type Stage uint8

const (
	// Setup steps run in order before the tests or assessments they
	// prepare (Environment.Setup, BeforeEach*, FeatureBuilder.Setup).
	Setup Stage = iota + 1
	// Test steps are the tests themselves: Environment.Test runs its
	// features, FeatureBuilder.Assess its assessment.
	Test
	// Teardown steps run after them (Finish, AfterEach*, Teardown).
	Teardown
)

// Param locates one argument of a call.
type Param struct {
	Role  Role
	Index int    // argument index; the receiver is not counted
	Field string // non-empty: the value is this field of the struct argument
	Many  bool   // several values: a []string, or a variadic parameter from Index on
}

// API is what one function or method does with images.
type API struct {
	// Func is the FullName of the function's generic origin, or
	// "pkgpath.Name" for a package-level variable holding a function
	// (e2e-framework declares LoadDockerImageToCluster that way).
	Func   string
	Effect Effect
	Stage  Stage   // Step only
	Params []Param // shared with the table: do not modify
}

// Arg returns the parameter of a with role r.
func (a API) Arg(r Role) (Param, bool) {
	for _, p := range a.Params {
		if p.Role == r {
			return p, true
		}
	}
	return Param{}, false
}

// Lookup returns what fn does with images. Methods of generic types are
// looked up by their origin.
func Lookup(fn *types.Func) (API, bool) {
	if fn == nil || fn.Pkg() == nil {
		return API{}, false
	}
	fn = fn.Origin()
	path := fn.Pkg().Path()
	if tablePkgs[path] {
		if api, ok := byName[fn.FullName()]; ok {
			return api, true
		}
	}
	return typedClientRule(fn)
}

// LookupObject is Lookup for the object a call expression calls
// (typeutil.Callee): a function, a method, or a package-level variable
// holding a function.
func LookupObject(obj types.Object) (API, bool) {
	switch obj := obj.(type) {
	case *types.Func:
		return Lookup(obj)
	case *types.Var:
		if obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() || !tablePkgs[obj.Pkg().Path()] {
			return API{}, false
		}
		api, ok := byName[obj.Pkg().Path()+"."+obj.Name()]
		return api, ok
	}
	return API{}, false
}

// Typed clients generated by client-gen (client-go's clientset, and every
// CRD clientset laid out by code-generator) are too many to list. Their
// interfaces live in packages under one of these path prefixes or path
// elements, and all share the write methods below.
const (
	clientGoTypedPrefix = "k8s.io/client-go/kubernetes/typed/"
	generatedTypedElem  = "/clientset/versioned/typed/"
)

// typedClientWrites maps the write methods of a generated typed client to
// the arguments that carry what they write.
var typedClientWrites = map[string][]Param{
	"Create": {{Role: Object, Index: 1}},
	"Update": {{Role: Object, Index: 1}},
	"Apply":  {{Role: Object, Index: 1}},
	"Patch":  {{Role: Patch, Index: 3}},
}

// typedClientRule recognises the write methods of interfaces declared in
// generated typed-client packages, such as
// (k8s.io/client-go/kubernetes/typed/apps/v1.DeploymentInterface).Create.
func typedClientRule(fn *types.Func) (API, bool) {
	params, ok := typedClientWrites[fn.Name()]
	if !ok {
		return API{}, false
	}
	path := fn.Pkg().Path()
	if !strings.HasPrefix(path, clientGoTypedPrefix) && !strings.Contains(path, generatedTypedElem) {
		return API{}, false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return API{}, false
	}
	named, ok := types.Unalias(recv.Type()).(*types.Named)
	if !ok || !types.IsInterface(named) || !strings.HasSuffix(named.Obj().Name(), "Interface") {
		return API{}, false
	}
	return API{Func: fn.FullName(), Effect: Deploy, Params: params}, true
}

// Field is a struct field that carries images or helm values.
type Field struct {
	Struct string // "pkgpath.TypeName" of the struct declaring the field
	Name   string
	Effect Effect // Build, ContainerImage, HelmSet or HelmValuesFile
	Many   bool   // a []string
	// Flag is the helm flag a values.Options field stands for: "--set".
	Flag string
}

// LookupField returns what the field name of the struct type owner carries.
// owner is the struct that declares the field: a composite literal's type,
// or for a selector expression the type FieldOwner returns.
func LookupField(owner types.Type, name string) (Field, bool) {
	named := namedOf(owner)
	if named == nil || named.Obj().Pkg() == nil {
		return Field{}, false
	}
	f, ok := fieldsByName[named.Obj().Pkg().Path()+"."+named.Obj().Name()+"."+name]
	return f, ok
}

// FieldOwner returns the struct type that declares the field selected by
// sel, following embedded fields (x.Image on a corev1.EphemeralContainer
// is declared by EphemeralContainerCommon).
func FieldOwner(sel *types.Selection) types.Type {
	if sel.Kind() != types.FieldVal {
		return nil
	}
	t := sel.Recv()
	index := sel.Index()
	for _, i := range index[:len(index)-1] {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		t = st.Field(i).Type()
	}
	return deref(t)
}

func namedOf(t types.Type) *types.Named {
	named, _ := types.Unalias(deref(t)).(*types.Named)
	return named
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
