package analyzer

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestChecksApart holds that a check file (the file that registers a
// check) defines its own check only: no other file of the package refers
// to what a check file declares, so shared questions live in the model.
// Only the generated registry names each check, and the precedence table
// each check's name.
func TestChecksApart(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the package does not load")
	}
	checkOf := make(map[string]string) // file -> check it registers
	for _, c := range registered {
		checkOf[c.file] = c.name
	}
	if len(checkOf) != len(registered) {
		t.Fatalf("%d checks registered from %d files: one check a file", len(registered), len(checkOf))
	}
	pkg := pkgs[0]
	for _, f := range pkg.Syntax {
		file := filepath.Base(pkg.Fset.Position(f.Pos()).Filename)
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := pkg.TypesInfo.Uses[id]
			if obj == nil || obj.Pkg() != pkg.Types {
				return true
			}
			decl := filepath.Base(pkg.Fset.Position(obj.Pos()).Filename)
			check, ok := checkOf[decl]
			if !ok || decl == file {
				return true
			}
			_, isConst := obj.(*types.Const)
			if file == "registry_gen.go" || file == "precedence.go" && isConst {
				return true
			}
			t.Errorf("%s refers to %s, declared in %s, the file of check %s: move it to a model file",
				pkg.Fset.Position(id.Pos()), id.Name, decl, check)
			return true
		})
	}
}
