package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// A suite may rewrite a file of the repository in place to set its image
// (os.WriteFile of a rewritten manifest, kustomize edit set image), apply
// it, and restore it (os.WriteFile of the content read before, git
// checkout -- FILE, git restore FILE). An apply while the file is
// rewritten deploys what the rewrite wrote, not the file as written; an
// apply after the restore deploys the file as written again. Only what a
// flow does itself is seen, in the order of one function body.

// fileEvent is a rewrite or a restore of a module file by a call of a flow.
type fileEvent struct {
	path    string // absolute; a restore may name a directory
	restore bool
	cs      *callSite
}

func (ev *fileEvent) touches(abs string) bool {
	return ev.path == abs || ev.restore && strings.HasPrefix(abs, ev.path+string(filepath.Separator))
}

// fileEvents returns the rewrites and restores of module files fl makes.
func (ix *index) fileEvents(fl *flow) []fileEvent {
	if fl.inPlace != nil {
		return *fl.inPlace
	}
	var evs []fileEvent
	for i := range fl.calls {
		cs := &fl.calls[i]
		fn := ix.callee(fl, cs.call)
		if fn == nil {
			continue
		}
		args := cs.call.Args
		if fn.FullName() == "os.WriteFile" && len(args) == 3 {
			if p := ix.resolve(fl, args[0]); p.kind == vConst {
				if abs, ok := ix.moduleFileAbs(p.str, ""); ok {
					evs = append(evs, fileEvent{path: abs, restore: ix.readBack(fl, args[1], abs), cs: cs})
				}
			}
			continue
		}
		if ix.classOf(fn)&classExec == 0 {
			continue
		}
		argv, _, ok := ix.argvOf(fl, cs.call, fn)
		if !ok {
			continue
		}
		dir, known := ix.packageDir(), true
		if dirs := ix.cmdDir(cs.call); dirs != nil {
			dir = ix.runDir(fl, dirs, ix.moduleDirsEnding)
			known = dir != ""
		}
		if paths, ok := gitRestorePaths(argv); ok {
			for _, p := range paths {
				abs, ok := ix.moduleFileAbs(p, dir)
				if !known {
					abs, ok = ix.tailAbs(p) // relative to a directory known only at run time
				}
				if ok {
					evs = append(evs, fileEvent{path: abs, restore: true, cs: cs})
				}
			}
			continue
		}
		for _, s := range command.Parse(argv) {
			if s.Kind == command.SetImage && strings.HasPrefix(s.Tool, "kustomize") && known {
				if k, ok := kustomizationFile(dir); ok {
					evs = append(evs, fileEvent{path: k, cs: cs})
				}
			}
		}
	}
	fl.inPlace = &evs
	return evs
}

// moduleFileAbs returns the absolute path of the module file or directory
// p names, relative to dir ("" for the package's directory); when it is
// not there, the one module path ending in p (a path relative to the
// repository's root, where the command or the suite runs).
func (ix *index) moduleFileAbs(p, dir string) (string, bool) {
	if dir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(dir, filepath.FromSlash(p))
	}
	if abs, err := ix.modulePath(p); err == nil {
		if _, err := os.Stat(abs); err == nil {
			return abs, true
		}
	}
	if filepath.IsAbs(p) {
		return "", false
	}
	return ix.tailAbs(p)
}

// tailAbs returns the one module path ending in the relative path p.
func (ix *index) tailAbs(p string) (string, bool) {
	rel, ok := ix.uniqueModulePath(strings.Split(path.Clean(filepath.ToSlash(p)), "/"))
	if !ok {
		return "", false
	}
	abs, err := ix.modulePath(rel)
	return abs, err == nil
}

// moduleDirsEnding lists the module's directories whose path ends in
// tail: the candidates of a cmd.Dir joined from a run-time root.
func (ix *index) moduleDirsEnding(tail string) ([]string, bool) {
	if tail == "" {
		return nil, false // a Dir known only at run time: any directory
	}
	var dirs []string
	for _, rel := range ix.modulePathsEnding(tail) {
		abs := filepath.Join(ix.moduleRoot(), filepath.FromSlash(rel))
		if info, err := os.Stat(abs); err == nil && info.IsDir() {
			dirs = append(dirs, abs)
		}
	}
	return dirs, true
}

func kustomizationFile(dir string) (string, bool) {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().IsRegular() {
			return filepath.Join(dir, name), true
		}
	}
	return "", false
}

// readBack reports whether data is the content os.ReadFile read from abs,
// held in a variable assigned once: orig, err := os.ReadFile(path).
func (ix *index) readBack(fl *flow, data ast.Expr, abs string) bool {
	for range maxResolveDepth {
		call, ok := ast.Unparen(data).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			break
		}
		if tv, ok := ix.info.Types[call.Fun]; !ok || !tv.IsType() {
			break
		}
		data = call.Args[0] // []byte(orig), string(orig)
	}
	id, ok := ast.Unparen(data).(*ast.Ident)
	if !ok {
		return false
	}
	rhs, ok := ix.assignedOnce(id, true)
	if !ok {
		return false
	}
	read, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || len(read.Args) != 1 {
		return false
	}
	if fn := ix.callee(fl, read); fn == nil || fn.FullName() != "os.ReadFile" {
		return false
	}
	p := ix.resolve(fl, read.Args[0])
	if p.kind != vConst {
		return false
	}
	from, ok := ix.moduleFileAbs(p.str, "")
	return ok && from == abs
}

// gitRestorePaths returns the paths a git command restores to their
// committed content: git checkout [HEAD] -- PATH..., git checkout PATH...,
// git restore [--worktree] [--source=HEAD] PATH.... Another source, the
// index only (--staged), -C or a run-time word: none.
func gitRestorePaths(argv []command.Word) ([]string, bool) {
	words := make([]string, len(argv))
	for i, w := range argv {
		s, ok := w.Literal()
		if !ok {
			return nil, false
		}
		words[i] = s
	}
	if len(words) < 3 || path.Base(words[0]) != "git" {
		return nil, false
	}
	var paths []string
	dashes := false
	switch words[1] {
	case "checkout":
		var pre []string // before "--": a revision, or paths
		for _, w := range words[2:] {
			switch {
			case dashes:
				paths = append(paths, w)
			case w == "--":
				dashes = true
			case w == "-f" || w == "-q" || w == "--force" || w == "--quiet":
			case strings.HasPrefix(w, "-"):
				return nil, false
			default:
				pre = append(pre, w)
			}
		}
		if len(pre) > 0 && pre[0] == "HEAD" {
			pre = pre[1:]
		}
		if dashes && len(pre) > 0 {
			return nil, false // another revision's content
		}
		paths = append(pre, paths...)
	case "restore":
		staged, worktree := false, false
		for i := 2; i < len(words); i++ {
			w := words[i]
			switch {
			case dashes:
				paths = append(paths, w)
			case w == "--":
				dashes = true
			case w == "--staged" || w == "-S":
				staged = true
			case w == "--worktree" || w == "-W":
				worktree = true
			case w == "-q" || w == "--quiet":
			case w == "--source=HEAD":
			case (w == "-s" || w == "--source") && i+1 < len(words) && words[i+1] == "HEAD":
				i++
			case strings.HasPrefix(w, "-"):
				return nil, false
			default:
				paths = append(paths, w)
			}
		}
		if staged && !worktree {
			return nil, false // the index only: the file stays as it is
		}
	default:
		return nil, false
	}
	return paths, len(paths) > 0
}

// fileState says how the module file abs stands where the call at of fl
// applies or reads it: rewritten in place (ev is the rewrite), restored
// (ev is the restore: what follows is the file as written), or as written
// with no restore to name (nil). A rewrite or restore counts when it is
// in the same function body before at, and a restore only when it runs
// whenever at does (not in a branch at is not in, nor deferred). A rewrite
// the order cannot tell (another function literal, a later iteration of
// a loop) makes the file rewritten: what it holds is not known.
func (ix *index) fileState(fl *flow, at ast.Node, abs string) (ev *fileEvent, rewritten bool) {
	ev, rewritten, _ = ix.fileStateOrder(fl, at, abs)
	return ev, rewritten
}

// fileStateOrder is fileState, and says whether a rewrite decided because
// its order with at is not that of one function body (unplaced): a test
// suite's run order may still place it.
func (ix *index) fileStateOrder(fl *flow, at ast.Node, abs string) (ev *fileEvent, rewritten, unplaced bool) {
	evs := ix.fileEvents(fl)
	var atCs *callSite
	for i := range fl.calls {
		if fl.calls[i].call == at {
			atCs = &fl.calls[i]
		}
	}
	var last *fileEvent
	if atCs != nil {
		body := enclosingBody(atCs.cur)
		for i := range evs {
			e := &evs[i]
			if e.touches(abs) && e.cs.call.Pos() < at.Pos() && enclosingBody(e.cs.cur) == body && !deferred(e.cs.cur) &&
				(last == nil || e.cs.call.Pos() > last.cs.call.Pos()) {
				last = e
			}
		}
	}
	switch {
	case last != nil && !last.restore:
		return last, true, false
	case last != nil && enclosingBlock(last.cs.cur).Pos() <= at.Pos() && at.End() <= enclosingBlock(last.cs.cur).End():
		return last, false, false
	}
	for i := range evs {
		e := &evs[i]
		if !e.touches(abs) || e.restore {
			continue
		}
		later := atCs != nil && e.cs.call.Pos() > at.Pos() && enclosingBody(e.cs.cur) == enclosingBody(atCs.cur) &&
			!deferred(e.cs.cur) && !inLoop(atCs.cur)
		if !later {
			return e, true, last == nil
		}
	}
	return nil, false, false
}

// writtenFile is what a module file deploys as written, kept on the
// opaque step of an apply that a rewrite elsewhere in the flow hides: a
// suite lane that runs a restore of the file before it deploys this.
type writtenFile struct {
	abs   string
	steps []step
}

// laneRestore returns the restore of the module file abs that the lane
// l runs last before the step at pos of its segment at, when it runs no
// rewrite of it after: as an Ordered container's It restoring the file
// before the next one applies it. A restore counts at the top level of a
// node body (a deferred one at the body's end); a rewrite anywhere in it.
func (ix *index) laneRestore(l *lane, at int, pos token.Pos, abs string) *fileEvent {
	var last *fileEvent
	var lastSeg int
	var lastPos token.Pos
	for i := 0; i <= at; i++ {
		seg := l.segs[i]
		if seg.part != segBody || seg.body == nil {
			continue
		}
		evs := ix.fileEvents(seg.fl)
		for j := range evs {
			e := &evs[j]
			p := e.cs.call.Pos()
			if !e.touches(abs) || p < seg.from || p >= seg.to || ix.nodeBodyAt(p) != seg.body {
				continue
			}
			if deferred(e.cs.cur) {
				if i == at || e.restore && inGo(e.cs.cur) {
					continue // runs after the step, or beside it
				}
				p = seg.to // at the body's end
			}
			if i == at && p >= pos {
				continue
			}
			top := enclosingBody(e.cs.cur) == ast.Node(seg.body) && enclosingBlock(e.cs.cur) == ast.Node(seg.body.Body)
			if e.restore && !top {
				continue // may not run: the file stays as it was
			}
			if last == nil || i > lastSeg || i == lastSeg && p > lastPos {
				last, lastSeg, lastPos = e, i, p
			}
		}
	}
	if last == nil || !last.restore {
		return nil
	}
	return last
}

// rewrittenWhy says what an apply of the rewritten file abs cannot name.
func (ix *index) rewrittenWhy(abs string, ev *fileEvent) string {
	return fmt.Sprintf("%s is rewritten in place (line %d) before it is applied", ix.relName(abs), ix.pass.Fset.Position(ev.cs.call.Pos()).Line)
}

// enclosingBody is the function declaration or literal around c.
func enclosingBody(c inspector.Cursor) ast.Node {
	for p := range c.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		return p.Node()
	}
	return nil
}

// enclosingBlock is the block, case or select clause around c.
func enclosingBlock(c inspector.Cursor) ast.Node {
	for p := range c.Enclosing((*ast.BlockStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		return p.Node()
	}
	return c.Node()
}

// deferred reports whether c runs after its function body, or beside it:
// a defer or go statement of that body.
func deferred(c inspector.Cursor) bool {
	for p := range c.Enclosing((*ast.DeferStmt)(nil), (*ast.GoStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch p.Node().(type) {
		case *ast.DeferStmt, *ast.GoStmt:
			return true
		}
		return false
	}
	return false
}

// inGo reports whether c runs in a goroutine its function body starts.
func inGo(c inspector.Cursor) bool {
	for p := range c.Enclosing((*ast.GoStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		_, ok := p.Node().(*ast.GoStmt)
		return ok
	}
	return false
}
