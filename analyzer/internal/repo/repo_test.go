package repo

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// checkout copies testdata/name into a repository of its own (a .git
// directory at its root) and returns its path.
func checkout(t *testing.T, name string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(filepath.Join("testdata", name), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", name), p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

// show renders a word: variables as ${NAME} or ${NAME:-default}, Unknown
// parts as «text», caller slots as {N}.
func show(w command.Word) string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.IsLiteral():
			b.WriteString(p.Text)
		case p.IsSlot():
			fmt.Fprintf(&b, "{%d}", p.Slot)
		case p.IsVar() && p.Default != nil:
			b.WriteString("${" + p.Text + ":-" + show(*p.Default) + "}")
		case p.IsVar():
			b.WriteString("${" + p.Text + "}")
		default:
			b.WriteString("«" + p.Text + "»")
		}
	}
	return b.String()
}

func showAll(ws []command.Word) string {
	var out []string
	for _, w := range ws {
		out = append(out, show(w))
	}
	return strings.Join(out, " ")
}

// renderRun writes a run's steps and unknowns on one line each, paths
// relative to root.
func renderRun(root string, run Run) []string {
	rel := func(p Pos) string {
		f, _ := filepath.Rel(root, p.File)
		return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Col)
	}
	var out []string
	for _, s := range run.Steps {
		line := s.Kind.String() + " «" + s.Tool + "»"
		if s.Images != nil {
			line += " images=" + showAll(s.Images)
		}
		if s.Names != nil {
			line += " names=" + showAll(s.Names)
		}
		if s.Paths != nil {
			line += " paths=" + showAll(s.Paths)
		}
		if s.Make != nil && len(s.Make.Vars) > 0 {
			var vars []string
			for k, v := range s.Make.Vars {
				vars = append(vars, k+"="+show(v))
			}
			slices.Sort(vars)
			line += " vars=" + strings.Join(vars, ",")
		}
		dir, _ := filepath.Rel(root, s.Dir)
		if s.Dir == "" {
			dir = "?"
		}
		line += " dir=" + dir + " at " + rel(s.Pos)
		if s.Followed {
			line += " followed"
		}
		var via []string
		for _, v := range s.Via {
			via = append(via, rel(v))
		}
		out = append(out, strings.ReplaceAll(line, root+"/", "")+" via "+strings.Join(via, ","))
	}
	for _, u := range run.Unknowns {
		at := "-"
		if u.Pos.File != "" {
			at = rel(u.Pos)
		}
		out = append(out, "unknown "+u.What+": "+u.Reason+" at "+at)
	}
	return out
}

type makeCase struct {
	name    string
	targets []string
	vars    map[string]command.Word
	want    []string
}

func runMake(t *testing.T, module string, cases []makeCase) {
	t.Helper()
	root := checkout(t, module)
	m := Load(root)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := renderRun(root, m.Make(".", tc.targets, tc.vars, nil))
			if !slices.Equal(got, tc.want) {
				t.Errorf("make %s:\ngot:\n  %s\nwant:\n  %s", strings.Join(tc.targets, " "),
					strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestKubebuilder reads the Makefile kubebuilder v4.16.0 scaffolds
// (kubebuilder init --domain example.com --repo example.com/demo, then
// create api --group cache --version v1alpha1 --kind Memcached).
func TestKubebuilder(t *testing.T) {
	img := map[string]command.Word{"IMG": command.Dyn(0)}
	runMake(t, "kubebuilder", []makeCase{
		{"deploy without IMG deploys the default", []string{"deploy"}, nil, []string{
			"SetImage «kustomize edit set image» images=${IMG:-controller:latest} names=controller paths=. dir=config/manager at Makefile:173:0 via Makefile:172:1",
			"ApplyKustomize «kustomize build | kubectl apply» paths=config/default dir=. at Makefile:174:0 via Makefile:172:1",
		}},
		{"deploy with IMG", []string{"deploy"}, img, []string{
			"SetImage «kustomize edit set image» images={0} names=controller paths=. dir=config/manager at Makefile:173:0 via Makefile:172:1",
			"ApplyKustomize «kustomize build | kubectl apply» paths=config/default dir=. at Makefile:174:0 via Makefile:172:1",
		}},
		{"docker-build", []string{"docker-build"}, img, []string{
			"Build «docker build» images={0} dir=. at Makefile:126:2 via Makefile:125:1",
		}},
		{"test-e2e runs go test and make", []string{"test-e2e"}, nil, []string{
			"GoTest «go test» dir=. at Makefile:90:2 via Makefile:89:1",
			"Make «make cleanup-test-e2e» dir=. at Makefile:91:2 followed via Makefile:89:1",
		}},
		{"a target that does nothing with images", []string{"lint"}, nil, nil},
		{"the default goal builds the binary", nil, nil, nil},
		{"an undefined target", []string{"kind-load"}, nil, []string{"unknown target kind-load: not defined at -"}},
	})
}

func TestMakeVar(t *testing.T) {
	root := checkout(t, "kubebuilder")
	m := Load(root)
	w, pos, ok := m.MakeVar(".", "IMG")
	if !ok || show(w) != "${IMG:-controller:latest}" || pos.Line != 2 || pos.File != filepath.Join(root, "Makefile") {
		t.Errorf("MakeVar IMG = %s at %v, %v", show(w), pos, ok)
	}
	if w, _, ok := m.MakeVar(".", "GOBIN"); !ok || w.Known() {
		t.Errorf("MakeVar GOBIN (set under $(shell)) = %s, %v: want an unknown value", show(w), ok)
	}
	if _, _, ok := m.MakeVar(".", "NOT_SET"); ok {
		t.Error("MakeVar of a variable the Makefile does not set")
	}
}

func TestHandmade(t *testing.T) {
	runMake(t, "handmade", []makeCase{
		{"prerequisites first", []string{"kind-load"}, nil, []string{
			"Build «docker build» images=${IMG:-${REGISTRY:-ghcr.io/example}/app:${TAG:-latest}} paths=. dir=. at Makefile:15:2 via Makefile:17:1,Makefile:14:1",
			"Load «kind load docker-image» images=${IMG:-${REGISTRY:-ghcr.io/example}/app:${TAG:-latest}} dir=. at Makefile:18:2 via Makefile:17:1",
		}},
		{"$(MAKE) does not pass target-specific variables", []string{"e2e-images"}, nil, []string{
			"Make «make docker-build» dir=. at Makefile:22:2 followed via Makefile:21:1",
			"Build «docker build» images=${IMG:-${REGISTRY:-ghcr.io/example}/app:${TAG:-latest}} paths=. dir=. at Makefile:15:2 via Makefile:21:1,Makefile:22:2,Makefile:14:1",
			"Load «kind load docker-image» images=${REGISTRY:-ghcr.io/example}/app:e2e dir=. at Makefile:23:2 via Makefile:21:1",
		}},
		{"a script, its sourced library, a loop, make -C", []string{"setup"}, map[string]command.Word{"VERSION": command.Lit("v1")}, []string{
			"RunScript «bash» paths=hack/e2e-setup.sh dir=. at Makefile:26:2 followed via Makefile:25:1",
			"Build «docker build» images=${HUB:-ghcr.io/x}/operator:v1 paths=. dir=. at hack/e2e-setup.sh:13:3 via Makefile:25:1,Makefile:26:2",
			"Load «kind load docker-image» images=${HUB:-ghcr.io/x}/operator:v1 dir=. at hack/lib.sh:5:3 via Makefile:25:1,Makefile:26:2",
			"Build «docker build» images=${HUB:-ghcr.io/x}/webhook:v1 paths=. dir=. at hack/e2e-setup.sh:13:3 via Makefile:25:1,Makefile:26:2",
			"Load «kind load docker-image» images=${HUB:-ghcr.io/x}/webhook:v1 dir=. at hack/lib.sh:5:3 via Makefile:25:1,Makefile:26:2",
			"Make «make deploy» vars=IMG=${HUB:-ghcr.io/x}/operator:v1 dir=. at hack/e2e-setup.sh:22:1 followed via Makefile:25:1,Makefile:26:2",
			"SetImage «kustomize edit set image» images=${HUB:-ghcr.io/x}/operator:v1 names=app paths=. dir=config at Makefile:29:0 via Makefile:25:1,Makefile:26:2,hack/e2e-setup.sh:22:1,Makefile:28:1",
			"ApplyKustomize «kustomize build | kubectl apply» paths=config dir=. at Makefile:30:0 via Makefile:25:1,Makefile:26:2,hack/e2e-setup.sh:22:1,Makefile:28:1",
		}},
		{"$(shell ...) is never run", []string{"version"}, nil, nil},
		{"a prerequisite from $(shell ...)", []string{"release"}, nil, []string{
			"unknown prerequisite $(shell ls dist): $(shell ...) runs at make time; it is never run here at Makefile:41:1",
		}},
		{"a script not in the repository", []string{"missing-script"}, nil, []string{
			"RunScript «./not-there.sh» paths=./hack/not-there.sh dir=. at Makefile:39:2 via Makefile:38:1",
			"unknown script ./hack/not-there.sh: no such file in the repository at Makefile:39:2",
		}},
		{"nothing with images", []string{"build", "lint"}, nil, nil},
	})
}

func TestScriptCall(t *testing.T) {
	root := checkout(t, "handmade")
	m := Load(root)
	got := renderRun(root, m.Script(".", "hack/e2e-setup.sh", nil, map[string]command.Word{"HUB": command.Dyn(1)}))
	want := []string{
		"Build «docker build» images={1}/operator:dev paths=. dir=. at hack/e2e-setup.sh:13:3 via ",
		"Load «kind load docker-image» images={1}/operator:dev dir=. at hack/lib.sh:5:3 via ",
		"Build «docker build» images={1}/webhook:dev paths=. dir=. at hack/e2e-setup.sh:13:3 via ",
		"Load «kind load docker-image» images={1}/webhook:dev dir=. at hack/lib.sh:5:3 via ",
		"Make «make deploy» vars=IMG={1}/operator:dev dir=. at hack/e2e-setup.sh:22:1 followed via ",
		"SetImage «kustomize edit set image» images={1}/operator:dev names=app paths=. dir=config at Makefile:29:0 via hack/e2e-setup.sh:22:1,Makefile:28:1",
		"ApplyKustomize «kustomize build | kubectl apply» paths=config dir=. at Makefile:30:0 via hack/e2e-setup.sh:22:1,Makefile:28:1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Script:\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestKind reads sigs.k8s.io/kind v0.29.0's Makefile and test script.
func TestKind(t *testing.T) {
	runMake(t, "kind", []makeCase{
		{"the default goal builds kind", nil, nil, nil},
		{"a script and what it sources", []string{"unit"}, nil, []string{
			"RunScript «./test.sh» paths=hack/make-rules/test.sh dir=. at Makefile:68:2 followed via Makefile:67:1",
			"RunScript «source» paths=hack/build/setup-go.sh dir=. at hack/make-rules/test.sh:22:1 via Makefile:67:1,Makefile:68:2",
			"RunScript «./gotestsum» paths=bin/gotestsum dir=. at hack/make-rules/test.sh:46:3 via Makefile:67:1,Makefile:68:2",
			"unknown script hack/build/setup-go.sh: no such file in the repository at hack/make-rules/test.sh:22:1",
		}},
	})
}

// TestKueue reads an excerpt of sigs.k8s.io/kueue v0.17.0's Makefiles.
func TestKueue(t *testing.T) {
	registry := "${IMAGE_REGISTRY:-us-central1-docker.pkg.dev/k8s-staging-images/kueue}"
	runMake(t, "kueue", []makeCase{
		{"target-specific variables reach the prerequisite", []string{"kind-image-build"}, nil, []string{
			"Build «docker buildx build» images=" + registry + "/kueue:${GIT_TAG:-«$(shell git describe --tags --dirty --always)»} " +
				registry + "/kueue:release-0.17 dir=. at Makefile:70:2 via Makefile:99:1,Makefile:69:1",
		}},
		{"a prerequisite named from a ?= variable", []string{"test-e2e"}, nil, []string{
			"unknown prerequisite run-test-e2e-singlecluster-$(E2E_KIND_VERSION:kindest/node:v%=%): $(E2E_KIND_VERSION) may come from the environment at Makefile-test.mk:15:1",
		}},
		{"deploy", []string{"deploy"}, nil, []string{
			"ApplyKustomize «kubectl apply» paths=config/default dir=. at Makefile:109:2 via Makefile:108:1",
		}},
	})
}

func TestOwnImages(t *testing.T) {
	root := checkout(t, "handmade")
	m := Load(root)
	var got []string
	for _, o := range m.OwnImages() {
		f, _ := filepath.Rel(root, o.Pos.File)
		got = append(got, fmt.Sprintf("%s default=%q repository=%q suffix=%q vars=%s at %s:%d",
			show(o.Ref), o.Default, o.Repository, o.Suffix, strings.Join(o.Vars, ","), f, o.Pos.Line))
	}
	want := []string{
		`${IMG:-${REGISTRY:-ghcr.io/example}/app:${TAG:-latest}} default="ghcr.io/example/app:latest" repository="ghcr.io/example/app" suffix="" vars=IMG,REGISTRY,TAG at Makefile:15`,
		`${HUB:-ghcr.io/x}/operator:${VERSION:-«$(shell git describe --tags --always)»} default="" repository="ghcr.io/x/operator" suffix="operator" vars=HUB,VERSION at hack/e2e-setup.sh:13`,
		`${HUB:-ghcr.io/x}/webhook:${VERSION:-«$(shell git describe --tags --always)»} default="" repository="ghcr.io/x/webhook" suffix="webhook" vars=HUB,VERSION at hack/e2e-setup.sh:13`,
		`${HUB:-ghcr.io/x}/operator:dev default="ghcr.io/x/operator:dev" repository="ghcr.io/x/operator" suffix="operator" vars=HUB at hack/e2e-setup.sh:13`,
		`${HUB:-ghcr.io/x}/webhook:dev default="ghcr.io/x/webhook:dev" repository="ghcr.io/x/webhook" suffix="webhook" vars=HUB at hack/e2e-setup.sh:13`,
		// the workflow's make docker-build IMG=$IMG, and its own build
		`ghcr.io/example/app:«${{ github.sha }}» default="" repository="ghcr.io/example/app" suffix="" vars= at Makefile:15`,
		`ghcr.io/example/tools:ci default="ghcr.io/example/tools:ci" repository="ghcr.io/example/tools" suffix="" vars= at .github/workflows/e2e.yml:15`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("OwnImages:\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for ref, own := range map[string]bool{
		"ghcr.io/example/app:v2":       true,
		"ghcr.io/example/app":          true,
		"ghcr.io/x/operator:latest":    true,
		"quay.io/mirror/webhook:v1":    true, // the registry part is $HUB
		"ghcr.io/example/other:latest": false,
		"nginx:1.25":                   false,
		"registry.k8s.io/pause:3.9":    false,
		"not a reference":              false,
	} {
		if got := m.IsOwn(ref); got != own {
			t.Errorf("IsOwn(%q) = %v, want %v", ref, got, own)
		}
	}
	kb := Load(checkout(t, "kubebuilder"))
	if !kb.IsOwn("controller:latest") || !kb.IsOwn("docker.io/library/controller:v1") || kb.IsOwn("example.com/demo:v1") {
		t.Error("kubebuilder: controller is the scaffold's own image")
	}
}

func TestProblems(t *testing.T) {
	root := checkout(t, "broken")
	m := Load(root)
	run := m.Make(".", []string{"all"}, nil, nil)
	if len(run.Steps) != 0 {
		t.Errorf("steps of a broken Makefile: %v", run.Steps)
	}
	var got []string
	for _, p := range m.Problems() {
		f, _ := filepath.Rel(root, p.Pos.File)
		got = append(got, fmt.Sprintf("%s:%d: %s", f, p.Pos.Line, p.Msg))
	}
	for _, want := range []string{
		`Makefile:4: missing separator in "this line is no make"`,
		"Makefile:2: ifeq without endif",
		"Makefile:6: recipe line is not valid shell: 1:6: reached EOF without matching `$(` with `)`",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
	if run := m.Make("no-such-dir", nil, nil, nil); len(run.Unknowns) != 1 || !strings.Contains(run.Unknowns[0].Reason, "no Makefile") {
		t.Errorf("make in a directory without Makefile: %v", run.Unknowns)
	}
}

func TestBounds(t *testing.T) {
	root := checkout(t, "handmade")
	outside := filepath.Join(filepath.Dir(root), "outside.mk")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "IMG = outside\n")
	write(filepath.Join(root, "big.mk"), "X = "+strings.Repeat("x", maxFileSize)+"\n")
	write(filepath.Join(root, "Makefile"), "include ../outside.mk\ninclude big.mk\nall:\n\tdocker push $(IMG)\n")
	if err := os.Symlink(outside, filepath.Join(root, "link.mk")); err != nil {
		t.Fatal(err)
	}
	m := Load(root)
	got := renderRun(root, m.Make(".", nil, nil, nil))
	if want := []string{"Push «docker push» images=${IMG} dir=. at Makefile:4:2 via Makefile:3:1"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	var problems []string
	for _, p := range m.Problems() {
		problems = append(problems, p.Msg)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "outside the repository") || !strings.Contains(problems[1], "larger than") {
		t.Errorf("problems %q", problems)
	}
	if _, err := m.read(filepath.Join(root, "link.mk")); err == nil {
		t.Error("a symbolic link out of the repository was read")
	}
}

func TestLoadSeesEdits(t *testing.T) {
	root := checkout(t, "kubebuilder")
	m := Load(root)
	if Load(root) != m {
		t.Fatal("Load is not memoised")
	}
	m.Make(".", []string{"deploy"}, nil, nil)
	if Load(root) != m {
		t.Fatal("reading files made the model stale")
	}
	mk := filepath.Join(root, "Makefile")
	data, _ := os.ReadFile(mk)
	edited := strings.Replace(string(data), "IMG ?= controller:latest", "IMG ?= example.com/demo:dev", 1)
	if err := os.WriteFile(mk, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(mk, later, later); err != nil {
		t.Fatal(err)
	}
	m2 := Load(root)
	if m2 == m {
		t.Fatal("an edited Makefile did not give a new model")
	}
	if w, _, _ := m2.MakeVar(".", "IMG"); show(w) != "${IMG:-example.com/demo:dev}" {
		t.Errorf("after the edit IMG = %s", show(w))
	}
}

func TestRepoRoot(t *testing.T) {
	root := checkout(t, "handmade")
	sub := filepath.Join(root, "test", "e2e")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	m := Load(sub)
	if m.RepoRoot != root || m.ModuleRoot != sub {
		t.Errorf("roots %q %q, want %q %q", m.ModuleRoot, m.RepoRoot, sub, root)
	}
	if len(m.OwnImages()) == 0 {
		t.Error("the repository root's Makefile and scripts were not read")
	}
	// A repository copied without its .git keeps its workflows: .github
	// marks the root as well.
	if err := os.Remove(filepath.Join(root, ".git")); err != nil {
		t.Fatal(err)
	}
	if m := Load(sub); m.RepoRoot != root {
		t.Errorf("with .github only, root %q, want %q", m.RepoRoot, root)
	}
	if got := m.MakefileDir(filepath.Join(sub, "x")); got != root {
		t.Errorf("MakefileDir below the module = %q, want the repository root %q", got, root)
	}
	if got := m.FileAt(sub, "hack/e2e-setup.sh"); got != root {
		t.Errorf("FileAt = %q, want %q", got, root)
	}
	if got := m.FileAt(sub, "hack/not-there.sh"); got != "" {
		t.Errorf("FileAt of a missing file = %q", got)
	}
	if !m.Defines(root, "kind-load") || m.Defines(root, "not-a-target") {
		t.Error("Defines: kind-load is a target, not-a-target is not")
	}
}

func TestCI(t *testing.T) {
	root := checkout(t, "handmade")
	m := Load(root)
	rel := func(p Pos) string {
		f, _ := filepath.Rel(root, p.File)
		return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Col)
	}
	var got []string
	for _, name := range []string{"IMG", "APP_IMAGE_OVERRIDE", "APP_IMAGE"} {
		for _, v := range m.CIEnv(name) {
			got = append(got, fmt.Sprintf("%s=%s at %s for %s at %s make-var=%v", name, show(v.Value), rel(v.Pos), v.Run, rel(v.RunPos), v.MakeVar))
		}
	}
	want := []string{
		"IMG=ghcr.io/example/app:«${{ github.sha }}» at .github/workflows/e2e.yml:9:7 for make at .github/workflows/e2e.yml:14:11 make-var=false",
		"IMG=ghcr.io/example/app:«${{ github.sha }}» at .github/workflows/e2e.yml:14:29 for make at .github/workflows/e2e.yml:14:11 make-var=true",
		"IMG=ghcr.io/example/app:«${{ github.sha }}» at .github/workflows/e2e.yml:9:7 for go test at .github/workflows/e2e.yml:19:14 make-var=false",
		"APP_IMAGE_OVERRIDE=ghcr.io/example/app:ci at .github/workflows/e2e.yml:18:11 for go test at .github/workflows/e2e.yml:19:14 make-var=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("CIEnv:\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	runs := m.CIRuns()
	if len(runs) != 1 || !runs[0].Make || !slices.Equal(runs[0].Targets, []string{"docker-build"}) || runs[0].Dir != root {
		t.Errorf("CIRuns: %+v", runs)
	}
	var ci []string
	for _, o := range m.OwnImages() {
		if strings.Contains(o.Pos.File, ".github") || slices.ContainsFunc(o.Via, func(p Pos) bool { return strings.Contains(p.File, ".github") }) {
			ci = append(ci, show(o.Ref)+" at "+rel(o.Pos))
		}
	}
	wantCI := []string{
		"ghcr.io/example/app:«${{ github.sha }}» at Makefile:15:2",
		"ghcr.io/example/tools:ci at .github/workflows/e2e.yml:15:11",
	}
	if !slices.Equal(ci, wantCI) {
		t.Errorf("own images from CI:\ngot:\n  %s\nwant:\n  %s", strings.Join(ci, "\n  "), strings.Join(wantCI, "\n  "))
	}
	if !m.IsOwn("ghcr.io/example/tools:v1") {
		t.Error("an image the workflow builds is the repository's own")
	}
}

func TestBaseImages(t *testing.T) {
	root := checkout(t, "handmade")
	m := Load(root)
	var got []string
	for _, b := range m.BaseImages() {
		got = append(got, fmt.Sprintf("%s line %d", b.Ref, b.Pos.Line))
	}
	if want := []string{"golang:1.24 line 2", "gcr.io/distroless/static:nonroot line 6"}; !slices.Equal(got, want) {
		t.Errorf("BaseImages %q, want %q", got, want)
	}
	if !m.IsBase("golang:1.24") || !m.IsBase("docker.io/library/golang:1.24") || m.IsBase("ghcr.io/example/app") {
		t.Error("IsBase")
	}
	if m.IsOwn("golang:1.24") {
		t.Error("a base image is not the repository's own")
	}
}

// MakefileDirs lists the directories holding a Makefile, by the tail of
// their path, skipping hidden and vendored ones; an edit adding one is seen.
func TestMakefileDirs(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for _, f := range []string{"Makefile", "webhook/Makefile", "tools/webhook/GNUmakefile", ".cache/Makefile", "vendor/x/Makefile", "docs/README.md", ".git/HEAD"} {
		files[f] = ""
	}
	writeTree(t, root, files)
	m := Load(root)
	rel := func(dirs []string) string {
		var out []string
		for _, d := range dirs {
			r, _ := filepath.Rel(root, d)
			out = append(out, filepath.ToSlash(r))
		}
		return strings.Join(out, " ")
	}
	for tail, want := range map[string]string{"": ". tools/webhook webhook", "webhook": "tools/webhook webhook", "tools/webhook": "tools/webhook", "docs": "", "x": ""} {
		dirs, all := m.MakefileDirs(tail)
		if got := rel(dirs); got != want || !all {
			t.Errorf("MakefileDirs(%q) = %q, %v; want %q, true", tail, got, all, want)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "docs", "Makefile"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory's stamp is its size and time: move the time past the
	// file system's granularity.
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(filepath.Join(root, "docs"), later, later); err != nil {
		t.Fatal(err)
	}
	if dirs, _ := Load(root).MakefileDirs("docs"); rel(dirs) != "docs" {
		t.Errorf("after adding docs/Makefile: %q", rel(dirs))
	}
}

// GoTestRuns finds the go test runs of a Makefile's targets, with the
// steps before them and the variables make hands them: exported ones and
// NAME=value before go test.
func TestGoTestRuns(t *testing.T) {
	root := t.TempDir()
	mk := "IMG ?= example.com/op:dev\nexport KIND_CLUSTER ?= e2e\n\n" +
		"docker-build:\n\tdocker build -t $(IMG) .\n\n" +
		"kind-load:\n\tkind load docker-image $(IMG) --name $(KIND_CLUSTER)\n\n" +
		"test-e2e: docker-build kind-load\n\tIMG=$(IMG) go test -tags e2e ./test/e2e/... -v\n\n" +
		"test:\n\tgo test ./...\n"
	writeTree(t, root, map[string]string{"Makefile": mk, ".git/HEAD": ""})
	var got []string
	for _, g := range Load(root).GoTestRuns() {
		var env, before []string
		for _, k := range slices.Sorted(maps.Keys(g.Env)) {
			env = append(env, k+"="+show(g.Env[k]))
		}
		for _, s := range g.Before {
			before = append(before, s.Kind.String())
		}
		got = append(got, fmt.Sprintf("%s %v env=%s before=%s e2e:%v", g.Target, g.Pkgs, strings.Join(env, ","), strings.Join(before, ","),
			g.Tests(filepath.Join(root, "test", "e2e", "suite"))))
	}
	want := []string{
		"test [./...] env=KIND_CLUSTER=${KIND_CLUSTER:-e2e} before= e2e:true",
		"test-e2e [./test/e2e/...] env=IMG=${IMG:-example.com/op:dev},KIND_CLUSTER=${KIND_CLUSTER:-e2e} before=Build,Load e2e:true",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("GoTestRuns:\ngot  %q\nwant %q", got, want)
	}
}

// TestEnv gives the values the known go test runs of a package give a
// variable: the recipe's, a CI make run's, a CI go test run's; none when
// one run leaves it unset.
func TestTestEnv(t *testing.T) {
	root := t.TempDir()
	mk := "IMG ?= example.com/op:dev\n\n" +
		"test-prelude:\n\tIMG=$(IMG) go test ./test/prelude/...\n\n" +
		"test-ci:\n\tgo test ./test/ci/...\n\n" +
		"test-dev:\n\tgo test ./test/dev/...\n"
	wf := "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"    - run: make test-ci IMG=example.com/op:ci\n" +
		"    - run: go test ./test/wf/...\n      env:\n        IMG: example.com/op:e2e\n" +
		"    - run: go test ./test/two/...\n      env:\n        IMG: example.com/op:a\n" +
		"    - run: go test ./test/two/...\n      env:\n        IMG: example.com/op:b\n" +
		"    - run: go test ./test/unset/...\n"
	writeTree(t, root, map[string]string{"Makefile": mk, ".github/workflows/e2e.yml": wf})
	m := Load(root)
	for pkg, want := range map[string]string{
		"test/prelude": "${IMG:-example.com/op:dev} at Makefile:4",
		"test/ci":      "example.com/op:ci at .github/workflows/e2e.yml:6",
		"test/dev":     "unknown",
		"test/wf":      "example.com/op:e2e at .github/workflows/e2e.yml:9",
		"test/two":     "example.com/op:a at .github/workflows/e2e.yml:12, example.com/op:b at .github/workflows/e2e.yml:15",
		"test/unset":   "unknown",
		"test/none":    "unknown",
	} {
		values, ok := m.TestEnv(filepath.Join(root, filepath.FromSlash(pkg)), "IMG")
		got := "unknown"
		if ok {
			var each []string
			for _, v := range values {
				f, _ := filepath.Rel(root, v.Pos.File)
				each = append(each, fmt.Sprintf("%s at %s:%d", show(v.Value), filepath.ToSlash(f), v.Pos.Line))
			}
			got = strings.Join(each, ", ")
		}
		if got != want {
			t.Errorf("TestEnv(%s, IMG) = %s, want %s", pkg, got, want)
		}
	}
}

// FlagUnset: no known run of the package may set the flag.
func TestFlagUnset(t *testing.T) {
	root := t.TempDir()
	mk := "test-a:\n\tgo test ./test/a/... -args -img=example.com/op:x\n\n" +
		"test-b:\n\tgo test -v -run TestE2E ./test/b/... -tag=v1\n\n" +
		"test-c:\n\tgo test ./test/c/... $(TEST_ARGS)\n"
	wf := "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"    - run: go test ./test/d/... -img example.com/op:y\n" +
		"    - run: go test ./test/e/... -count=1\n"
	writeTree(t, root, map[string]string{"Makefile": mk, ".github/workflows/e2e.yml": wf})
	m := Load(root)
	for pkg, want := range map[string]bool{"test/a": false, "test/b": true, "test/c": false, "test/d": false, "test/e": true, "test/none": false} {
		if got := m.FlagUnset(filepath.Join(root, filepath.FromSlash(pkg)), "img"); got != want {
			t.Errorf("FlagUnset(%s, img) = %v, want %v", pkg, got, want)
		}
	}
}

// writeTree writes files, by slash path, under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
