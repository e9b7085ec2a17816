// Questions about images that several checks ask of the model: whether two
// values are one image, what the package builds, how to name an image.

package analyzer

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// sameImage reports whether two values are one image: the same value, or
// constants naming the same image.
func sameImage(v, w value) bool {
	if v.known() && v.same(w) {
		return true
	}
	if v.kind == vConst && w.kind == vConst {
		a, b := parsedRef(v.str), parsedRef(w.str)
		return a.err == nil && b.err == nil && imageref.Same(a.ref, b.ref)
	}
	return false
}

func containsSame(vs []value, v value) bool {
	for _, w := range vs {
		if sameImage(w, v) {
			return true
		}
	}
	return false
}

// exactImage returns the reference v is: a constant's, or the one value
// the package's known go test runs give an environment read.
func exactImage(v value) (string, bool) {
	switch {
	case v.kind == vConst:
		return v.str, true
	case v.kind == vExternal && len(v.envValues) == 1:
		return v.envValues[0], true
	}
	return "", false
}

// describeValue names a value for messages.
func (ix *index) describeValue(v value) string {
	switch v.kind {
	case vConst:
		return fmt.Sprintf("%q", v.str)
	case vProduced, vGenerated:
		return fmt.Sprintf("the image from %s (line %d)", v.fn.Name(), ix.line(v.site.Pos()))
	case vExternal:
		if call, ok := v.site.(*ast.CallExpr); ok && len(call.Args) > 0 {
			if s, ok := constString(ix.info, call.Args[0]); ok {
				return fmt.Sprintf("the image from %s", s)
			}
		}
		return fmt.Sprintf("the image read at line %d", ix.line(v.site.Pos()))
	case vParam:
		return v.param.Name()
	}
	if v.holder != nil {
		return v.holder.Name()
	}
	return "an image"
}

// imageOf is an image with the step that handles it.
type imageOf struct {
	v  value
	st *step
}

func (b imageOf) describe(ix *index) string {
	if len(b.v.envValues) > 0 {
		var quoted []string
		for _, k := range b.v.envValues {
			quoted = append(quoted, fmt.Sprintf("%q", k))
		}
		return fmt.Sprintf("$%s: %s", b.v.str, strings.Join(quoted, " or "))
	}
	if b.v.repo != "" {
		return fmt.Sprintf("%q", b.v.repo+":<run-time tag>")
	}
	switch b.v.kind {
	case vConst:
		return fmt.Sprintf("%q", b.v.str)
	case vGenerated, vProduced:
		return fmt.Sprintf("the result of %s at line %d", b.v.fn.Name(), ix.line(b.v.site.Pos()))
	}
	return "its image"
}

// containsValue reports whether some expression inside e evaluates to v,
// also inside composite literals such as an image config.
func (ix *index) containsValue(fl *flow, e ast.Expr, v value) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && !found {
			switch x.(type) {
			case *ast.Ident, *ast.SelectorExpr, *ast.CallExpr, *ast.IndexExpr:
				found = ix.resolve(fl, x).same(v)
			}
		}
		return !found
	})
	return found
}

// packageImages returns the images every flow of the package builds or
// loads.
func (ix *index) packageImages() []imageOf {
	if ix.pkgImages != nil {
		return *ix.pkgImages
	}
	var images []imageOf
	for _, fl := range ix.flows {
		images = append(images, buildsAndLoadsOf(ix.steps(fl))...)
	}
	ix.pkgImages = &images
	return images
}

// buildsAndLoadsOf returns each image a build or load step of steps
// handles, with its step.
func buildsAndLoadsOf(steps []step) []imageOf {
	var images []imageOf
	for i := range steps {
		if st := &steps[i]; st.kind == stepBuild || st.kind == stepLoad {
			for _, v := range st.images {
				images = append(images, imageOf{v, st})
			}
		}
	}
	return images
}

// sameRef reports whether two references as written name the same image.
func sameRef(a, b string) bool {
	pa, pb := parsedRef(a), parsedRef(b)
	return pa.err == nil && pb.err == nil && imageref.Same(pa.ref, pb.ref)
}

// builtOrLoaded says what the steps do to v: "built", "loaded" or
// "built and loaded".
func builtOrLoaded(steps []step, v value) string {
	var b, l bool
	for _, st := range steps {
		for _, w := range st.images {
			if sameImage(v, w) {
				b = b || st.kind == stepBuild
				l = l || st.kind == stepLoad
			}
		}
	}
	switch {
	case b && l:
		return "built and loaded"
	case l:
		return "loaded"
	}
	return "built"
}
