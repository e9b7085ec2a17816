package analyzer_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestDeclarationOrder analyses TestChecks' packages with the top-level
// declarations of every file reversed, then shuffled, and expects the
// same diagnostics and facts: what the model computes must not depend on
// the order of the declarations. Each moved declaration starts with a
// //line directive naming its original line, so the // want comments of
// the permuted copy still hold as written.
func TestDeclarationOrder(t *testing.T) {
	for _, order := range []struct {
		name    string
		permute func([]segment)
	}{
		{"reversed", func(s []segment) { slices.Reverse(s) }},
		{"shuffled", func(s []segment) {
			r := rand.New(rand.NewPCG(17, 17))
			r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		}},
	} {
		t.Run(order.name, func(t *testing.T) {
			dir := t.TempDir()
			copyPermuted(t, testdata(t), dir, order.permute)
			runTestdata(t, dir)
		})
	}
}

// segment is a top-level declaration with the comments above it, from
// the start of its first line to the end of its last.
type segment struct {
	text []byte
	line int // the line it starts at in the original file
}

// copyPermuted copies the testdata module to dst, reordering the
// declarations of every Go file of the packages TestChecks analyses.
func copyPermuted(t *testing.T, src, dst string, permute func([]segment)) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if rel == "ecosystem" || rel == "scaffold" {
				return filepath.SkipDir // modules of their own
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".go") && !strings.HasPrefix(rel, "stubs") {
			data = permuteDecls(t, path, data, permute)
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func permuteDecls(t *testing.T, path string, src []byte, permute func([]segment)) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tf := fset.File(f.Pos())
	lineStart := func(line int) int { return tf.Offset(tf.LineStart(line)) }
	lineEnd := func(pos token.Pos) int { // past the newline ending pos's line
		l := tf.Line(pos)
		if l == tf.LineCount() {
			return len(src)
		}
		return lineStart(l + 1)
	}
	var decls []ast.Decl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		decls = append(decls, d)
	}
	if len(decls) < 2 {
		return src
	}
	// The header (package clause, imports) stays; a segment runs from
	// the end of the previous one, so free comments move with the
	// declaration below them.
	start := lineStart(tf.Line(decls[0].Pos()))
	if g, ok := decls[0].(*ast.GenDecl); ok && g.Doc != nil {
		start = lineStart(tf.Line(g.Doc.Pos()))
	} else if fd, ok := decls[0].(*ast.FuncDecl); ok && fd.Doc != nil {
		start = lineStart(tf.Line(fd.Doc.Pos()))
	}
	var segs []segment
	from := start
	for _, d := range decls {
		end := lineEnd(d.End())
		segs = append(segs, segment{text: src[from:end], line: tf.Line(tf.Pos(from))})
		from = end
	}
	tail := src[from:]
	permute(segs)
	var out bytes.Buffer
	out.Write(src[:start])
	name := filepath.Base(path)
	for _, s := range segs {
		if out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
			out.WriteByte('\n')
		}
		out.WriteString("//line " + name + ":" + strconv.Itoa(s.line) + ":1\n")
		out.Write(s.text)
	}
	out.Write(tail)
	return out.Bytes()
}
