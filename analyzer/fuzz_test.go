package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func FuzzScanManifest(f *testing.F) {
	for _, seed := range []string{
		"spec:\n  containers:\n  - name: ds\n    image: localhost/ds:e2e\n    imagePullPolicy: Never\n",
		"spec:\n  containers:\n  - image: %s\n  - image: localhost/%[2]s:%d\n",
		"spec:\n  containers:\n  - image: {{ .Image }}\n",
		`{"spec": {"containers": [{"image": "localhost/x:1"}]}}`,
		"a: &x [*x, *x]\nspec: {containers: [{image: *x}]}\n",
		"\t\tspec:\n\t\t  containers:\n\t\t  - image: x:1\n---\nkind: Pod\n",
		"%[", "%*[2]*.*d{{", "image: [",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, img := range scanManifest(text) {
			if img.offset < 0 || img.offset > len(text) {
				t.Fatalf("offset %d outside text of %d bytes", img.offset, len(text))
			}
			for _, n := range img.args {
				if n < 0 {
					t.Fatalf("negative argument index %d", n)
				}
			}
		}
	})
}

var (
	fuzzImporterOnce sync.Once
	fuzzImporter     types.Importer
)

// FuzzAnalyzer runs every check on arbitrary Go source: whatever parses
// and however little type-checks, the analyzer must not panic.
func FuzzAnalyzer(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "checks", "*", "*.go"))
	for _, path := range seeds {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("package p\nfunc deployX(s string) {}\nfunc GenerateInfraImageName(a, b string) string { return a }\nfunc f() { deployX(GenerateInfraImageName(\"a\", \"b\")) }\n")
	fuzzImporterOnce.Do(func() { fuzzImporter = importer.Default() })
	s, err := func() (*settings, error) { cfg := DefaultConfig(); return cfg.compile() }()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 || strings.Contains(src, "import \"C\"") {
			return
		}
		fset := token.NewFileSet()
		file, _ := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if file == nil || file.Name == nil {
			return
		}
		runOnFile(t, fset, file, src, s)
	})
}

// runOnFile type-checks file as well as it can and runs the analyzer on it,
// without facts from other packages.
func runOnFile(t *testing.T, fset *token.FileSet, file *ast.File, src string, s *settings) {
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
		Implicits:  make(map[ast.Node]types.Object),
		Instances:  make(map[*ast.Ident]types.Instance),
	}
	conf := types.Config{Importer: fuzzImporter, Error: func(error) {}}
	pkg, _ := conf.Check(file.Name.Name, fset, []*ast.File{file}, info)
	pass := newPass(fset, []*ast.File{file}, pkg, info, func(string) ([]byte, error) { return []byte(src), nil })
	if _, err := run(pass, s); err != nil {
		t.Fatal(err)
	}
}
