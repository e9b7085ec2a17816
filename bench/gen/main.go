// Command gen writes a synthetic Kind E2E infrastructure module, the input of
// the imagetaglint benchmark (see ../README.md).
//
//	go run ./bench/gen -scale 4 -out /tmp/e2e
//
// Scale 1 is about 20k lines of Go. The output depends only on -scale and
// -seed, and builds offline: k8s.io/api and k8s.io/apimachinery are replaced
// by small local stubs.
//
//	go run ./bench/gen -repo 250 -out /tmp/repo
//
// writes a repository-scale module instead: that many packages, most of
// them ordinary code without images in a layered import graph, one in ten
// an E2E suite with build/load/deploy flows, and one in ten a package that
// imports the E2E helpers.
//
//	go run ./bench/gen -operator 273 -out /tmp/operator
//
// writes an operator repository of that many packages instead, against the
// real k8s.io/api and k8s.io/apimachinery (see operator.go).
package main

import (
	"bytes"
	"embed"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/template"
)

const (
	modulePath      = "example.com/kubernaut-e2e"
	infraPkgPath    = modulePath + "/internal/infrastructure"
	linesPerScale   = 20_000
	linesPerPackage = 2_500
	minFileLines    = 300
	maxFileLines    = 800
	// flowPercent of units are image flows; each is about three times the
	// size of an ordinary unit, so ~30% of the lines touch images.
	flowPercent = 12
)

var (
	//go:embed templates/*.tmpl
	templateFS embed.FS
	//go:embed stubs
	stubFS embed.FS

	templates = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

	// flowTemplates render one build/load/deploy flow; ordinaryTemplates
	// are the image-free code most of a real package consists of.
	flowTemplates     = []string{"setup.tmpl", "deployment.tmpl", "manifest.tmpl"}
	ordinaryTemplates = []string{"options.tmpl", "wait.tmpl", "report.tmpl", "naming.tmpl"}

	services = []string{
		"Gateway", "Notification", "SignalProcessing", "AIAnalysis", "WorkflowExecution",
		"RemediationOrchestrator", "Toolset", "EffectivenessMonitor", "AuthWebhook", "HolmesGPT",
	}

	// knownImports maps the package names templates use to import paths;
	// a file imports exactly the ones it references.
	knownImports = map[string]string{
		"context": "context", "errors": "errors", "fmt": "fmt", "io": "io", "json": "encoding/json",
		"os": "os", "exec": "os/exec", "filepath": "path/filepath", "sort": "sort",
		"strconv": "strconv", "strings": "strings", "sync": "sync", "time": "time",
		"corev1": "k8s.io/api/core/v1", "appsv1": "k8s.io/api/apps/v1",
		"metav1": "k8s.io/apimachinery/pkg/apis/meta/v1", "infrastructure": infraPkgPath,
	}
)

// unit is the data of one template instantiation. The image-flow fields
// choose between the correct shape and the bug shapes imagetaglint reports.
type unit struct {
	Pkg, Svc, Lower string
	N               int // makes identifiers unique within the package
	Port, Replicas  int
	Backoff         int
	Percentile      int

	DSMode         string // "phase0" (correct), "retag" (Phase 3.5) or "deploytime"
	SvcCaptured    bool   // false discards BuildAndLoadImageToKind's result
	ContainerImage string // "param" or "literal" (ignores the image parameter)
	ManifestImage  string // "" fills image: with %s, else a hardcoded reference
}

type stats struct{ lines, files, packages int }

func main() {
	scale := flag.Int("scale", 1, "size multiplier; 1 is about 20k lines of Go")
	out := flag.String("out", "", "output directory (must not exist or be empty)")
	seed := flag.Uint64("seed", 1, "random seed")
	repo := flag.Int("repo", 0, "write a repository-scale module of this many packages instead")
	operator := flag.Int("operator", 0, "write an operator repository of this many packages instead")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	if *scale < 1 || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		log.Fatalf("%s is not empty", *out)
	}
	g := &generator{out: *out, rng: rand.New(rand.NewPCG(*seed, uint64(*scale)))}
	build := func() error { return g.module(*scale) }
	switch {
	case *repo > 0:
		build = func() error { return g.repoModule(*repo) }
	case *operator > 0:
		build = func() error { return g.operatorModule(*operator) }
	}
	if err := build(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "gen: %d lines of Go in %d packages, %d files under %s\n",
		g.stats.lines, g.stats.packages, g.stats.files, *out)
}

type generator struct {
	out   string
	rng   *rand.Rand
	stats stats
}

func (g *generator) module(scale int) error {
	if err := g.base(); err != nil {
		return err
	}
	for p := 0; g.stats.lines < scale*linesPerScale; p++ {
		if err := g.pkg(p, linesPerPackage); err != nil {
			return err
		}
	}
	return nil
}

// Shapes of the repository-scale module's packages.
const (
	repoSuiteLines = 800 // an E2E suite package
	repoLibLines   = 500 // an ordinary package
	repoLibImports = 2   // earlier ordinary packages each one imports
)

// repoModule writes n packages: one in ten an E2E suite (services/), one in
// ten a package using the E2E helpers (tools/), the rest ordinary code
// (lib/), each importing up to repoLibImports earlier ordinary packages.
func (g *generator) repoModule(n int) error {
	if err := g.base(); err != nil {
		return err
	}
	var libs []string
	for i := range n {
		switch i % 10 {
		case 0:
			if err := g.pkg(i/10, repoSuiteLines); err != nil {
				return err
			}
		case 5:
			if err := g.helperUser(fmt.Sprintf("tool%03d", i), libs); err != nil {
				return err
			}
		default:
			name := fmt.Sprintf("lib%03d", i)
			if err := g.lib(name, libs); err != nil {
				return err
			}
			libs = append(libs, name)
		}
	}
	return nil
}

// lib writes an ordinary package: option parsing, reports and naming code
// with no image in it, and a Describe function over some earlier ones.
func (g *generator) lib(name string, libs []string) error {
	u := unit{Svc: "Lib", Lower: name, Pkg: name}
	var body bytes.Buffer
	for strings.Count(body.String(), "\n") < repoLibLines {
		u.N++
		u.Port, u.Replicas, u.Backoff, u.Percentile = 8080+u.N%20, 1+u.N%3, 5+u.N%25, 95
		tmpl := []string{"options.tmpl", "report.tmpl", "naming.tmpl"}[g.rng.IntN(3)]
		body.WriteString("\n")
		if err := templates.ExecuteTemplate(&body, tmpl, u); err != nil {
			return err
		}
	}
	g.stats.packages++
	if err := g.writeGo(filepath.Join("lib", name, name+".go"), name, body.Bytes()); err != nil {
		return err
	}
	return g.write(filepath.Join("lib", name, "describe.go"), describe(name, "lib", g.pick(libs)))
}

// helperUser writes a small package that calls the E2E helpers.
func (g *generator) helperUser(name string, libs []string) error {
	g.stats.packages++
	src := fmt.Sprintf(`// Package %[1]s wraps the E2E helpers for a command-line tool.
package %[1]s

import (
	"io"

	"%[2]s"
)

// Prepare builds and loads the image of service into the cluster.
func Prepare(service string, w io.Writer) (string, error) {
	return infrastructure.BuildAndLoadImageToKind(infrastructure.E2EImageConfig{ServiceName: service}, w)
}
`, name, infraPkgPath)
	if err := g.write(filepath.Join("tools", name, name+".go"), []byte(src)); err != nil {
		return err
	}
	return g.write(filepath.Join("tools", name, "describe.go"), describe(name, "tools", g.pick(libs)))
}

// pick returns up to repoLibImports distinct earlier packages.
func (g *generator) pick(libs []string) []string {
	var deps []string
	for range min(repoLibImports, len(libs)) {
		d := libs[len(libs)-1-g.rng.IntN(min(len(libs), 20))]
		if !slices.Contains(deps, d) {
			deps = append(deps, d)
		}
	}
	return deps
}

func describe(name, dir string, deps []string) []byte {
	var imports, parts []string
	for _, d := range deps {
		imports = append(imports, fmt.Sprintf("%q", modulePath+"/lib/"+d))
		parts = append(parts, d+".Describe()")
	}
	parts = append(parts, fmt.Sprintf("%q", dir+"/"+name))
	src := "package " + name + "\n\n"
	if len(imports) > 0 {
		src += "import (\n" + strings.Join(imports, "\n") + "\n)\n\n"
	}
	src += "// Describe names this package and what it builds on.\nfunc Describe() string {\n\treturn " + strings.Join(parts, " + \"<\" + ") + "\n}\n"
	out, err := format.Source([]byte(src))
	if err != nil {
		panic(err)
	}
	return out
}

// base writes go.mod, the stubs and the E2E helpers package.
func (g *generator) base() error {
	if err := g.stubModule(); err != nil {
		return err
	}
	return g.goFile("internal/infrastructure/kind.go", "infrastructure", "infrastructure.tmpl", unit{})
}

// stubModule writes a go.mod whose k8s.io modules are the embedded stubs.
func (g *generator) stubModule() error {
	gomod := fmt.Sprintf(`module %s

go 1.22

require (
	k8s.io/api v0.0.0
	k8s.io/apimachinery v0.0.0
)

replace (
	k8s.io/api => ./stubs/k8sapi
	k8s.io/apimachinery => ./stubs/apimachinery
)
`, modulePath)
	if err := g.write("go.mod", []byte(gomod)); err != nil {
		return err
	}
	return g.stubs()
}

// stubs copies the embedded k8s stand-ins, dropping the .txt suffix that
// keeps them out of this module's build.
func (g *generator) stubs() error {
	return fs.WalkDir(stubFS, "stubs", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := stubFS.ReadFile(path)
		if err != nil {
			return err
		}
		return g.write(strings.TrimSuffix(path, ".txt"), data)
	})
}

// pkg writes one service package of about lines lines.
func (g *generator) pkg(p, lines int) error {
	svc := services[p%len(services)]
	u := unit{Svc: svc, Lower: strings.ToLower(svc), Pkg: fmt.Sprintf("%s%02d", strings.ToLower(svc), p/len(services))}
	dir := filepath.Join("services", u.Pkg)
	g.stats.packages++
	start := g.stats.lines
	if err := g.goFile(filepath.Join(dir, "types.go"), u.Pkg, "base.tmpl", u); err != nil {
		return err
	}
	for f := 0; g.stats.lines-start < lines; f++ {
		var body bytes.Buffer
		target := minFileLines + g.rng.IntN(maxFileLines-minFileLines+1)
		// Every package starts with a flow so each one exercises the linter.
		for first := f == 0; strings.Count(body.String(), "\n") < target; first = false {
			u.N++
			if err := g.unit(&body, u, first); err != nil {
				return err
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("%s_%02d.go", u.Lower, f))
		if err := g.writeGo(name, u.Pkg, body.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// unit renders one randomly chosen unit into body.
func (g *generator) unit(body *bytes.Buffer, u unit, flow bool) error {
	u.Port = 8080 + g.rng.IntN(20)
	u.Replicas = 1 + g.rng.IntN(3)
	u.Backoff = 5 + g.rng.IntN(25)
	u.Percentile = []int{90, 95, 99}[g.rng.IntN(3)]
	names := []string{ordinaryTemplates[g.rng.IntN(len(ordinaryTemplates))]}
	if flow || g.rng.IntN(100) < flowPercent {
		names = flowTemplates
		u.DSMode = pick(g.rng, "phase0", "phase0", "retag", "deploytime")
		u.SvcCaptured = g.rng.IntN(4) > 0
		u.ContainerImage = pick(g.rng, "param", "param", "param", "literal")
		u.ManifestImage = pick(g.rng, "", "", "", "", "", "datastorage:e2e-test", "localhost/kubernaut-datastorage:latest")
	}
	for _, name := range names {
		body.WriteString("\n")
		if err := templates.ExecuteTemplate(body, name, u); err != nil {
			return err
		}
	}
	return nil
}

func pick(rng *rand.Rand, choices ...string) string { return choices[rng.IntN(len(choices))] }

// goFile renders a whole-file template.
func (g *generator) goFile(name, pkg, tmpl string, u unit) error {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, tmpl, u); err != nil {
		return err
	}
	return g.write(name, addImports(buf.Bytes(), pkg, name))
}

// writeGo writes declarations as a file of package pkg.
func (g *generator) writeGo(name, pkg string, decls []byte) error {
	return g.write(name, addImports(append([]byte("package "+pkg+"\n"), decls...), pkg, name))
}

// addImports inserts the imports src uses after its package clause and
// gofmts the result. Errors here are generator bugs, so they panic.
func addImports(src []byte, pkg, name string) []byte {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		panic(fmt.Sprintf("%v\n%s", err, src))
	}
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && knownImports[id.Name] != "" && id.Name != pkg {
				used[id.Name] = true
			}
		}
		return true
	})
	var std, other []string
	for name := range used {
		path := knownImports[name]
		spec := fmt.Sprintf("%q", path)
		if !strings.HasSuffix(path, "/"+name) && path != name {
			spec = name + " " + spec
		}
		if strings.Contains(path, ".") {
			other = append(other, spec)
		} else {
			std = append(std, spec)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	var imports string
	if len(used) > 0 {
		imports = "\nimport (\n" + strings.Join(std, "\n") + "\n\n" + strings.Join(other, "\n") + "\n)\n"
	}
	clauseEnd := int(f.Name.End()) - 1 // token.Pos is 1-based
	src = append(src[:clauseEnd:clauseEnd], append([]byte(imports), src[clauseEnd:]...)...)
	out, err := format.Source(src)
	if err != nil {
		panic(fmt.Sprintf("%v\n%s", err, src))
	}
	return out
}

func (g *generator) write(name string, data []byte) error {
	path := filepath.Join(g.out, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if strings.HasSuffix(name, ".go") && !strings.Contains(name, "stubs") {
		g.stats.lines += bytes.Count(data, []byte("\n"))
		g.stats.files++
	}
	return os.WriteFile(path, data, 0o644)
}
