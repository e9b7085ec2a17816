package knowledge

import (
	"strings"
)

// Versions the table was written and verified against (the test loads them
// from testdata/ecosystem): sigs.k8s.io/e2e-framework v0.7.0,
// helm.sh/helm/v3 v3.22.0, sigs.k8s.io/controller-runtime v0.25.3,
// k8s.io/client-go v0.37.2, github.com/docker/docker v28.5.2+incompatible,
// github.com/moby/moby/client v0.6.3.

const (
	envfuncs    = "sigs.k8s.io/e2e-framework/pkg/envfuncs"
	e2eTypes    = "sigs.k8s.io/e2e-framework/pkg/types"
	e2eFeatures = "sigs.k8s.io/e2e-framework/pkg/features"
	e2eKind     = "sigs.k8s.io/e2e-framework/third_party/kind"
	e2eK3d      = "sigs.k8s.io/e2e-framework/third_party/k3d"
	e2eHelm     = "sigs.k8s.io/e2e-framework/third_party/helm"
	e2eDecoder  = "sigs.k8s.io/e2e-framework/klient/decoder"
	e2eRes      = "sigs.k8s.io/e2e-framework/klient/k8s/resources"

	helmAction  = "helm.sh/helm/v3/pkg/action"
	helmLoader  = "helm.sh/helm/v3/pkg/chart/loader"
	helmStrvals = "helm.sh/helm/v3/pkg/strvals"
	helmValues  = "helm.sh/helm/v3/pkg/cli/values"

	crClient = "sigs.k8s.io/controller-runtime/pkg/client"
	crUtil   = "sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	clientGoDynamic = "k8s.io/client-go/dynamic"
	applyCoreV1     = "k8s.io/client-go/applyconfigurations/core/v1"
	coreV1          = "k8s.io/api/core/v1"
	unstructured    = "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	dockerClient = "github.com/docker/docker/client"
	dockerBuild  = "github.com/docker/docker/api/types/build"
	mobyClient   = "github.com/moby/moby/client"
)

func arg(r Role, i int) Param  { return Param{Role: r, Index: i} }
func many(r Role, i int) Param { return Param{Role: r, Index: i, Many: true} }

func in(r Role, i int, field string, isMany bool) Param {
	return Param{Role: r, Index: i, Field: field, Many: isMany}
}

func fn(name string, e Effect, params ...Param) API {
	return API{Func: name, Effect: e, Params: params}
}

func method(recv, name string, e Effect, params ...Param) API {
	return API{Func: "(" + recv + ")." + name, Effect: e, Params: params}
}

func step(recv, name string, s Stage, p Param) API {
	return API{Func: "(" + recv + ")." + name, Effect: Step, Stage: s, Params: []Param{p}}
}

var table = []API{
	// e2e-framework: envfuncs. LoadDockerImageToCluster is a variable
	// holding LoadImageToCluster. The provider ignores args.
	fn(envfuncs+".LoadImageToCluster", Load, arg(Cluster, 0), arg(Image, 1)),
	fn(envfuncs+".LoadDockerImageToCluster", Load, arg(Cluster, 0), arg(Image, 1)),
	fn(envfuncs+".LoadImageArchiveToCluster", LoadArchive, arg(Cluster, 0), arg(Archive, 1)),
	fn(envfuncs+".CreateKindClusterWithConfig", NodeImage, arg(Cluster, 0), arg(Image, 1)),
	fn(envfuncs+".SetupCRDs", ApplyFiles, arg(Dir, 0), arg(Path, 1)),

	// e2e-framework: cluster providers. support.E2EClusterProviderWithImageLoader
	// and support/kind.Cluster are aliases of these types.
	method(e2eTypes+".E2EClusterProviderWithImageLoader", "LoadImage", Load, arg(Image, 1)),
	method(e2eTypes+".E2EClusterProviderWithImageLoader", "LoadImageArchive", LoadArchive, arg(Archive, 1)),
	method("*"+e2eKind+".Cluster", "LoadImage", Load, arg(Image, 1)),
	method("*"+e2eKind+".Cluster", "LoadImageArchive", LoadArchive, arg(Archive, 1)),
	method("*"+e2eK3d+".Cluster", "LoadImage", Load, arg(Image, 1)),
	method("*"+e2eK3d+".Cluster", "LoadImageArchive", LoadArchive, arg(Archive, 1)),
	fn(e2eKind+".WithImage", NodeImage, arg(Image, 0)),
	fn("sigs.k8s.io/e2e-framework/support/kind.WithImage", NodeImage, arg(Image, 0)),

	// e2e-framework: the helm CLI wrapper. The command is
	// "helm MODE <WithName> <WithChart, else WithReleaseName> ... <WithArgs...>",
	// so WithReleaseName names the chart when WithChart is absent.
	method("*"+e2eHelm+".Manager", "RunInstall", HelmInstall, many(Option, 0)),
	method("*"+e2eHelm+".Manager", "RunUpgrade", HelmInstall, many(Option, 0)),
	fn(e2eHelm+".WithChart", HelmOption, arg(Chart, 0)),
	fn(e2eHelm+".WithReleaseName", HelmOption, arg(Chart, 0)),
	fn(e2eHelm+".WithArgs", HelmOption, many(Args, 0)),

	// e2e-framework: manifests.
	fn(e2eDecoder+".DecodeEachFile", Decode, arg(FS, 1), arg(Path, 2), arg(Handler, 3)),
	fn(e2eDecoder+".DecodeAllFiles", Decode, arg(FS, 1), arg(Path, 2)),
	fn(e2eDecoder+".DecodeFile", Decode, arg(FS, 0), arg(Path, 1), arg(Object, 2)),
	fn(e2eDecoder+".DecodeString", Decode, arg(Text, 0), arg(Object, 1)),
	fn(e2eDecoder+".ApplyWithManifestDir", ApplyFiles, arg(Dir, 2), arg(Path, 3)),
	fn(e2eDecoder+".CreateHandler", DeployHandler),
	fn(e2eDecoder+".UpdateHandler", DeployHandler),
	fn(e2eDecoder+".CreateIgnoreAlreadyExists", DeployHandler),
	method("*"+e2eRes+".Resources", "Create", Deploy, arg(Object, 1)),
	method("*"+e2eRes+".Resources", "Update", Deploy, arg(Object, 1)),
	// obj only names the target; what changes is patch.Data.
	method("*"+e2eRes+".Resources", "Patch", Deploy, in(Patch, 2, "Data", false)),

	// e2e-framework: ordered flows. env.Environment, env.Func and
	// features.Func are aliases of pkg/types.
	step(e2eTypes+".Environment", "Setup", Setup, many(StepFunc, 0)),
	step(e2eTypes+".Environment", "BeforeEachTest", Setup, many(StepFunc, 0)),
	step(e2eTypes+".Environment", "BeforeEachFeature", Setup, many(StepFunc, 0)),
	step(e2eTypes+".Environment", "Test", Test, many(Feature, 1)),
	step(e2eTypes+".Environment", "TestInParallel", Test, many(Feature, 1)),
	step(e2eTypes+".Environment", "AfterEachFeature", Teardown, many(StepFunc, 0)),
	step(e2eTypes+".Environment", "AfterEachTest", Teardown, many(StepFunc, 0)),
	step(e2eTypes+".Environment", "Finish", Teardown, many(StepFunc, 0)),
	step("*"+e2eFeatures+".FeatureBuilder", "Setup", Setup, arg(StepFunc, 0)),
	step("*"+e2eFeatures+".FeatureBuilder", "WithSetup", Setup, arg(StepFunc, 1)),
	step("*"+e2eFeatures+".FeatureBuilder", "Assess", Test, arg(StepFunc, 1)),
	step("*"+e2eFeatures+".FeatureBuilder", "AssessWithDescription", Test, arg(StepFunc, 2)),
	step("*"+e2eFeatures+".FeatureBuilder", "Teardown", Teardown, arg(StepFunc, 0)),
	step("*"+e2eFeatures+".FeatureBuilder", "WithTeardown", Teardown, arg(StepFunc, 1)),

	// helm SDK.
	method("*"+helmAction+".Install", "Run", HelmInstall, arg(Chart, 0), arg(Values, 1)),
	method("*"+helmAction+".Install", "RunWithContext", HelmInstall, arg(Chart, 1), arg(Values, 2)),
	method("*"+helmAction+".Upgrade", "Run", HelmInstall, arg(Chart, 1), arg(Values, 2)),
	method("*"+helmAction+".Upgrade", "RunWithContext", HelmInstall, arg(Chart, 2), arg(Values, 3)),
	fn(helmLoader+".Load", ChartLoad, arg(Chart, 0)),
	fn(helmLoader+".LoadDir", ChartLoad, arg(Chart, 0)),
	fn(helmStrvals+".ParseInto", HelmSet, arg(Args, 0), arg(Values, 1)),
	fn(helmStrvals+".ParseIntoString", HelmSet, arg(Args, 0), arg(Values, 1)),
	method("*"+helmValues+".Options", "MergeValues", HelmMerge),

	// controller-runtime. client.Client and client.WithWatch embed Writer,
	// so their calls resolve to Writer's methods. For Patch, obj holds the
	// desired state (client.MergeFrom diffs it against the original).
	method(crClient+".Writer", "Create", Deploy, arg(Object, 1)),
	method(crClient+".Writer", "Update", Deploy, arg(Object, 1)),
	method(crClient+".Writer", "Patch", Deploy, arg(Object, 1)),
	method(crClient+".Writer", "Apply", Deploy, arg(Object, 1)),
	fn(crUtil+".CreateOrUpdate", Deploy, arg(Object, 2)),
	fn(crUtil+".CreateOrPatch", Deploy, arg(Object, 2)),

	// client-go. Typed clients are matched by typedClientRule; the dynamic
	// client is one interface.
	method(clientGoDynamic+".ResourceInterface", "Create", Deploy, arg(Object, 1)),
	method(clientGoDynamic+".ResourceInterface", "Update", Deploy, arg(Object, 1)),
	method(clientGoDynamic+".ResourceInterface", "Apply", Deploy, arg(Object, 2)),
	method(clientGoDynamic+".ResourceInterface", "Patch", Deploy, arg(Patch, 3)),
	method("*"+applyCoreV1+".ContainerApplyConfiguration", "WithImage", ContainerImage, arg(Image, 0)),
	method("*"+applyCoreV1+".EphemeralContainerApplyConfiguration", "WithImage", ContainerImage, arg(Image, 0)),
	// apimachinery: a value set in an unstructured object's maps.
	fn(unstructured+".SetNestedField", NestedField, arg(Value, 1), many(Key, 2)),
	fn(unstructured+".SetNestedSlice", NestedField, arg(Value, 1), many(Key, 2)),
	fn(unstructured+".SetNestedMap", NestedField, arg(Value, 1), many(Key, 2)),
	fn(unstructured+".SetNestedStringMap", NestedField, arg(Value, 1), many(Key, 2)),

	// Docker SDK up to v28 (github.com/docker/docker/client).
	method("*"+dockerClient+".Client", "ImageBuild", Build, in(Image, 2, "Tags", true)),
	method("*"+dockerClient+".Client", "ImageTag", Retag, arg(Image, 1), arg(Target, 2)),
	method("*"+dockerClient+".Client", "ImageSave", Save, many(Image, 1)),
	method("*"+dockerClient+".Client", "ImagePush", Push, arg(Image, 1)),
	method(dockerClient+".ImageAPIClient", "ImageBuild", Build, in(Image, 2, "Tags", true)),
	method(dockerClient+".ImageAPIClient", "ImageTag", Retag, arg(Image, 1), arg(Target, 2)),
	method(dockerClient+".ImageAPIClient", "ImageSave", Save, many(Image, 1)),
	method(dockerClient+".ImageAPIClient", "ImagePush", Push, arg(Image, 1)),

	// Docker SDK from v29 on (github.com/moby/moby/client): options structs.
	method("*"+mobyClient+".Client", "ImageBuild", Build, in(Image, 2, "Tags", true)),
	method("*"+mobyClient+".Client", "ImageTag", Retag, in(Image, 1, "Source", false), in(Target, 1, "Target", false)),
	method("*"+mobyClient+".Client", "ImageSave", Save, many(Image, 1)),
	method("*"+mobyClient+".Client", "ImagePush", Push, arg(Image, 1)),
	method(mobyClient+".ImageBuildAPIClient", "ImageBuild", Build, in(Image, 2, "Tags", true)),
	method(mobyClient+".ImageAPIClient", "ImageTag", Retag, in(Image, 1, "Source", false), in(Target, 1, "Target", false)),
	method(mobyClient+".ImageAPIClient", "ImageSave", Save, many(Image, 1)),
	method(mobyClient+".ImageAPIClient", "ImagePush", Push, arg(Image, 1)),
}

// fields are the struct fields that carry images or helm values apart from
// a call: set in one statement, passed in another.
var fields = []Field{
	{Struct: coreV1 + ".Container", Name: "Image", Effect: ContainerImage},
	{Struct: coreV1 + ".EphemeralContainerCommon", Name: "Image", Effect: ContainerImage},
	{Struct: dockerBuild + ".ImageBuildOptions", Name: "Tags", Effect: Build, Many: true},
	{Struct: mobyClient + ".ImageBuildOptions", Name: "Tags", Effect: Build, Many: true},
	{Struct: helmValues + ".Options", Name: "Values", Effect: HelmSet, Many: true, Flag: "--set"},
	{Struct: helmValues + ".Options", Name: "StringValues", Effect: HelmSet, Many: true, Flag: "--set-string"},
	{Struct: helmValues + ".Options", Name: "LiteralValues", Effect: HelmSet, Many: true, Flag: "--set-literal"},
	{Struct: helmValues + ".Options", Name: "JSONValues", Effect: HelmSet, Many: true, Flag: "--set-json"},
	{Struct: helmValues + ".Options", Name: "FileValues", Effect: HelmSet, Many: true, Flag: "--set-file"},
	{Struct: helmValues + ".Options", Name: "ValueFiles", Effect: HelmValuesFile, Many: true, Flag: "--values"},
}

var (
	byName       = make(map[string]API, len(table))
	tablePkgs    = make(map[string]bool)
	fieldsByName = make(map[string]Field, len(fields))
)

func init() {
	for _, api := range table {
		byName[api.Func] = api
		tablePkgs[pkgOf(api.Func)] = true
	}
	for _, f := range fields {
		fieldsByName[f.Struct+"."+f.Name] = f
	}
}

// pkgOf returns the package path of a FullName: "path.F",
// "(path.T).M" or "(*path.T).M".
func pkgOf(fullName string) string {
	s := strings.TrimLeft(fullName, "(*")
	if i := strings.IndexByte(s, ')'); i >= 0 {
		s = s[:i]
	}
	return s[:strings.LastIndexByte(s, '.')]
}
