package analyzer

import (
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
)

// Every field of Config is a setting the decoders support, with help.
func TestSettingsSchema(t *testing.T) {
	ss := settingsOfConfig()
	if len(ss) != reflect.TypeFor[Config]().NumField() {
		t.Errorf("%d settings for %d fields of Config", len(ss), reflect.TypeFor[Config]().NumField())
	}
	for _, s := range ss {
		if s.help == "" {
			t.Errorf("setting %q has no help tag", s.key)
		}
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var cfg Config
	cfg.RegisterFlags(fs)
	for _, k := range SettingKeys() {
		if fs.Lookup(k) == nil {
			t.Errorf("setting %q has no flag", k)
		}
	}
}

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      func(*Config)
		set       []string
	}{
		{"empty", "", func(*Config) {}, nil},
		{"comment only", "# nothing\n", func(*Config) {}, nil},
		{"every key", `producers: [BuildImage, example.com/e2e.Builder.Build]
generators: [NewTag]
deploy-pattern: ^Install
build-pattern: ^Make
load-pattern: ^Push
local-image-pattern: '^reg\.local/'
disable: [hardcoded-image]
include-generated: true
tags: [e2e, integration]
`, func(c *Config) {
			c.Producers, c.Generators = []string{"BuildImage", "example.com/e2e.Builder.Build"}, []string{"NewTag"}
			c.DeployPattern, c.BuildPattern, c.LoadPattern, c.LocalImagePattern = "^Install", "^Make", "^Push", `^reg\.local/`
			c.Disable, c.IncludeGenerated = []string{"hardcoded-image"}, true
			c.Tags = []string{"e2e", "integration"}
		}, []string{"producers", "generators", "deploy-pattern", "build-pattern", "load-pattern", "local-image-pattern", "disable", "include-generated", "tags"}},
		{"null list is empty", "disable:\n", func(c *Config) { c.Disable = []string{} }, []string{"disable"}},
		{"anchors", "producers: &p [A]\ngenerators: *p\n", func(c *Config) { c.Producers, c.Generators = []string{"A"}, []string{"A"} }, []string{"producers", "generators"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, set, err := parseConfig([]byte(tc.src), "c.yaml")
			if err != nil {
				t.Fatal(err)
			}
			want := DefaultConfig()
			tc.want(&want)
			if !reflect.DeepEqual(got, want) || !slices.Equal(set, tc.set) {
				t.Errorf("got %+v, set %v\nwant %+v, set %v", got, set, want, tc.set)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"producer: [A]", `c.yaml:1:1: unknown key "producer" (known keys: producers, `},
		{"disable: []\nbuild_pattern: x", `c.yaml:2:1: unknown key "build_pattern"`},
		{"disable: hardcoded-image", `c.yaml:1:10: "disable": got string, want a list of strings`},
		{"producers:\n  - A\n  - 3", `c.yaml:3:5: "producers": got number in the list, want a list of strings`},
		{"producers: [{a: b}]", `c.yaml:1:13: "producers": got mapping in the list`},
		{"include-generated: yes", `c.yaml:1:20: "include-generated": got string, want boolean`},
		{"deploy-pattern: 12", `c.yaml:1:17: "deploy-pattern": got number, want string`},
		{"deploy-pattern: [a]", `"deploy-pattern": got list, want string`},
		{"deploy-pattern: '(x'", `c.yaml:1:17: "deploy-pattern": error parsing regexp: missing closing )`},
		{"disable: [hardcoded-images]", `c.yaml:1:10: "disable": unknown check "hardcoded-images"`},
		{"producers: ['a/b']", `c.yaml:1:12: "producers": "a/b" is not Func`},
		{"disable: []\ndisable: []", `c.yaml:2:1: "disable" is set twice`},
		{"- a\n- b", `c.yaml:1:1: must be a mapping of keys (producers, `},
		{"producers: [a", `c.yaml:1: did not find expected ',' or ']'`},
		{"a: b\n\tc: d", `c.yaml:2: found a tab character`},
		{"tags: e2e", `c.yaml:1:7: "tags": got string, want a list of strings`},
		{"tags: [e2e integration]", `c.yaml:1:7: "tags": "e2e integration" is not a build tag (separate tags with commas)`},
		{"tags: ['!e2e']", `c.yaml:1:7: "tags": "!e2e" is not a build tag`},
	} {
		_, _, err := parseConfig([]byte(tc.src), "c.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to contain %q", tc.src, err, tc.want)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{"", "producers: [A, b.C]\ndisable: [hardcoded-image]\n", "include-generated: true", "deploy-pattern: '('", "[1, 2]", "a: &x [*x]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, set, err := parseConfig(data, "f.yaml")
		if err != nil {
			return
		}
		// Whatever a file sets is a valid configuration.
		if _, err := New(cfg); err != nil {
			t.Fatalf("accepted %q, but New fails: %v", data, err)
		}
		for _, k := range set {
			if _, ok := lookupSetting(k); !ok {
				t.Fatalf("set unknown key %q", k)
			}
		}
	})
}

func TestFindConfigFile(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := FindConfigFile(deep); err != nil || got != "" && strings.HasPrefix(got, root) {
		t.Fatalf("no file: got %q, %v", got, err)
	}
	cfgPath := filepath.Join(root, "a", ConfigFileName)
	if err := os.WriteFile(cfgPath, []byte("disable: [hardcoded-image]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{deep, filepath.Join(root, "a")} {
		if got, err := FindConfigFile(dir); err != nil || got != cfgPath {
			t.Errorf("FindConfigFile(%s) = %q, %v; want %q", dir, got, err, cfgPath)
		}
	}
	// A module below the file is a module of its own: the search stops at
	// its go.mod.
	if err := os.WriteFile(filepath.Join(deep, "go.mod"), []byte("module b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := FindConfigFile(deep); err != nil || got != "" {
		t.Errorf("FindConfigFile(%s) in a nested module = %q, %v; want none", deep, got, err)
	}
	if got, err := FindConfigFile(filepath.Join(root, "a")); err != nil || got != cfgPath {
		t.Errorf("FindConfigFile(%s) = %q, %v; want %q", filepath.Join(root, "a"), got, err, cfgPath)
	}
	cfg, set, err := LoadConfigFile(cfgPath)
	if err != nil || !slices.Equal(cfg.Disable, []string{"hardcoded-image"}) || !slices.Equal(set, []string{"disable"}) {
		t.Errorf("LoadConfigFile = %+v, %v, %v", cfg, set, err)
	}
	if _, _, err := LoadConfigFile(filepath.Join(root, "missing.yaml")); err == nil {
		t.Error("LoadConfigFile of a missing file: no error")
	}
}

// Flags parse into the same fields as the file and override what it set.
func TestFlagsOverrideFile(t *testing.T) {
	cfg, _, err := parseConfig([]byte("disable: [hardcoded-image]\nproducers: [A]\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"-producers=B,C", "-include-generated"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Producers, []string{"B", "C"}) || !slices.Equal(cfg.Disable, []string{"hardcoded-image"}) || !cfg.IncludeGenerated {
		t.Errorf("got %+v", cfg)
	}
	for _, bad := range []string{"-deploy-pattern=(", "-disable=nope", "-include-generated=maybe", "-generators=a/b", "-tags=a b"} {
		if err := fs.Parse([]string{bad}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestTagsLoadOnly: tags is a setting of the standalone command's loading.
// Under go vet (NewFlagged) go vet's own -tags is the flag; golangci-lint's
// settings refuse it, pointing to run.build-tags.
func TestTagsLoadOnly(t *testing.T) {
	var all flag.FlagSet
	cfg := DefaultConfig()
	cfg.RegisterFlags(&all)
	if all.Lookup("tags") == nil {
		t.Error("the command has no -tags")
	}
	a, err := NewFlagged(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if a.Flags.Lookup("tags") != nil {
		t.Error("the analyzer under go vet declares -tags, which is go vet's")
	}
	if a.Flags.Lookup("disable") == nil {
		t.Error("the analyzer under go vet lost its settings' flags")
	}
	_, err = Decode(map[string]any{"tags": []any{"e2e"}})
	if err == nil || !strings.Contains(err.Error(), `"tags": golangci-lint loads the packages; set run.build-tags in .golangci.yml`) {
		t.Errorf("plugin settings with tags: %v", err)
	}
}

func TestUsage(t *testing.T) {
	const src = `package p
type Builder struct{}
func (Builder) Build() string { return "" }
func BuildAndLoadImageToKind() string { return Builder{}.Build() }
func deployIt(string) {}
func use() { deployIt(BuildAndLoadImageToKind()) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("example.com/p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Producers = []string{"BuildAndLoadImageToKind", "example.com/p.Builder.Build", "example.com/p.Builder.Built", "BuidAndLoad"}
	cfg.LoadPattern = "^Load"
	c, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u := c.Usage()
	u.Add(info)
	want := []Entry{
		{"producers", "example.com/p.Builder.Built"}, {"producers", "BuidAndLoad"},
		{"generators", "GenerateInfraImageName"}, {"load-pattern", "^Load"},
	}
	if got := u.Unmatched(); !reflect.DeepEqual(got, want) {
		t.Errorf("Unmatched() = %v, want %v", got, want)
	}
}

// The compiled trigger tells files that may matter from those that
// cannot.
func TestTrigger(t *testing.T) {
	c, err := Compile(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	mayMatter := c.Trigger()
	for src, want := range map[string]bool{
		"package p\nfunc f() int { return 1 }":                            false,
		"package p\nimport \"os/exec\"\nvar _ = exec.Command":             true,
		"package p\nimport _ \"example.com/m/vendor/os/exec\"":            true,
		"package p\nimport _ \"example.com/vendor/m/vendor/os/exec\"":     true,
		"package p\nimport _ \"example.com/m/vendor/os/execx\"":           false,
		"package p\nconst m = `image: x`":                                 true,
		"package p\nfunc g() { BuildAndLoadImageToKind() }":               true,
		"package p\nfunc g() { deployService() }\nfunc deployService(){}": true,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := mayMatter(f); got != want {
			t.Errorf("%q: Trigger gives %v, want %v", src, got, want)
		}
	}
	// Every package of the knowledge table is a trigger: a suite that
	// only calls library APIs is analysed.
	for _, path := range knowledge.Packages() {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", "package p\nimport _ \""+path+"\"", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !mayMatter(f) {
			t.Errorf("a file importing %s does not matter", path)
		}
	}
}

// A package whose only trigger is the core API is relevant only if
// imported when its container images are fields read from fields; any
// other value that may reach a container image makes it relevant.
func TestRelevance(t *testing.T) {
	c, err := Compile(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	relevance := c.Relevance()
	const header = "package p\nimport corev1 \"k8s.io/api/core/v1\"\n"
	const crd = "type Spec struct{ Image, Img, Repo string }\ntype CR struct{ Spec Spec }\n"
	for _, tc := range []struct {
		name  string
		files []string
		want  Relevance
	}{
		{"no trigger", []string{"package p\nfunc f() int { return 1 }"}, Irrelevant},
		{"types only", []string{header + "type S struct{ R corev1.ResourceRequirements; Image string }\nfunc (in *S) Copy(out *S) { *out = *in }"}, IfImported},
		{"custom resource field", []string{header + crd + "func pod(cr *CR) corev1.Container { return corev1.Container{Name: \"x\", Image: cr.Spec.Image} }"}, IfImported},
		{"receiver field", []string{header + "type R struct{ Image string }\nfunc (r *R) pod() corev1.Container { return corev1.Container{Image: r.Image} }"}, IfImported},
		{"copied between pods", []string{header + "func sync(have, want *corev1.Pod) { have.Spec.Containers[0].Image = want.Spec.Containers[0].Image }"}, IfImported},
		{"through another field", []string{header + crd + "func pod(cr *CR) corev1.Container { return corev1.Container{Image: cr.Spec.Img} }\nfunc f(cr *CR, o *CR) { cr.Spec.Img = o.Spec.Repo }"}, IfImported},
		{"parameter", []string{header + "func pod(image string) corev1.Container { return corev1.Container{Image: image} }"}, Relevant},
		{"parameter's field", []string{header + crd + "func pod(o Spec) corev1.Container { return corev1.Container{Image: o.Image} }"}, Relevant},
		{"parameter's field through a pointer", []string{header + crd + "func pod(o *Spec) corev1.Container { return corev1.Container{Image: (*o).Image} }"}, Relevant},
		{"constant", []string{header + "var c = corev1.Container{Image: \"app:dev\"}"}, Relevant},
		{"other package's constant", []string{header + "import \"example.com/defaults\"\nvar c = corev1.Container{Image: defaults.Image}"}, Relevant},
		{"other package's constant, versioned path", []string{header + "import \"example.com/defaults/v2\"\nvar c = corev1.Container{Image: defaults.Image}"}, Relevant},
		{"undeclared root", []string{header + "var c = corev1.Container{Image: cfg.Image}"}, Relevant},
		{"call", []string{header + crd + "func pod(cr *CR) corev1.Container { return corev1.Container{Image: cr.Spec.Repo + \":dev\"} }"}, Relevant},
		{"field of a result", []string{header + crd + "func get() CR { return CR{} }\nvar c = corev1.Container{Image: get().Spec.Image}"}, Relevant},
		{"variable", []string{header + "func pod() corev1.Container { img := \"app:dev\"; return corev1.Container{Image: img} }"}, Relevant},
		{"appended", []string{header + "func pod(c *corev1.Container) { c.Image += \":dev\" }"}, Relevant},
		{"field written a constant", []string{header + crd + "func pod(cr *CR) corev1.Container { cr.Spec.Image = \"app:dev\"; return corev1.Container{Image: cr.Spec.Image} }"}, Relevant},
		{"read field written a constant, in another file", []string{
			header + crd + "func pod(cr *CR) corev1.Container { return corev1.Container{Image: cr.Spec.Img} }",
			"package p\nvar def = Spec{Img: \"app:dev\"}",
		}, Relevant},
		{"two fields away", []string{
			header + crd + "func pod(cr *CR) corev1.Container { return corev1.Container{Image: cr.Spec.Img} }",
			"package p\nfunc f(cr, o *CR) { cr.Spec.Img = o.Spec.Repo }\nvar def = Spec{Repo: \"app:dev\"}",
		}, Relevant},
		{"positional literal", []string{header + "var c = []corev1.Container{{\"name\", \"app:dev\"}}"}, Relevant},
		{"directive", []string{header + crd + "func pod(cr *CR) corev1.Container {\n//imagetaglint:ignore hardcoded-image reason\nreturn corev1.Container{Image: cr.Spec.Image} }"}, Relevant},
		{"embedded file", []string{header + "import _ \"embed\"\n//go:embed pod.yaml\nvar pod string"}, Relevant},
		{"other trigger", []string{header + "import \"os/exec\"\nvar _ = exec.Command"}, Relevant},
	} {
		var files []*ast.File
		for i, src := range tc.files {
			f, err := parser.ParseFile(token.NewFileSet(), fmt.Sprintf("p%d.go", i), src, parser.ParseComments)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			files = append(files, f)
		}
		if got := relevance(files); got != tc.want {
			t.Errorf("%s: relevance %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A function carries no fact when it takes no parameter and only combines
// literals and calls of functions that carry none; anything else may.
func TestFactNames(t *testing.T) {
	c, err := Compile(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	factNames := c.FactNames()
	// example.com/lib is not analysed: its functions export no fact. Nor
	// is a local fork of a package the checks model, which still counts.
	inert := func(path string) (string, bool) {
		name := path[strings.LastIndex(path, "/")+1:]
		return name, path == "example.com/lib" || path == "helm.sh/helm/v3/pkg/strvals"
	}
	const header = "package p\nimport (\n\"example.com/lib\"\n\"example.com/helper\"\n\"helm.sh/helm/v3/pkg/strvals\"\n\"os\"\n)\nvar _, _, _ = helper.X, os.Args, strvals.X\n"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"description", "func Describe() string { return lib.Describe() + \"<p\" }", nil},
		{"through an inert function of its own", "func Describe() string { return name() }\nfunc name() string { return lib.Name() }", nil},
		{"inert method", "type T struct{}\nfunc (T) Describe() string { return \"t\" }", nil},
		{"unexported", "func deploy(image string) {}", nil},
		{"parameter", "func Deploy(image string) { lib.Apply(image) }", []string{"Deploy"}},
		{"analysed package", "func Describe() string { return helper.Describe() }", []string{"Describe"}},
		{"environment", "func Image() string { return os.Getenv(\"IMG\") }", []string{"Image"}},
		{"through a function of its own", "func Describe() string { return image() }\nfunc image() string { return os.Getenv(\"IMG\") }", []string{"Describe"}},
		{"builtin", "func Describe() string { return string(lib.Bytes()) }", []string{"Describe"}},
		{"variable", "var img = \"app:dev\"\nfunc Image() string { return img }", []string{"Image"}},
		{"receiver", "type T struct{ img string }\nfunc (t T) Image() string { return t.img }", []string{"Image"}},
		{"receiver named as the import", "type T struct{}\nfunc (lib T) Describe() string { return lib.Describe() }", []string{"Describe"}},
		{"named result", "func Image() (img string) { return }", []string{"Image"}},
		{"manifest literal", "func Manifest() string { return \"image: app:dev\" }", []string{"Manifest"}},
		{"configured call", "func Describe() string { return lib.Deploy() }", []string{"Describe"}},
		{"modelled package", "func Values() string { return strvals.Values() }", []string{"Values"}},
		{"function literal", "func Describe() string { return func() string { return \"p\" }() }", []string{"Describe"}},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", header+tc.src, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := slices.Sorted(maps.Keys(factNames([]*ast.File{f}, inert)))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q may carry facts, want %q", tc.name, got, tc.want)
		}
	}
}
