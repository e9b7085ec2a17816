package flowmap

import "strconv"

// Hand-built maps shaped like what the analyzer produces, one per golden
// file set in testdata: the bundled broken example's incidents, a flow
// that crosses from Go into a Makefile, flows with unknowns, text every
// format must escape, and nothing at all.
var goldenMaps = []struct {
	name string
	m    func() *Map
}{
	{"example", exampleMap},
	{"crosslang", crossLanguageMap},
	{"unknowns", unknownsMap},
	{"escaping", escapingMap},
	{"empty", func() *Map { return &Map{Version: Version} }},
}

func at(file string, line, col int) Position { return Position{File: file, Line: line, Col: col} }

func text(s string) Part { return Part{Kind: PartText, Text: s} }

func generated(fn string) Part { return Part{Kind: PartGenerated, Text: fn} }

func param(name string) Part { return Part{Kind: PartParam, Text: name} }

func image(id string, own bool, parts ...Part) Image {
	return Image{ID: id, Ref: NewRef(parts...), Own: own}
}

func uses(ids ...string) []StepImage {
	images := make([]StepImage, len(ids))
	for i, id := range ids {
		images[i] = StepImage{ID: id}
	}
	return images
}

// The bundled broken example (testdata/example/broken), as the command
// runs in the testdata module.
const broken = "example/broken/infrastructure/"

// buildAndLoad is what BuildAndLoadImageToKind does to image, called at
// call: build, save, load. Its findings go on the load.
func buildAndLoad(firstID int, image string, call Position, findings ...Finding) []Step {
	via := []Call{{Pos: call, Callee: "BuildAndLoadImageToKind"}}
	return []Step{
		{ID: stepID(firstID), Kind: StepBuild, Pos: at(broken+"image_build.go", 56, 14), Where: "podman build",
			Command: "podman build -t <fullImageName> -f <dockerfile> <contextDir>", Images: uses(image), Via: via},
		{ID: stepID(firstID + 1), Kind: StepSave, Pos: at(broken+"image_build.go", 65, 13), Where: "podman save",
			Command: "podman save -o <archive> <fullImageName>", Images: uses(image), Via: via},
		{ID: stepID(firstID + 2), Kind: StepLoad, Pos: at(broken+"image_build.go", 73, 13), Where: "kind load image-archive",
			Command: "kind load image-archive <archive> --name <cfg.KindClusterName>", Images: uses(image), Via: via,
			Findings: findings},
	}
}

func stepID(n int) string { return "s" + strconv.Itoa(n) }

func discarded(call Position) Finding {
	return Finding{Check: "discarded-image", Pos: call,
		Message: "the image returned by BuildAndLoadImageToKind is assigned to _; bind it and deploy that value"}
}

// dataStorageServiceSpec is deployDataStorageServiceInNamespace's
// container spec, deploying image, its imageName parameter.
func dataStorageServiceSpec(id, image string, call Position, findings ...Finding) Step {
	return Step{ID: id, Kind: StepDeploy, Pos: at(broken+"datastorage.go", 152, 24), Where: "container spec",
		Images: []StepImage{{ID: image, Ref: NewRef(param("imageName"))}},
		Via:    []Call{{Pos: call, Callee: "deployDataStorageServiceInNamespace"}}, Findings: findings}
}

func exampleMap() *Map {
	builtTag := []Part{text("localhost/kubernaut/datastorage:"), generated("generateServiceImageTag")}
	dsCall := at(broken+"datastorage.go", 58, 15)
	dataStorage := Flow{
		Name: "infrastructure.SetupDataStorageInfrastructure", Kind: FlowFunc, Pos: at(broken+"datastorage.go", 41, 6),
		Images: []Image{
			image("i1", true, builtTag...),
			image("i2", false, text("postgres:16-alpine")),
			image("i3", false, text("quay.io/jordigilh/redis:7")),
			image("i4", true, text("localhost/kubernaut-datastorage:e2e-test-datastorage")),
		},
		Steps: append(buildAndLoad(1, "i1", dsCall, discarded(dsCall)),
			Step{ID: "s4", Kind: StepDeploy, Pos: at(broken+"datastorage.go", 240, 13), Where: "container spec", Images: uses("i2"),
				Via: []Call{{Pos: at(broken+"datastorage.go", 61, 12), Callee: "deployPostgreSQLInNamespace"}}},
			Step{ID: "s5", Kind: StepDeploy, Pos: at(broken+"datastorage.go", 282, 13), Where: "container spec", Images: uses("i3"),
				Via: []Call{{Pos: at(broken+"datastorage.go", 64, 12), Callee: "deployRedisInNamespace"}}},
			Step{ID: "s6", Kind: StepDeploy, Pos: at(broken+"datastorage.go", 182, 24), Where: "container spec", Images: uses("i4"),
				Via: []Call{{Pos: at(broken+"datastorage.go", 70, 12), Callee: "deployDataStorageService"}},
				Findings: []Finding{{Check: "hardcoded-image", Pos: at(broken+"datastorage.go", 182, 24),
					Message: `hardcoded image "localhost/kubernaut-datastorage:e2e-test-datastorage" in container spec; deploy the reference your build step returns`}}},
		),
	}

	ro := broken + "remediationorchestrator_e2e_hybrid.go"
	retagCall := at(ro, 61, 12)
	remediationOrchestrator := Flow{
		Name: "infrastructure.SetupROInfrastructureHybridWithCoverage", Kind: FlowFunc, Pos: at(ro, 15, 6),
		Images: []Image{
			image("i1", true, text("localhost/kubernaut-remediationorchestrator:"), generated("generateServiceImageTag")),
			image("i2", true, text("localhost/kubernaut-datastorage:e2e-test-datastorage")),
			image("i3", false, generated("GenerateInfraImageName")),
		},
		Steps: []Step{
			{ID: "s1", Kind: StepBuild, Pos: at(broken+"image_build.go", 244, 9), Where: "podman build",
				Command: "podman build -t <imageName> -f <dockerfile> .", Images: uses("i1"),
				Via: []Call{{Pos: at(ro, 27, 50), Callee: "buildImage"}}},
			{ID: "s2", Kind: StepBuild, Pos: at(broken+"image_build.go", 114, 14), Where: "podman build",
				Command: "podman build -t localhost/kubernaut-datastorage:e2e-test-datastorage -f docker/data-storage.Dockerfile .",
				Images:  uses("i2"), Via: []Call{{Pos: at(ro, 30, 41), Callee: "buildDataStorageImage"}}},
			{ID: "s3", Kind: StepSave, Pos: at(broken+"image_build.go", 257, 13), Where: "podman save",
				Command: "podman save -o <archive> <imageName>", Images: uses("i1"),
				Via: []Call{{Pos: at(ro, 52, 12), Callee: "loadImage"}}},
			{ID: "s4", Kind: StepLoad, Pos: at(broken+"image_build.go", 263, 13), Where: "kind load image-archive",
				Command: "kind load image-archive <archive> --name <clusterName>", Images: uses("i1"),
				Via: []Call{{Pos: at(ro, 52, 12), Callee: "loadImage"}}},
			{ID: "s5", Kind: StepSave, Pos: at(broken+"image_build.go", 131, 13), Where: "podman save",
				Command: "podman save localhost/kubernaut-datastorage:e2e-test-datastorage -o <archive>", Images: uses("i2"),
				Via: []Call{{Pos: at(ro, 55, 12), Callee: "loadDataStorageImage"}}},
			{ID: "s6", Kind: StepLoad, Pos: at(broken+"image_build.go", 141, 13), Where: "kind load image-archive",
				Command: "kind load image-archive <archive> --name <clusterName>", Images: uses("i2"),
				Via: []Call{{Pos: at(ro, 55, 12), Callee: "loadDataStorageImage"}}},
			{ID: "s7", Kind: StepNodeRetag, Pos: at(broken+"image_build.go", 202, 12), Where: "ctr images tag in the Kind node",
				Command: "podman exec <nodeName> ctr -n k8s.io images tag localhost/kubernaut-datastorage:e2e-test-datastorage <targetImage>",
				Images:  []StepImage{{ID: "i2"}, {ID: "i3", Ref: NewRef(param("dynamicTag"))}},
				Via:     []Call{{Pos: retagCall, Callee: "tagDataStorageImageInKind"}},
				Findings: []Finding{{Check: "retag-after-load", Pos: retagCall,
					Message: "tagDataStorageImageInKind re-tags localhost/kubernaut-datastorage:e2e-test-datastorage inside the Kind node after it was loaded: what runs is the image loaded before, under a new tag; build and load the image under the name you deploy"}}},
			dataStorageServiceSpec("s8", "i3", at(ro, 78, 10)),
			{ID: "s9", Kind: StepDeploy, Pos: at(ro, 115, 16), Where: "manifest", Command: "kubectl apply -f -",
				Images: []StepImage{{ID: "i1", Ref: NewRef(param("imageName"))}},
				Via:    []Call{{Pos: at(ro, 84, 12), Callee: "deployROController"}}},
		},
	}

	toolset := broken + "toolset.go"
	toolsetCall := at(toolset, 39, 15)
	toolsetFlow := Flow{
		Name: "infrastructure.SetupToolsetInfrastructure", Kind: FlowFunc, Pos: at(toolset, 17, 6),
		Images: []Image{
			image("i1", true, builtTag...),
			image("i2", false, generated("GenerateInfraImageName")),
		},
		Steps: append(buildAndLoad(1, "i1", toolsetCall, discarded(toolsetCall)),
			dataStorageServiceSpec("s4", "i2", at(toolset, 53, 12), Finding{Check: "image-mismatch", Pos: at(toolset, 53, 12),
				Message: "deployed image comes from GenerateInfraImageName (line 21), which returns a new name on every call, and never reached a build or load step; deploy the image that was built and loaded"})),
	}
	return &Map{Version: Version, Flows: []Flow{dataStorage, remediationOrchestrator, toolsetFlow}}
}

// A kubebuilder project's e2e suite: its BeforeSuite runs make
// docker-build IMG=$IMG, loads the image with kind and runs make deploy,
// whose recipe edits the kustomization and applies it. And a script that
// re-tags and pushes the image for a registry.
func crossLanguageMap() *Map {
	img := Part{Kind: PartEnv, Text: "IMG", Default: "example.com/memcached-operator:v0.0.1"}
	asWritten := []StepImage{{ID: "i1", Ref: Ref{Text: "${IMG}", Parts: []Part{{Kind: PartMake, Text: "IMG"}}}}}
	suite := "test/e2e/e2e_suite_test.go"
	scriptImage := Part{Kind: PartEnv, Text: "IMG", Default: "controller:dev"}
	return &Map{Version: Version, Flows: []Flow{
		{
			Name: "e2e BeforeSuite", Kind: FlowSuite, Pos: at(suite, 48, 1),
			Images: []Image{image("i1", true, img)},
			Steps: []Step{
				{ID: "s1", Kind: StepBuild, Pos: at("Makefile", 118, 2), Where: "make docker-build",
					Command: "$(CONTAINER_TOOL) build -t ${IMG} .", Images: asWritten,
					Via: []Call{{Pos: at(suite, 58, 10), Callee: "make docker-build IMG=$IMG"}, {Pos: at("Makefile", 117, 1), Callee: "docker-build"}}},
				{ID: "s2", Kind: StepLoad, Pos: at("test/utils/utils.go", 84, 9), Where: "kind load docker-image",
					Command: "kind load docker-image <name> --name <cluster>", Images: uses("i1"),
					Via: []Call{{Pos: at(suite, 62, 9), Callee: "utils.LoadImageToKindClusterWithName"}}},
				{ID: "s3", Kind: StepDeploy, Pos: at("Makefile", 142, 2), Where: "make deploy: kustomize edit set image, kubectl apply",
					Command: "cd config/manager && $(KUSTOMIZE) edit set image controller=${IMG}", Images: asWritten,
					Via: []Call{{Pos: at("test/e2e/e2e_test.go", 74, 10), Callee: "make deploy IMG=$IMG"}, {Pos: at("Makefile", 140, 1), Callee: "deploy"}}},
			},
		},
		{
			Name: "hack/push-images.sh", Kind: FlowScript, Pos: at("hack/push-images.sh", 1, 0),
			Images: []Image{
				image("i1", true, scriptImage),
				image("i2", true, text("localhost:5001/"), scriptImage),
			},
			Steps: []Step{
				{ID: "s1", Kind: StepBuild, Pos: at("hack/push-images.sh", 6, 1), Where: "docker build",
					Command: `docker build -t "$IMG" .`, Images: uses("i1")},
				{ID: "s2", Kind: StepRetag, Pos: at("hack/push-images.sh", 7, 1), Where: "docker tag",
					Command: `docker tag "$IMG" "localhost:5001/$IMG"`, Images: uses("i1", "i2")},
				{ID: "s3", Kind: StepPush, Pos: at("hack/push-images.sh", 8, 1), Where: "docker push",
					Command: `docker push "localhost:5001/$IMG"`, Images: uses("i2")},
			},
		},
	}}
}

// An e2e-framework suite whose image tag is assigned in several ways,
// whose chart lives at a path computed at run time, and which calls a
// helper of a module without sources; and a Makefile chain whose image
// comes from a flag.
func unknownsMap() *Map {
	main := "test/e2e/main_test.go"
	tag := Part{Kind: PartUnknown, Text: "tag", Reason: "assigned in several ways"}
	return &Map{Version: Version, Flows: []Flow{
		{
			Name: "e2e TestMain: testenv.Setup", Kind: FlowSteps, Pos: at(main, 27, 1),
			Images: []Image{
				image("i1", true, text("ghcr.io/acme/app:"), tag),
				image("i2", true, Part{Kind: PartUnknown, Text: "chart image.repository", Reason: "the chart's path is computed at run time"}, text(":"), tag),
				image("i3", false,
					Part{Kind: PartChartDefault, Text: "image.repository", Default: "bitnami/redis"}, text(":"),
					Part{Kind: PartChartDefault, Text: "image.tag", Default: "7.2"}),
			},
			Steps: []Step{
				{ID: "s1", Kind: StepBuild, Pos: at(main, 52, 10), Where: "docker build", Command: "docker build -t ghcr.io/acme/app:<tag> .",
					Images: uses("i1"), Via: []Call{{Pos: at(main, 41, 3), Callee: "buildImage"}}},
				{ID: "s2", Kind: StepLoad, Pos: at(main, 42, 3), Where: "envfuncs.LoadImageToCluster", Images: uses("i1")},
				{ID: "s3", Kind: StepDeploy, Pos: at(main, 71, 15), Where: "helm install",
					Command: "helm install app <path computed at run time> --set image.tag=<tag>", Images: uses("i2"),
					Via: []Call{{Pos: at(main, 43, 3), Callee: "installChart"}}},
				{ID: "s4", Kind: StepDeploy, Pos: at(main, 80, 15), Where: "helm install", Command: "helm install redis ./charts/redis",
					Images: uses("i3"), Via: []Call{{Pos: at(main, 44, 3), Callee: "installRedis"}}},
				{ID: "s5", Kind: StepDeploy, Pos: at(main, 45, 3), Where: "testkit.DeployExtras"},
			},
			Unknowns: []Unknown{
				{Pos: at(main, 33, 2), What: "tag", Reason: "assigned in several ways: the -tag flag (main_test.go:33) and $IMAGE_TAG (main_test.go:36)"},
				{Pos: at(main, 70, 13), What: "chart path", Reason: `computed at run time: filepath.Join(os.Getenv("CHARTS"), "app")`, Step: "s3"},
				{Pos: at(main, 45, 3), What: "testkit.DeployExtras", Reason: "its body is not available: no source and no facts for github.com/acme/testkit", Step: "s5"},
			},
		},
		{
			Name: "make e2e", Kind: FlowMake, Pos: at("Makefile", 30, 1),
			Images: []Image{image("i1", true, Part{Kind: PartFlag, Text: "image"})},
			Steps: []Step{
				{ID: "s1", Kind: StepDeploy, Pos: at("Makefile", 32, 2), Where: "go test", Command: "go test ./test/e2e -image=$(E2E_IMAGE)",
					Images: uses("i1")},
			},
			Unknowns: []Unknown{{Pos: at("Makefile", 32, 2), What: "$(E2E_IMAGE)", Reason: "set by the environment of make; no default in the Makefile", Step: "s1"}},
		},
	}}
}

// escapingMap holds what Mermaid, DOT, JSON and a terminal must not take
// for syntax: quotes, brackets, entities, comments, keywords, arrows,
// backslash escapes, control characters, bidirectional overrides and
// invalid UTF-8.
func escapingMap() *Map {
	nasty := "\"q\" <b>x</b> [s] {c} (p) #35; #quot; &amp; | a;b `t` \\N \\l %% end --> ü 🚀 \x1b[31m \u202e \xff"
	return &Map{Version: Version, Flows: []Flow{
		{
			Name: "flow " + nasty, Kind: FlowFunc, Pos: at(`dir with space/"q".go`, 3, 1),
			Images: []Image{
				{ID: "end", Ref: Ref{Text: `<param "img">`, Parts: []Part{{Kind: PartParam, Text: `"img"`, Reason: "line1\nline2\ttab"}}}},
				{ID: `x"1]`, Ref: NewRef(text("a/b:c"), Part{Kind: PartEnv, Text: "T", Default: "}}"})},
			},
			Steps: []Step{
				{ID: "subgraph", Kind: StepBuild, Pos: at("%%.go", 1, 1), Where: `subgraph x["y"]`,
					Command: `sh -c 'echo "#hash" > /dev/null; a --> b | c' %%{init: {}}%%`, Images: uses("end")},
				{ID: "s2", Kind: StepRetag, Where: nasty, Images: []StepImage{{ID: "end"}, {ID: `x"1]`, Ref: Ref{Text: nasty}}},
					Via: []Call{{Pos: at("a\\b.go", 2, 0), Callee: nasty}}},
				{ID: "s3", Kind: StepDeploy, Images: uses(`x"1]`),
					Findings: []Finding{{Check: "check]]", Message: "ends }} ) ]) with a \\", Pos: at("x.go", 9, 9)}}},
			},
			Unknowns: []Unknown{{What: "what " + nasty, Reason: "reason\r\n" + nasty, Step: "s3"}},
		},
		{Name: "a flow without steps", Kind: FlowMake},
	}}
}
