package infra

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNoExportedPackageVariables keeps infra/ free of exported mutable
// state: a suite must not change what another suite's build or deploy does.
func TestNoExportedPackageVariables(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, name := range exportedVars(f) {
			t.Errorf("%s: exported package-level variable %s", fset.Position(name.Pos()), name.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("found no Go files to check")
	}
}

// exportedVars returns the exported names declared by f's top-level var
// declarations.
func exportedVars(f *ast.File) []*ast.Ident {
	var names []*ast.Ident
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			for _, name := range spec.(*ast.ValueSpec).Names {
				if name.IsExported() {
					names = append(names, name)
				}
			}
		}
	}
	return names
}

func TestExportedVars(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"var DataStorage = 1", []string{"DataStorage"}},
		{"var (\n\ta, B int\n\tC = 2\n)", []string{"B", "C"}},
		{"var _, x = 1, 2", nil},
		{"const Exported = 1\ntype T int\nfunc F() { var Local = 1; _ = Local }", nil},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\n"+tc.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, name := range exportedVars(f) {
			got = append(got, name.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("exportedVars(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}
