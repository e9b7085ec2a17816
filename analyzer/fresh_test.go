package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// freshVar answers the same whichever variable of a cycle of assignments
// is asked first: w only ever holds v, which a clock makes fresh.
func TestFreshVarCycle(t *testing.T) {
	const src = `package p

import (
	"fmt"
	"time"
)

func tag(prefix string) string {
	v := prefix
	for range 3 {
		w := v
		v = w + "-x"
		v = fmt.Sprint(time.Now().UnixNano())
	}
	return v
}
`
	for _, first := range []string{"v", "w"} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
		if err != nil {
			t.Fatal(err)
		}
		s, err := func() (*settings, error) { c := DefaultConfig(); return c.compile() }()
		if err != nil {
			t.Fatal(err)
		}
		ix := newIndex(newPass(fset, []*ast.File{f}, pkg, info, nil), s)
		vars := make(map[string]*types.Var)
		for id, obj := range info.Defs {
			if v, ok := obj.(*types.Var); ok && (id.Name == "v" || id.Name == "w") {
				vars[id.Name] = v
			}
		}
		second := map[string]string{"v": "w", "w": "v"}[first]
		got := map[string]bool{first: ix.freshVar(vars[first], 0)}
		got[second] = ix.freshVar(vars[second], 0)
		if !got["v"] || !got["w"] {
			t.Errorf("asking %s first: fresh v=%v w=%v, want both fresh", first, got["v"], got["w"])
		}
	}
}
