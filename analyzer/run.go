package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// checker holds the state of one pass.
type checker struct {
	pass  *analysis.Pass
	s     *settings
	flows []*flow
	facts map[*types.Func]*imageFunc

	builtRepos map[string]bool      // repositories the package builds or loads by constant reference
	named      map[token.Pos]string // literals an ignored-image-param finding names, by position
	// deployTimeCalls are the generator calls reported as deploy-time-tag,
	// so that regenerated-tag does not report them again.
	deployTimeCalls map[*ast.CallExpr]bool
	// regenerated are the generator calls reported as regenerated-tag, so
	// that image-mismatch does not report their deployment again.
	regenerated map[*ast.CallExpr]bool
	pending     []pendingDiagnostic
}

type pendingDiagnostic struct {
	check string
	analysis.Diagnostic
}

// checkFuncs run in this order; ignored-image-param runs before
// hardcoded-image so that a literal is reported once, where it is ignored.
var checkFuncs = []struct {
	name string
	run  func(*checker)
}{
	{CheckDiscardedImage, checkDiscardedImage},
	{CheckIgnoredImageParam, checkIgnoredImageParam},
	{CheckHardcodedImage, checkHardcodedImage},
	{CheckDeployTimeTag, checkDeployTimeTag},
	{CheckRegeneratedTag, checkRegeneratedTag},
	{CheckRetagAfterLoad, checkRetagAfterLoad},
	{CheckImageMismatch, checkImageMismatch},
}

func run(pass *analysis.Pass, s *settings) (any, error) {
	if !mayContainPattern(pass, s) {
		return nil, nil
	}
	c := &checker{
		pass:       pass,
		s:          s,
		facts:      make(map[*types.Func]*imageFunc),
		builtRepos: make(map[string]bool),
		named:      make(map[token.Pos]string),

		deployTimeCalls: make(map[*ast.CallExpr]bool),
		regenerated:     make(map[*ast.CallExpr]bool),
	}
	var files []*ast.File
	for _, file := range pass.Files {
		if !s.generated && ast.IsGenerated(file) {
			continue
		}
		files = append(files, file)
		var pkgLevel *flow
		for _, decl := range file.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				fl := c.newFlow(file, decl)
				if decl.Body != nil {
					c.index(fl, decl.Body)
				}
				c.flows = append(c.flows, fl)
			case *ast.GenDecl:
				if decl.Tok == token.VAR || decl.Tok == token.CONST {
					if pkgLevel == nil {
						pkgLevel = c.newFlow(file, nil)
						c.flows = append(c.flows, pkgLevel)
					}
					c.index(pkgLevel, decl)
				}
			}
		}
	}
	c.computeFacts()
	c.collectBuiltRepos()
	for _, check := range checkFuncs {
		if s.enabled[check.name] {
			check.run(c)
		}
	}
	c.flush(parseDirectives(pass, files))
	return nil, nil
}

// mayContainPattern is the quick exit: a package that calls no function
// imagetaglint knows or whose names suggest an image step, uses neither
// os/exec nor corev1, and has no string mentioning an image cannot hold any
// finding, nor a fact other packages need.
func mayContainPattern(pass *analysis.Pass, s *settings) bool {
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "os/exec" || imp.Path() == corev1Path {
			return true
		}
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		name := fn.Name()
		if matchesAny(s.producers, fn) || matchesAny(s.generators, fn) ||
			s.deploy.MatchString(name) || s.build.MatchString(name) || s.load.MatchString(name) {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, new(imageFunc)) {
			return true
		}
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	found := false
	insp.Preorder([]ast.Node{(*ast.BasicLit)(nil)}, func(n ast.Node) {
		if lit := n.(*ast.BasicLit); !found && lit.Kind == token.STRING && strings.Contains(strings.ToLower(lit.Value), "image") {
			found = true
		}
	})
	return found
}

// report records a finding of check at [pos, end).
func (c *checker) report(check string, pos, end token.Pos, fixes []analysis.SuggestedFix, format string, args ...any) {
	c.pending = append(c.pending, pendingDiagnostic{check, analysis.Diagnostic{
		Pos:            pos,
		End:            end,
		Category:       check,
		Message:        fmt.Sprintf(format, args...) + " [" + check + "]",
		URL:            DocURL + "#" + check,
		SuggestedFixes: fixes,
	}})
}

// reportNode records a finding at n.
func (c *checker) reportNode(check string, n ast.Node, fixes []analysis.SuggestedFix, format string, args ...any) {
	c.report(check, n.Pos(), n.End(), fixes, format, args...)
}

// flush reports the pending findings that no directive suppresses, then
// the directives that are malformed or suppress nothing.
func (c *checker) flush(directives []*directive) {
	slices.SortStableFunc(c.pending, func(a, b pendingDiagnostic) int { return cmp.Compare(a.Pos, b.Pos) })
	for _, d := range c.pending {
		if !suppress(c.pass.Fset, directives, d.check, d.Pos) {
			c.pass.Report(d.Diagnostic)
		}
	}
	for _, dir := range directives {
		if msg := dir.problem(c.s); msg != "" {
			c.pass.Report(analysis.Diagnostic{
				Pos:      dir.pos,
				End:      dir.end,
				Category: checkDirective,
				Message:  msg + " [" + checkDirective + "]",
				URL:      DocURL + "#suppressing-findings",
			})
		}
	}
}

// replaceFix is a suggested fix that replaces n with text.
func replaceFix(message string, n ast.Node, text string) []analysis.SuggestedFix {
	return []analysis.SuggestedFix{{
		Message:   message,
		TextEdits: []analysis.TextEdit{{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}},
	}}
}

// line returns the line of pos, for messages.
func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }
