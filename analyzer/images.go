package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
)

// specImage is an image a flow writes into a container spec: the Image of a
// corev1 container, or the image: value of a manifest in a Go string, either
// written out or filled in by printf arguments.
type specImage struct {
	inManifest bool
	expr       ast.Expr   // the Go expression of a container's Image
	value      string     // a manifest value as written, with argument markers
	fills      []ast.Expr // the printf arguments that fill a manifest value
	pos        token.Pos  // where to report
	anchor     token.Pos  // start of the string holding a written-out manifest value
	pullNever  bool
}

func (si specImage) where() string {
	if si.inManifest {
		return "manifest"
	}
	return "container spec"
}

// specImages returns the images fl writes into container specs.
func (c *checker) specImages(fl *flow) []specImage {
	if fl.specs != nil {
		return *fl.specs
	}
	var images []specImage
	for _, ci := range fl.containers {
		images = append(images, specImage{expr: ci.value, pos: ci.value.Pos(), pullNever: ci.pullNever})
	}
	info := c.pass.TypesInfo
	for _, e := range fl.strings {
		text := constant.StringVal(info.Types[e].Value)
		for _, mi := range c.scanManifest(text) {
			if mi.literal() {
				images = append(images, specImage{inManifest: true, value: mi.value, pos: c.stringPos(e, mi.offset), anchor: e.Pos(), pullNever: mi.pullNever})
			}
		}
	}
	for _, cs := range fl.calls {
		format, args := c.printfArgs(fl, cs.call)
		if !strings.Contains(format, "image") {
			continue
		}
		for _, mi := range c.scanManifest(format) {
			if mi.dynamic || len(mi.args) == 0 {
				continue
			}
			si := specImage{inManifest: true, value: mi.value, pullNever: mi.pullNever}
			for _, n := range mi.args {
				if n >= len(args) {
					si.fills = nil
					break
				}
				si.fills = append(si.fills, args[n])
			}
			if len(si.fills) > 0 {
				si.pos = si.fills[0].Pos()
				images = append(images, si)
			}
		}
	}
	fl.specs = &images
	return images
}

// scanManifest scans text once per pass: a format literal is both a string
// constant and a printf template, and templates are reused.
func (c *checker) scanManifest(text string) []manifestImage {
	imgs, ok := c.manifests[text]
	if !ok {
		imgs = scanManifest(text)
		c.manifests[text] = imgs
	}
	return imgs
}

// printfArgs returns the constant format of a call to a fmt printf-style
// function and the arguments it formats.
func (c *checker) printfArgs(fl *flow, call *ast.CallExpr) (string, []ast.Expr) {
	fn := c.callee(fl, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "fmt" || !strings.HasSuffix(fn.Name(), "f") || call.Ellipsis.IsValid() {
		return "", nil
	}
	params := fn.Type().(*types.Signature).Params()
	for i := range params.Len() {
		if params.At(i).Name() == "format" && i < len(call.Args) {
			if format, ok := constString(c.pass.TypesInfo, call.Args[i]); ok {
				return format, call.Args[i+1:]
			}
		}
	}
	return "", nil
}

// imageOrigin resolves the value of si. A manifest value filled by
// arguments is a constant when all of them are, and otherwise follows its
// single run-time argument.
func (c *checker) imageOrigin(fl *flow, si specImage) origin {
	switch {
	case si.expr != nil:
		return c.resolve(fl, si.expr)
	case len(si.fills) == 0:
		return origin{kind: originConst, value: si.value}
	}
	value := si.value
	var dynamic []ast.Expr
	for _, arg := range si.fills {
		if s, ok := c.constFill(arg); ok {
			value = strings.Replace(value, argMarker.FindString(value), s, 1)
		} else {
			dynamic = append(dynamic, arg)
		}
	}
	switch len(dynamic) {
	case 0:
		return origin{kind: originConst, value: value, expr: si.fills[0]}
	case 1:
		return c.resolve(fl, dynamic[0])
	}
	return origin{}
}

func (c *checker) constFill(arg ast.Expr) (string, bool) {
	tv := c.pass.TypesInfo.Types[arg]
	if tv.Value == nil {
		return "", false
	}
	if tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return tv.Value.ExactString(), true
}

// deployedValues returns the expressions fl passes into a deployment: the
// run-time parts of container images and manifest fills, and the arguments
// of deploy-sink parameters of the functions it calls.
func (c *checker) deployedValues(fl *flow) []ast.Expr {
	var values []ast.Expr
	for _, si := range c.specImages(fl) {
		if si.expr != nil {
			values = append(values, si.expr)
		}
		for _, arg := range si.fills {
			if _, ok := c.constFill(arg); !ok {
				values = append(values, arg)
			}
		}
	}
	for _, cs := range fl.calls {
		fn := c.callee(fl, cs.call)
		if fn == nil {
			continue
		}
		for _, i := range c.deploySink(fn) {
			if i < len(cs.call.Args) {
				values = append(values, cs.call.Args[i])
			}
		}
	}
	return values
}

// collectBuiltRepos records the repositories the package builds or loads
// by a constant reference: a constant image of theirs is locally built.
func (c *checker) collectBuiltRepos() {
	for _, fl := range c.flows {
		for _, step := range c.imageSteps(fl) {
			if step.kind != stepBuild && step.kind != stepLoad {
				continue
			}
			for _, w := range step.images {
				if o := c.wordOrigin(fl, w); o.kind == originConst {
					if ref, ok := looksLikeImage(o.value); ok {
						c.builtRepos[ref.path] = true
					}
				}
			}
		}
	}
}

// isLocal reports whether a constant image is built locally rather than
// pulled: a local registry host, a repository this package builds or loads,
// or a container that never pulls.
func (c *checker) isLocal(value string, pullNever bool) (imageRef, bool) {
	ref, ok := looksLikeImage(value)
	if !ok {
		return ref, false
	}
	return ref, pullNever || c.s.local.MatchString(value) || c.builtRepos[ref.path]
}

// stringPos maps a byte offset in the value of the constant string
// expression e to a position: exact inside raw string literals, the start
// of the literal otherwise.
func (c *checker) stringPos(e ast.Expr, offset int) token.Pos {
	var pieces []ast.Expr
	var flatten func(ast.Expr)
	flatten = func(e ast.Expr) {
		if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.ADD {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		pieces = append(pieces, e)
	}
	flatten(e)
	start := 0
	for _, p := range pieces {
		s, _ := constString(c.pass.TypesInfo, p)
		if offset < start+len(s) || p == pieces[len(pieces)-1] {
			if lit, ok := ast.Unparen(p).(*ast.BasicLit); ok && strings.HasPrefix(lit.Value, "`") && !strings.Contains(lit.Value, "\r") {
				return lit.Pos() + 1 + token.Pos(min(offset-start, len(s)))
			}
			return p.Pos()
		}
		start += len(s)
	}
	return e.Pos()
}
