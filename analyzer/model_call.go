// Questions about calls and syntax that several checks (and the
// repository model) ask.

package analyzer

import "go/ast"

// containsNode reports whether n lies inside root.
func containsNode(root ast.Node, n ast.Node) bool {
	return root.Pos() <= n.Pos() && n.End() <= root.End()
}

// sameArgs reports whether two calls pass equal constants or the same
// variables, argument by argument.
func (ix *index) sameArgs(a, b *ast.CallExpr) bool {
	if len(a.Args) != len(b.Args) {
		return false
	}
	info := ix.info
	for i := range a.Args {
		x, y := ast.Unparen(a.Args[i]), ast.Unparen(b.Args[i])
		tx, ty := info.Types[x], info.Types[y]
		switch {
		case tx.Value != nil && ty.Value != nil:
			if tx.Value.ExactString() != ty.Value.ExactString() {
				return false
			}
		default:
			ix, ok1 := x.(*ast.Ident)
			iy, ok2 := y.(*ast.Ident)
			if !ok1 || !ok2 || info.Uses[ix] == nil || info.Uses[ix] != info.Uses[iy] {
				return false
			}
		}
	}
	return true
}

// isOSEnvRead reports whether call reads the environment (a flag is set
// on the command line, not by a workflow's env).
func (ix *index) isOSEnvRead(call *ast.CallExpr) bool {
	fn := ix.staticCallee(call)
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "os" && isEnvRead(fn)
}
