package analyzer

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/imagetaglint/imagetaglint/flowmap"
)

// stubImporter serves small stand-ins for the standard library packages
// setup code uses, and testdata's stubs for k8s.io, type-checked once. Real
// export data or source would cost a process or seconds per package in a
// fuzzing worker; any other path fails at once.
type stubImporter struct {
	mu   sync.Mutex
	fset *token.FileSet
	seen map[string]*types.Package
}

var stdStubs = map[string]string{
	"context": "package context\ntype Context interface{ Done() <-chan struct{} }\nfunc Background() Context",
	"errors":  "package errors\nfunc New(text string) error",
	"fmt": `package fmt
import "io"
func Sprintf(format string, a ...any) string
func Sprint(a ...any) string
func Errorf(format string, a ...any) error
func Printf(format string, a ...any) (int, error)
func Fprintf(w io.Writer, format string, a ...any) (int, error)
func Fprintln(w io.Writer, a ...any) (int, error)`,
	"io":  "package io\ntype Writer interface{ Write(p []byte) (int, error) }\nvar Discard Writer",
	"log": "package log\nfunc Printf(format string, v ...any)",
	"os":  "package os\nfunc Getenv(key string) string\nfunc ReadFile(name string) ([]byte, error)",
	"os/exec": `package exec
import ("context"; "io")
type Cmd struct{ Stdout, Stderr io.Writer }
func Command(name string, arg ...string) *Cmd
func CommandContext(ctx context.Context, name string, arg ...string) *Cmd
func (c *Cmd) Run() error
func (c *Cmd) Output() ([]byte, error)`,
	"strings": `package strings
func TrimPrefix(s, prefix string) string
func TrimSuffix(s, suffix string) string
func TrimSpace(s string) string
func ToLower(s string) string
func ReplaceAll(s, old, new string) string`,
	"time": "package time\ntype Time struct{ ns int64 }\nfunc Now() Time\nfunc (t Time) UnixNano() int64\nfunc (t Time) Unix() int64",
}

func (imp *stubImporter) Import(path string) (*types.Package, error) {
	imp.mu.Lock()
	pkg, ok := imp.seen[path]
	imp.mu.Unlock()
	if !ok {
		pkg = imp.check(path)
		imp.mu.Lock()
		imp.seen[path] = pkg
		imp.mu.Unlock()
	}
	if pkg == nil {
		return nil, fmt.Errorf("no stub for %q", path)
	}
	return pkg, nil
}

func (imp *stubImporter) check(path string) *types.Package {
	var files []*ast.File
	if src, ok := stdStubs[path]; ok {
		f, err := parser.ParseFile(imp.fset, path+".go", src, 0)
		if err != nil {
			return nil
		}
		files = append(files, f)
	} else if strings.HasPrefix(path, "k8s.io/") {
		names, _ := filepath.Glob(filepath.Join("..", "testdata", "stubs", filepath.FromSlash(path), "*.go"))
		for _, name := range names {
			if f, err := parser.ParseFile(imp.fset, name, nil, 0); err == nil {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		return nil
	}
	conf := types.Config{Importer: imp, Error: func(error) {}}
	pkg, _ := conf.Check(path, imp.fset, files, nil)
	return pkg
}

var fuzzImporter = &stubImporter{fset: token.NewFileSet(), seen: make(map[string]*types.Package)}

// FuzzAnalyzer runs every check on generated Go source: a setup flow whose
// images, manifest, command line, names and shape come from the fuzzer.
// Generating the source, rather than mutating it byte by byte, keeps every
// input a program that type-checks, so the fuzzer explores the analyzer and
// not the type checker.
func FuzzAnalyzer(f *testing.F) {
	f.Add("localhost/kubernaut-datastorage:e2e", "spec:\n  containers:\n  - image: %s\n", "ctr -n k8s.io images tag a b", "deployDataStorage", uint16(0xffff))
	f.Add("datastorage:e2e-test", "spec:\n  containers:\n  - image: localhost/x:1\n    imagePullPolicy: Never\n", "podman build -t localhost/x:1 .", "DeployGateway", uint16(0x5a5a))
	f.Add("postgres:16-alpine", "{\"spec\": {\"containers\": [{\"image\": \"%[2]s\"}]}}", "kind load docker-image localhost/x:1", "startService", uint16(0x00ff))
	f.Add("", "%", "", "_", uint16(0))
	s, err := func() (*settings, error) { cfg := DefaultConfig(); return cfg.compile() }()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, image, manifest, command, deployName string, shape uint16) {
		src := generateFlow(image, manifest, command, deployName, shape)
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("generated source does not parse: %v\n%s", err, src)
		}
		runOnFile(t, fset, file, src, s)
	})
}

// generateFlow writes a setup flow. Each bit of shape switches one
// statement on, so that the fuzzer combines the patterns of the checks.
func generateFlow(image, manifest, command, deployName string, shape uint16) string {
	name := identifier(deployName)
	var words []string
	for _, w := range strings.Fields(command) {
		words = append(words, strconv.Quote(w))
	}
	argv := strings.Join(words, ", ")
	if argv == "" {
		argv = `"true"`
	}
	lines := []string{
		"tag := GenerateInfraImageName(\"datastorage\", \"fuzz\")",
		"img, err := BuildAndLoadImageToKind(E2EImageConfig{Name: tag}, w)",
		"_, _ = BuildAndLoadImageToKind(E2EImageConfig{Name: " + strconv.Quote(image) + "}, w)",
		"_ = " + name + "(ctx, " + strconv.Quote(image) + ")",
		"_ = " + name + "(ctx, GenerateInfraImageName(\"datastorage\", \"fuzz\"))",
		"_ = " + name + "(ctx, img)",
		"_ = " + name + "(ctx, tag)",
		"_ = exec.Command(" + argv + ").Run()",
		"_ = fmt.Sprintf(" + strconv.Quote(manifest) + ", tag, " + strconv.Quote(image) + ")",
		"m := map[string]string{\"ds\": img}; _ = " + name + "(ctx, strings.TrimPrefix(m[\"ds\"], \"localhost/\"))",
		"c := corev1.Container{Name: \"ds\", Image: " + strconv.Quote(image) + ", ImagePullPolicy: corev1.PullNever}; _ = c",
		"again := GenerateInfraImageName(\"datastorage\", \"fuzz\"); _ = " + name + "(ctx, again)",
		"go func() { _, _ = BuildAndLoadImageToKind(E2EImageConfig{}, w) }()",
		"if tag != \"\" { tag = GenerateInfraImageName(\"datastorage\", \"fuzz\") }",
		"//imagetaglint:ignore hardcoded-image " + strconv.QuoteToASCII(command),
		"_ = " + strconv.Quote(manifest),
	}
	var body strings.Builder
	for i, line := range lines {
		if shape&(1<<i) != 0 {
			body.WriteString("\t" + line + "\n")
		}
	}
	return `package fuzz

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

type E2EImageConfig struct{ Name string }

func BuildAndLoadImageToKind(cfg E2EImageConfig, w io.Writer) (string, error) { return cfg.Name, nil }

func GenerateInfraImageName(infrastructure, consumer string) string { return infrastructure + consumer }

func ` + name + `(ctx context.Context, image string) error {
	_ = corev1.Container{Name: "x", Image: ` + strconv.Quote(image) + `}
	_ = ctx
	return nil
}

func setup(ctx context.Context, w io.Writer) error {
	var (
		tag, img string
		err      error
	)
	_, _, _ = tag, img, err
	_, _, _ = fmt.Sprint(), exec.Command, strings.TrimSpace
` + body.String() + `	return err
}
`
}

// identifier makes s a Go identifier that does not collide with the
// generated code.
func identifier(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	id := b.String()
	switch id {
	case "", "_", "setup", "tag", "img", "err", "ctx", "w", "m", "c", "again", "BuildAndLoadImageToKind", "GenerateInfraImageName", "E2EImageConfig":
		return "deployFuzz"
	}
	if token.IsKeyword(id) || types.Universe.Lookup(id) != nil {
		return "deployFuzz"
	}
	return "deploy" + id
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
	// As the describing analyzer runs: the findings, then the flow map,
	// which must be one the renderers accept.
	ix, reported := analyse(pass, s)
	if ix == nil {
		return
	}
	m := &flowmap.Map{Version: flowmap.Version, Flows: ix.describe(reported).Flows}
	if err := m.Validate(); err != nil {
		t.Fatalf("invalid flow map: %v\n%s", err, src)
	}
}
