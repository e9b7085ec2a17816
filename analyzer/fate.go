package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	hprintf "honnef.co/go/tools/printf"

	"golang.org/x/tools/go/analysis/passes/printf"
)

// fate says what happens to the value of v besides the image steps the
// flow makes with it: effEscape when a read takes it where imagetaglint
// does not follow (a result, a pointer, a function whose body it cannot
// see), effStore when a read stores it (a field, a map, a slice, a struct,
// a channel), effLog when a read only prints it.
func (ix *index) fate(v *types.Var) effect {
	return ix.fateSeen(v, make(map[*types.Var]bool))
}

func (ix *index) fateSeen(v *types.Var, seen map[*types.Var]bool) effect {
	if seen[v] {
		return 0
	}
	seen[v] = true
	if !ix.tracksReads(v) {
		return effEscape
	}
	var eff effect
	for _, u := range ix.uses[v] {
		anc := ancestorsAt(u.cur)
		if _, ok := anc[0].(*ast.ReturnStmt); ok && ix.paramOf[v] == u.fl && !u.inLit() {
			continue // a parameter returned as is: its summary's result says so
		}
		eff |= ix.useFate(u.fl, u.id, anc[:], seen)
		if eff&effEscape != 0 && eff&effStore != 0 {
			break
		}
	}
	return eff
}

// useFate classifies what receives the value of n, whose enclosing nodes
// are ancestors (innermost first).
func (ix *index) useFate(fl *flow, n ast.Node, ancestors []ast.Node, seen map[*types.Var]bool) effect {
	if len(ancestors) == 0 || ancestors[0] == nil {
		return effEscape // beyond what the index kept: assume the worst
	}
	derived := func() effect { return ix.useFate(fl, ancestors[0], ancestors[1:], seen) }
	switch p := ancestors[0].(type) {
	case *ast.ParenExpr, *ast.IndexExpr, *ast.SliceExpr:
		return derived()
	case *ast.SelectorExpr: // a method of the value: img.String()
		return derived()
	case *ast.BinaryExpr:
		switch p.Op {
		case token.ADD:
			return derived()
		case token.EQL, token.NEQ, token.LSS, token.GTR, token.LEQ, token.GEQ:
			return 0
		}
	case *ast.IfStmt, *ast.SwitchStmt, *ast.CaseClause, *ast.ExprStmt:
		return 0
	case *ast.ReturnStmt, *ast.StarExpr, *ast.UnaryExpr:
		return effEscape
	case *ast.SendStmt:
		return effStore
	case *ast.AssignStmt:
		for i, rhs := range p.Rhs {
			if rhs != n || i >= len(p.Lhs) {
				continue
			}
			return ix.assignedFate(p.Lhs[i], seen)
		}
		return effEscape
	case *ast.ValueSpec:
		for i, val := range p.Values {
			if val == n && i < len(p.Names) {
				return ix.assignedFate(p.Names[i], seen)
			}
		}
		return effEscape
	case *ast.KeyValueExpr, *ast.CompositeLit:
		lit, _ := p.(*ast.CompositeLit)
		if lit == nil && len(ancestors) > 1 {
			lit, _ = ancestors[1].(*ast.CompositeLit)
		}
		if lit != nil && isContainerType(ix.info.TypeOf(lit)) {
			return 0 // a container spec: a deploy step
		}
		if lit != nil && isStringSlice(ix.info.TypeOf(lit)) && ix.onlyWords(lit, ancestors) {
			return 0 // the words of a command line, read as its steps
		}
		return effStore
	case *ast.CallExpr:
		if p.Fun == n {
			return derived()
		}
		return ix.argFate(fl, p, n, ancestors[1:], seen)
	}
	return effEscape
}

// onlyWords reports whether the []string literal lit (with its
// enclosing nodes) only becomes a command line's words: spread into a
// call, or held by a variable that is only appended to and spread.
func (ix *index) onlyWords(lit *ast.CompositeLit, ancestors []ast.Node) bool {
	i := slices.Index(ancestors, ast.Node(lit))
	if i < 0 || i+1 >= len(ancestors) {
		return false
	}
	switch p := ancestors[i+1].(type) {
	case *ast.CallExpr:
		return p.Ellipsis.IsValid() && len(p.Args) > 0 && p.Args[len(p.Args)-1] == lit
	case *ast.AssignStmt:
		for j, rhs := range p.Rhs {
			if rhs == lit && j < len(p.Lhs) {
				if id, ok := p.Lhs[j].(*ast.Ident); ok {
					v, _ := ix.info.ObjectOf(id).(*types.Var)
					return v != nil && ix.spreadOnly(v)
				}
			}
		}
	case *ast.ValueSpec:
		for j, val := range p.Values {
			if val == lit && j < len(p.Names) {
				v, _ := ix.info.Defs[p.Names[j]].(*types.Var)
				return v != nil && ix.spreadOnly(v)
			}
		}
	}
	return false
}

// spreadOnly reports whether every read of the slice v appends to it or
// spreads it as a call's variadic arguments.
func (ix *index) spreadOnly(v *types.Var) bool {
	for _, u := range ix.uses[v] {
		call, ok := u.cur.Parent().Node().(*ast.CallExpr)
		if !ok {
			return false
		}
		spread := call.Ellipsis.IsValid() && call.Args[len(call.Args)-1] == u.id
		if !spread && !ix.isAppendTo(call, v) {
			return false
		}
	}
	return true
}

func isStringSlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	return ok && isStringType(s.Elem())
}

// assignedFate follows a value assigned to lhs.
func (ix *index) assignedFate(lhs ast.Expr, seen map[*types.Var]bool) effect {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return effStore // a field, a map or slice element
	}
	if id.Name == "_" {
		return 0
	}
	v, ok := ix.info.ObjectOf(id).(*types.Var)
	if !ok || isPackageLevel(v) {
		return effStore
	}
	return ix.fateSeen(v, seen)
}

// argFate classifies a value passed as an argument of call.
func (ix *index) argFate(fl *flow, call *ast.CallExpr, arg ast.Node, ancestors []ast.Node, seen map[*types.Var]bool) effect {
	if tv, ok := ix.info.Types[call.Fun]; ok && tv.IsType() {
		return ix.useFate(fl, call, ancestors, seen) // a conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := ix.info.Uses[id].(*types.Builtin); ok {
			if b.Name() == "len" {
				return 0
			}
			return effEscape
		}
	}
	fn := ix.callee(fl, call)
	if fn == nil {
		return effEscape
	}
	if ix.isLogSink(fn) {
		return effLog
	}
	if fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "os/exec":
			return 0 // the command line is read as a step
		case "strings", "path", "path/filepath", "fmt":
			if fn.Name() == "Errorf" {
				return 0
			}
			return ix.useFate(fl, call, ancestors, seen) // a derived string
		}
	}
	i := argIndex(call, arg)
	if s := ix.summary(fn); s != nil {
		eff := ix.paramEffect(fn, i)
		for ri, r := range s.Results {
			if r.Kind == resultParam && r.Param == i && ri == 0 {
				eff |= ix.useFate(fl, call, ancestors, seen)
			}
		}
		return eff & (effEscape | effStore | effLog)
	}
	if ix.bodyUnseen(fn) || fn.Pkg() == nil || ix.unwalked[fn] {
		return effEscape // what happens to it there is not known
	}
	return 0 // a function of this module that does nothing with images
}

func argIndex(call *ast.CallExpr, arg ast.Node) int {
	for i, a := range call.Args {
		if a == arg {
			return i
		}
	}
	return -1
}

// isLogSink reports whether fn only prints its arguments: print and
// printf functions and wrappers that return no string (the printf
// analyzer's facts), log/slog, logr.
func (ix *index) isLogSink(fn *types.Func) bool {
	if fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "log/slog", "github.com/go-logr/logr":
			return true
		}
	}
	if ix.printfKind(fn) == printf.KindNone {
		return false
	}
	res := fn.Type().(*types.Signature).Results()
	for i := range res.Len() {
		if isStringType(res.At(i).Type()) {
			return false // Sprintf and its wrappers format, they do not print
		}
	}
	return true
}

// isPrintf reports whether fn formats like fmt.Printf: fmt's functions and
// the wrappers the printf analyzer found.
func (ix *index) isPrintf(fn *types.Func) bool {
	switch ix.printfKind(fn) {
	case printf.KindPrintf, printf.KindErrorf:
		return true
	}
	return false
}

// printfKind is the printf analyzer's kind of fn, once per function: it
// computes fn's full name at every question.
func (ix *index) printfKind(fn *types.Func) printf.Kind {
	if ix.printf == nil {
		return printf.KindNone
	}
	k, ok := ix.printfKinds[fn]
	if !ok {
		k = ix.printf.Kind(fn)
		ix.printfKinds[fn] = k
	}
	return k
}

// freshSources are the functions whose results differ at every call.
var freshSources = map[string]bool{
	"time.Now":                                   true,
	"github.com/google/uuid.New":                 true,
	"github.com/google/uuid.NewString":           true,
	"github.com/google/uuid.NewRandom":           true,
	"github.com/google/uuid.NewUUID":             true,
	"k8s.io/apimachinery/pkg/util/rand.String":   true,
	"k8s.io/apimachinery/pkg/util/uuid.NewUUID":  true,
	"github.com/onsi/ginkgo/v2.GinkgoRandomSeed": true,
}

// isFreshSource reports whether fn returns a fresh value at every call.
func (ix *index) isFreshSource(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "math/rand", "math/rand/v2", "crypto/rand":
		return true
	}
	return freshSources[fn.Pkg().Path()+"."+fn.Name()] || ix.isGenerator(fn)
}

// isFresh reports whether e, evaluated in fl, differs at every evaluation:
// it is computed from a clock, a random source or a generator.
func (ix *index) isFresh(fl *flow, e ast.Expr, depth int) bool {
	if depth > maxResolveDepth {
		return false
	}
	fresh := false
	ast.Inspect(e, func(n ast.Node) bool {
		if fresh {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if fn := ix.callee(fl, n); fn != nil && ix.isFreshSource(fn) {
				fresh = true
			}
		case *ast.Ident:
			if v, ok := ix.info.Uses[n].(*types.Var); ok && ix.paramOf[v] == nil && !ix.litParams[v] && ix.tracksReads(v) {
				fresh = ix.freshVar(v, depth)
			}
		}
		return !fresh
	})
	return fresh
}

// freshVar reports whether some assignment to v is fresh, once per
// variable: assignments refer to each other (args = append(args, ...)).
// A variable still being answered reads as not fresh, so a "no" given
// inside a cycle may be wrong until the cycle's first variable has its
// answer; those are forgotten then, and asked again later (w := v with v
// fresh is fresh whichever of v and w is asked first).
func (ix *index) freshVar(v *types.Var, depth int) bool {
	if f, ok := ix.fresh[v]; ok {
		if !f && ix.freshOpen[v] {
			ix.freshCycle = true
		}
		return f
	}
	if ix.freshOpen == nil {
		ix.freshOpen = make(map[*types.Var]bool)
	}
	top := len(ix.freshOpen) == 0
	ix.fresh[v] = false // a cycle adds nothing fresh, for now
	ix.freshOpen[v] = true
	fresh := false
	for _, src := range ix.defs[v] {
		if src.rhs != nil && ix.isFresh(src.fl, src.rhs, depth+1) {
			fresh = true
			break
		}
	}
	delete(ix.freshOpen, v)
	ix.fresh[v] = fresh
	if !fresh && !top {
		ix.freshNested = append(ix.freshNested, v)
	}
	if top {
		if ix.freshCycle {
			for _, w := range ix.freshNested {
				if !ix.fresh[w] {
					delete(ix.fresh, w)
				}
			}
		}
		ix.freshNested, ix.freshCycle = ix.freshNested[:0], false
	}
	return fresh
}

// execForward returns the command line fl's function runs through
// os/exec when it forwards its parameters as the program or as a spread
// list of words: it is a wrapper, and only its callers know the command.
// A function running a command of its own is summarised by its steps.
func (ix *index) execForward(fl *flow, sig *types.Signature) []execPart {
	for _, cs := range fl.calls {
		if !ix.forwardsParam(fl, cs.call) {
			continue
		}
		argv, slots, ok := ix.argv(fl, cs.call)
		if !ok {
			continue
		}
		var parts []execPart
		wrapper := false
		for _, w := range argv {
			if text, ok := w.Literal(); ok {
				parts = append(parts, execPart{Word: text, Param: -1})
				continue
			}
			if len(w) != 1 || w[0].Slot < 0 || w[0].Slot >= len(slots) {
				parts = nil
				break
			}
			id, ok := ast.Unparen(slots[w[0].Slot]).(*ast.Ident)
			if !ok {
				parts = nil
				break
			}
			v, _ := ix.info.Uses[id].(*types.Var)
			p := paramIndex(sig, v)
			if p < 0 || ix.paramOf[v] != fl {
				parts = nil
				break
			}
			_, isSlice := v.Type().Underlying().(*types.Slice)
			parts = append(parts, execPart{Param: p, Spread: isSlice})
			wrapper = wrapper || isSlice || len(parts) == 1
		}
		if wrapper {
			return parts
		}
	}
	return nil
}

// forwardsParam reports whether call runs a command whose program, or
// whose spread list of words, is a parameter of fl's function: the only
// calls that can make it a wrapper.
func (ix *index) forwardsParam(fl *flow, call *ast.CallExpr) bool {
	fn := ix.callee(fl, call)
	if fn == nil || ix.classOf(fn)&classExec == 0 && ix.summary(fn) == nil {
		return false
	}
	isParam := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := ix.info.Uses[id].(*types.Var)
		return ok && ix.paramOf[v] == fl
	}
	for i, arg := range call.Args {
		if isParam(arg) && (i <= 1 || call.Ellipsis.IsValid() && i == len(call.Args)-1) {
			return true
		}
	}
	return call.Ellipsis.IsValid() && len(call.Args) > 0 && ix.paramSlice(fl, call.Args[len(call.Args)-1])
}

// paramSlice reports whether e is a local slice built from a parameter
// slice: args := append([]string{"x"}, params...).
func (ix *index) paramSlice(fl *flow, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	for _, src := range ix.defs[v] {
		if src.rhs != nil && mentionsParam(ix, fl, src.rhs) {
			return true
		}
	}
	return false
}

func mentionsParam(ix *index, fl *flow, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := ix.info.Uses[id].(*types.Var); ok && ix.paramOf[v] == fl {
				found = true
			}
		}
		return !found
	})
	return found
}

// printfSegment is literal text (arg < 0) or the argument a verb formats.
type printfSegment struct {
	text string
	arg  int
}

// printfSegments splits a printf format into text and verbs, with the
// index of the argument each verb formats; nil when it does not parse.
func printfSegments(format string) []printfSegment {
	actions, err := hprintf.Parse(format)
	if err != nil {
		return nil
	}
	var segs []printfSegment
	next := 0
	star := func(a hprintf.Argument) {
		if s, ok := a.(hprintf.Star); ok {
			if s.Index > 0 {
				next = s.Index - 1
			}
			next++
		}
	}
	for _, a := range actions {
		switch a := a.(type) {
		case string:
			segs = append(segs, printfSegment{text: a, arg: -1})
		case hprintf.Verb:
			if a.Value == 0 {
				segs = append(segs, printfSegment{text: "%", arg: -1})
				continue
			}
			star(a.Width)
			star(a.Precision)
			if a.Value > 0 {
				next = a.Value - 1
			}
			segs = append(segs, printfSegment{arg: next})
			next++
		}
	}
	return segs
}

// isImageType reports whether t is a type the user configured as holding
// an image reference (e.g. infra.Image).
func (s *settings) isImageType(t types.Type) bool {
	if t == nil || len(s.imageTypes) == 0 {
		return false
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	return s.imageTypes[n.Obj().Pkg().Path()+"."+n.Obj().Name()]
}

// tracksReads reports whether the reads of v are recorded: variables that
// can hold an image (a string, or a configured image type). Recording
// every read of every variable would dominate the walk.
func (ix *index) tracksReads(v *types.Var) bool {
	return !v.IsField() && (isStringType(v.Type()) || isStringSlice(v.Type()) || ix.s.isImageType(v.Type()))
}
