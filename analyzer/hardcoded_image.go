package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// checkHardcodedImage reports locally built images written as constants
// where a container is deployed. Third-party images are not locally built
// and never reported.
func checkHardcodedImage(c *checker) {
	for _, fl := range c.flows {
		for _, si := range c.specImages(fl) {
			if _, named := c.named[si.pos]; named {
				continue // reported as ignored-image-param
			}
			o := c.imageOrigin(fl, si)
			if o.kind != originConst {
				continue
			}
			if _, local := c.isLocal(o.value, si.pullNever); !local {
				continue
			}
			msg := fmt.Sprintf("hardcoded image %q in %s; deploy the reference your build step returns", o.value, si.where())
			if node := si.node(); node != nil {
				c.reportNode(CheckHardcodedImage, node, c.useParamFix(fl, si), "%s", msg)
				continue
			}
			// A directive cannot sit inside the string: one above it counts.
			c.reportAt(CheckHardcodedImage, si.pos, si.pos+token.Pos(len(si.value)), si.anchor, nil, "%s", msg)
		}
	}
}

// node returns the Go expression to report and replace for si, or nil for
// a value written inside a manifest string.
func (si specImage) node() ast.Expr {
	if si.expr != nil {
		return si.expr
	}
	if len(si.fills) > 0 {
		return si.fills[0]
	}
	return nil
}

// useParamFix replaces the constant of si with the enclosing function's
// image parameter, when there is exactly one, it is deployed nowhere else,
// and si's value is a single Go constant expression.
func (c *checker) useParamFix(fl *flow, si specImage) []analysis.SuggestedFix {
	node := si.node()
	if node == nil || len(si.fills) > 1 || !isStringConst(c.pass.TypesInfo, node) {
		return nil
	}
	params := c.imageParams(fl)
	if len(params) != 1 || c.deploysParam(fl, params[0]) {
		return nil
	}
	text := params[0].Name()
	if !isStringType(params[0].Type()) {
		if !hasStringMethod(params[0].Type()) {
			return nil
		}
		text += ".String()"
	}
	return replaceFix(fmt.Sprintf("Use the image parameter %s", params[0].Name()), node, text)
}

var imageName = regexp.MustCompile(`(?i)image|img`)

// imageParams returns the parameters of fl's function that carry an image:
// a string named like an image, or a value of a type named like one.
func (c *checker) imageParams(fl *flow) []*types.Var {
	if fl.decl == nil {
		return nil
	}
	var params []*types.Var
	for _, field := range fl.decl.Type.Params.List {
		for _, name := range field.Names {
			v, ok := c.pass.TypesInfo.Defs[name].(*types.Var)
			if !ok {
				continue
			}
			if isStringType(v.Type()) && imageName.MatchString(v.Name()) || isImageType(v.Type()) {
				params = append(params, v)
			}
		}
	}
	return params
}

func hasStringMethod(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "String")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && isStringType(sig.Results().At(0).Type())
}

func isStringType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isImageType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && strings.Contains(strings.ToLower(n.Obj().Name()), "image")
}
