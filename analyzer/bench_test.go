package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/passes/printf"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// BenchmarkAnalyzerPerFile measures the analysis alone, type-checking
// excluded, on the bundled example and the check packages, or on the
// module in $IMAGETAGLINT_BENCH_DIR, and reports its cost per file and per
// line.
func BenchmarkAnalyzerPerFile(b *testing.B) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps,
		Dir:  filepath.Join("..", "testdata"),
	}
	patterns := []string{"./example/...", "./checks/...", "./negatives/..."}
	if dir := os.Getenv("IMAGETAGLINT_BENCH_DIR"); dir != "" {
		cfg.Dir, patterns = dir, []string{"./..."}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		b.Fatal(err)
	}
	s, err := func() (*settings, error) { c := DefaultConfig(); return c.compile() }()
	if err != nil {
		b.Fatal(err)
	}
	files, lines := 0, 0
	for _, p := range pkgs {
		files += len(p.Syntax)
		for _, f := range p.Syntax {
			lines += p.Fset.File(f.Pos()).LineCount()
		}
	}
	// The passes, with the inspector and the printf analyzer's result,
	// are made once: only imagetaglint's own work is timed.
	passes := make([]*analysis.Pass, len(pkgs))
	for i, p := range pkgs {
		passes[i] = newPass(p.Fset, p.Syntax, p.Types, p.TypesInfo, nil)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, pass := range passes {
			if _, err := run(pass, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/float64(files), "ns/file")
	b.ReportMetric(perOp/float64(lines), "ns/line")
}

// newPass makes a pass without facts from other packages. readFile serves
// suppression directives; nil means no source is readable.
func newPass(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info, readFile func(string) ([]byte, error)) *analysis.Pass {
	if readFile == nil {
		readFile = func(string) ([]byte, error) { return nil, nil }
	}
	pass := &analysis.Pass{
		Analyzer:          Analyzer,
		Fset:              fset,
		Files:             files,
		Pkg:               pkg,
		TypesInfo:         info,
		ResultOf:          map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(files)},
		Report:            func(analysis.Diagnostic) {},
		ReadFile:          readFile,
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
	}
	// The printf analyzer's result says which functions print.
	if res, err := printf.Analyzer.Run(pass); err == nil {
		pass.ResultOf[printf.Analyzer] = res
	}
	return pass
}
