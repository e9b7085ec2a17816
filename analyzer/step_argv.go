// The command line a Go call runs, as words: constants, Sprintf,
// concatenation, strings.Join and slices taken apart, run-time parts as
// slots.

package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// argv returns the command line a call runs: exec.Command and
// exec.CommandContext, and functions whose summary forwards their
// arguments to one. Dynamic parts are slots indexing the returned
// expressions.
func (ix *index) argv(fl *flow, call *ast.CallExpr) ([]command.Word, []ast.Expr, bool) {
	fn := ix.callee(fl, call)
	if fn == nil {
		return nil, nil, false
	}
	return ix.argvOf(fl, call, fn)
}

func (ix *index) argvOf(fl *flow, call *ast.CallExpr, fn *types.Func) ([]command.Word, []ast.Expr, bool) {
	b := argvBuilder{ix: ix, fl: fl}
	if fn.Pkg() != nil && fn.Pkg().Path() == "os/exec" && recvTypeName(fn) == "" {
		args := call.Args
		switch fn.Name() {
		case "Command":
		case "CommandContext":
			if len(args) == 0 {
				return nil, nil, false
			}
			args = args[1:]
		default:
			return nil, nil, false
		}
		if len(args) == 0 {
			return nil, nil, false
		}
		b.words = append(b.words, b.program(args[0]))
		b.args(args[1:], call.Ellipsis.IsValid())
		return b.words, b.slots, true
	}
	s := ix.summary(fn)
	if s == nil || len(s.Exec) == 0 {
		return nil, nil, false
	}
	sig := fn.Type().(*types.Signature)
	for _, part := range s.Exec {
		switch {
		case part.Param < 0:
			b.words = append(b.words, command.Lit(part.Word))
		case part.Spread || (sig.Variadic() && part.Param == sig.Params().Len()-1):
			if part.Param < len(call.Args) {
				b.args(call.Args[part.Param:], call.Ellipsis.IsValid())
			}
		case part.Param < len(call.Args):
			if part.Param == 0 && len(b.words) == 0 {
				b.words = append(b.words, b.program(call.Args[0]))
			} else {
				b.words = append(b.words, b.word(call.Args[part.Param], 0))
			}
		}
	}
	return b.words, b.slots, len(b.words) > 0
}

// argvBuilder turns Go expressions into command words.
type argvBuilder struct {
	ix    *index
	fl    *flow
	words []command.Word
	slots []ast.Expr
}

func (b *argvBuilder) slot(e ast.Expr) command.Word {
	b.slots = append(b.slots, e)
	return command.Dyn(len(b.slots) - 1)
}

// program returns the word naming the program: a variable that holds one
// constant, possibly overridden from the environment, names it.
func (b *argvBuilder) program(e ast.Expr) command.Word {
	if s, ok := b.ix.constCandidate(b.fl, e, 0); ok {
		return command.Lit(s)
	}
	return b.word(e, 0)
}

// args appends the words of call arguments; with spread, the last one is a
// slice passed as arg...
func (b *argvBuilder) args(args []ast.Expr, spread bool) {
	for i, arg := range args {
		if spread && i == len(args)-1 {
			b.words = append(b.words, b.slice(arg, 0)...)
			continue
		}
		b.words = append(b.words, b.word(arg, 0))
	}
}

const maxArgvDepth = 8

// word returns the word an expression evaluates to: constants, Sprintf with
// a constant format, concatenations and strings.Join are taken apart;
// anything else is one slot.
func (b *argvBuilder) word(e ast.Expr, depth int) command.Word {
	ix := b.ix
	e = ast.Unparen(e)
	if s, ok := constString(ix.info, e); ok {
		return command.Lit(s)
	}
	if depth > maxArgvDepth {
		return b.slot(e)
	}
	switch x := e.(type) {
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return append(slices.Clone(b.word(x.X, depth+1)), b.word(x.Y, depth+1)...)
		}
	case *ast.Ident:
		// A local holding a Sprintf or Join of its own: take it apart too.
		if v, ok := ix.info.Uses[x].(*types.Var); ok && ix.paramOf[v] == nil && !ix.litParams[v] {
			if srcs := ix.defs[v]; len(srcs) == 1 && srcs[0].index < 0 && srcs[0].rhs != nil {
				if call, ok := ast.Unparen(srcs[0].rhs).(*ast.CallExpr); ok && b.composes(call) {
					return b.word(call, depth+1)
				}
			}
		}
	case *ast.CallExpr:
		fn := ix.callee(b.fl, x)
		if fn != nil && fn.Pkg() != nil && !x.Ellipsis.IsValid() {
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "fmt.Sprintf":
				if len(x.Args) > 0 {
					if format, ok := constString(ix.info, x.Args[0]); ok {
						return b.sprintf(format, x.Args[1:], depth)
					}
				}
			case "strings.Join":
				if len(x.Args) == 2 {
					if sep, ok := constString(ix.info, x.Args[1]); ok {
						var w command.Word
						for i, part := range b.slice(x.Args[0], depth+1) {
							if i > 0 {
								w = append(w, command.Part{Text: sep, Slot: -1})
							}
							w = append(w, part...)
						}
						return w
					}
				}
			}
		}
	}
	return b.slot(e)
}

// composes reports whether call builds a word that is more than one value:
// strings.Join, or a Sprintf whose format holds blanks (a script) or "="
// (VAR=value). Any other variable stays one slot, so that an image keeps
// the identity of the variable holding it.
func (b *argvBuilder) composes(call *ast.CallExpr) bool {
	fn := b.ix.callee(b.fl, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "strings.Join":
		return true
	case "fmt.Sprintf":
		format, ok := "", len(call.Args) > 0
		if ok {
			format, ok = constString(b.ix.info, call.Args[0])
		}
		return ok && strings.ContainsAny(format, " \t\n=")
	}
	return false
}

// sprintf renders a constant format with its arguments as one word: each
// verb becomes its argument's word.
func (b *argvBuilder) sprintf(format string, args []ast.Expr, depth int) command.Word {
	var w command.Word
	for _, seg := range printfSegments(format) {
		if seg.arg < 0 {
			w = append(w, command.Part{Text: seg.text, Slot: -1})
			continue
		}
		if seg.arg >= len(args) {
			return b.slot(nil)
		}
		arg := args[seg.arg]
		if tv := b.ix.info.Types[arg]; tv.Value != nil && !isStringConst(b.ix.info, arg) {
			w = append(w, command.Part{Text: tv.Value.ExactString(), Slot: -1})
			continue
		}
		w = append(w, b.word(arg, depth+1)...)
	}
	return w
}

// slice returns the words of a []string expression: a literal, a local
// variable built from a literal and appends, or append calls. What cannot
// be followed is one slot.
func (b *argvBuilder) slice(e ast.Expr, depth int) []command.Word {
	ix := b.ix
	e = ast.Unparen(e)
	if depth > maxArgvDepth {
		return []command.Word{b.slot(e)}
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		var words []command.Word
		for _, elt := range x.Elts {
			if _, ok := elt.(*ast.KeyValueExpr); ok {
				return []command.Word{b.slot(e)}
			}
			words = append(words, b.word(elt, depth+1))
		}
		return words
	case *ast.CallExpr:
		if fn := ix.staticCallee(x); fn != nil && fn.FullName() == "strings.Fields" && len(x.Args) == 1 {
			if words, ok := b.splitFields(b.word(x.Args[0], depth+1)); ok {
				return words
			}
			break
		}
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && len(x.Args) > 0 {
			if _, ok := ix.info.Uses[id].(*types.Builtin); ok && id.Name == "append" {
				words := b.slice(x.Args[0], depth+1)
				for i, arg := range x.Args[1:] {
					if x.Ellipsis.IsValid() && i == len(x.Args)-2 {
						words = append(words, b.slice(arg, depth+1)...)
					} else {
						words = append(words, b.word(arg, depth+1))
					}
				}
				return words
			}
		}
	case *ast.Ident:
		v, ok := ix.info.Uses[x].(*types.Var)
		if !ok || ix.paramOf[v] != nil || ix.litParams[v] {
			break
		}
		// The first definition, then the appends to the variable itself,
		// in source order.
		var words []command.Word
		for i, src := range ix.defs[v] {
			if src.rhs == nil || src.index >= 0 {
				return []command.Word{b.slot(e)}
			}
			if i == 0 {
				words = b.slice(src.rhs, depth+1)
				continue
			}
			call, ok := ast.Unparen(src.rhs).(*ast.CallExpr)
			if !ok || !ix.isAppendTo(call, v) {
				return []command.Word{b.slot(e)}
			}
			for j, arg := range call.Args[1:] {
				if call.Ellipsis.IsValid() && j == len(call.Args)-2 {
					words = append(words, b.slice(arg, depth+1)...)
				} else {
					words = append(words, b.word(arg, depth+1))
				}
			}
		}
		if words != nil {
			return words
		}
	}
	return []command.Word{b.slot(e)}
}

// isAppendTo reports whether call is append(v, ...).
func (ix *index) isAppendTo(call *ast.CallExpr, v *types.Var) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if b, ok := ix.info.Uses[id].(*types.Builtin); !ok || b.Name() != "append" {
		return false
	}
	arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && ix.info.Uses[arg] == v
}

// constCandidate returns the one constant e may hold, ignoring values from
// the environment or flags: "kind", in kind := "kind"; if v, ok :=
// os.LookupEnv("KIND"); ok { kind = v }.
func (ix *index) constCandidate(fl *flow, e ast.Expr, depth int) (string, bool) {
	e = ast.Unparen(e)
	if s, ok := constString(ix.info, e); ok {
		return s, true
	}
	id, ok := e.(*ast.Ident)
	if !ok || depth > maxArgvDepth {
		return "", false
	}
	v, ok := ix.info.Uses[id].(*types.Var)
	if !ok || ix.paramOf[v] != nil || ix.litParams[v] {
		return "", false
	}
	found := ""
	for _, src := range ix.defs[v] {
		if src.rhs == nil || src.index >= 0 {
			continue // env lookups and the like: an override
		}
		s, ok := ix.constCandidate(src.fl, src.rhs, depth+1)
		if ok && found != "" && s != found {
			return "", false
		}
		if ok {
			found = s
		} else if r := ix.resolve(src.fl, src.rhs); r.kind != vExternal {
			return "", false
		}
	}
	return found, found != ""
}

// splitFields splits a word as strings.Fields does at run time: at the
// blanks of its literal text. A run-time part glued to literal text
// ("image.tag=" + tag) stays in its word. One standing alone may hold
// blanks of its own: it is one word only after a flag (--name cluster) or
// when it is an image reference (a repository with a run-time tag, a
// generated or produced image); otherwise the words are not known.
func (b *argvBuilder) splitFields(w command.Word) ([]command.Word, bool) {
	var words []command.Word
	var cur command.Word
	glued := false // cur holds text touching the next part
	prev := ""     // the last complete word, when literal
	flush := func() {
		if len(cur) > 0 {
			words = append(words, cur)
			prev, _ = cur.Literal()
		}
		cur, glued = nil, false
	}
	for i, p := range w {
		if !p.IsLiteral() {
			next := i+1 < len(w) && w[i+1].IsLiteral() && w[i+1].Text != "" && !unicode.IsSpace(rune(w[i+1].Text[0]))
			if !glued && !next && !strings.HasPrefix(prev, "-") && !b.oneWord(p) {
				return nil, false
			}
			cur = append(cur, p)
			glued = true
			continue
		}
		text := p.Text
		for text != "" {
			if unicode.IsSpace(rune(text[0])) {
				flush()
				text = strings.TrimLeftFunc(text, unicode.IsSpace)
				continue
			}
			end := strings.IndexFunc(text, unicode.IsSpace)
			if end < 0 {
				end = len(text)
			}
			cur = append(cur, command.Part{Text: text[:end], Slot: command.Literal})
			glued = true
			text = text[end:]
		}
	}
	flush()
	return words, true
}

// oneWord reports whether the run-time part p is an image reference,
// which holds no blanks.
func (b *argvBuilder) oneWord(p command.Part) bool {
	if !p.IsSlot() || p.Slot >= len(b.slots) || b.slots[p.Slot] == nil {
		return false
	}
	v := b.ix.resolve(b.fl, b.slots[p.Slot])
	return v.repo != "" || v.kind == vGenerated || v.kind == vProduced
}
