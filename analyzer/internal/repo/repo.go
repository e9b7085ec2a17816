// Package repo is the repository model: what the Makefiles, scripts and
// CI workflows next to a Go module do with container images, so that the
// analyzer can follow a flow out of Go (make deploy IMG=..., bash
// hack/e2e-setup.sh) and tell the repository's own images from others.
//
// It only reads: files under the repository root (the nearest directory
// at or above the module root holding .git or .github, else the module
// root: a repository copied without its .git keeps its workflows), at most
// 1 MiB each and a bounded number per model, each read once per process
// and cached by path, size and modification time. It never runs a
// command: recipes and scripts are parsed (mvdan.cc/sh via the command
// package), $(shell ...) and command substitutions stay unknown.
package repo

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/makefile"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/workflow"
)

// Pos is a position in a file of the repository: File absolute, Line and
// Col from 1; Col 0 when only the line is known.
type Pos struct {
	File      string
	Line, Col int
}

// Problem is what could not be read: a broken Makefile, a script that is
// not valid shell, a file too large.
type Problem struct {
	Pos Pos
	Msg string
}

// Model is the repository model of one module. Its methods read lazily
// and are safe for concurrent use.
type Model struct {
	ModuleRoot, RepoRoot string

	realRoot string // RepoRoot with symbolic links resolved

	mu       sync.Mutex
	seen     map[string]stamp // the files and directories read
	absent   map[string]bool  // files looked for and not found
	problems []Problem
	reported map[Problem]bool
	parsed   map[string]*makefile.File
	walked   map[string]walked // scripts walked, by how they were run
	own      []OwnImage
	ownDone  bool
	wfs      []*workflow.Workflow
	wfDone   bool
	bases    []BaseImage
	baseDone bool
	// makeDirs are the directories holding a Makefile, listed once;
	// makeDirsAll: the whole tree was listed.
	makeDirs                  []string
	makeDirsDone, makeDirsAll bool
	goTests                   []GoTestRun
	goTestsDone               bool
}

var models struct {
	sync.Mutex
	m map[string]*Model
}

// Load returns the model of the module at moduleRoot: the same one while
// no file it read has changed, a new one after an edit.
func Load(moduleRoot string) *Model {
	abs, err := filepath.Abs(moduleRoot)
	if err != nil {
		abs = filepath.Clean(moduleRoot)
	}
	models.Lock()
	defer models.Unlock()
	if m, ok := models.m[abs]; ok && m.fresh() {
		return m
	}
	m := newModel(abs)
	if models.m == nil {
		models.m = map[string]*Model{}
	}
	models.m[abs] = m
	return m
}

func newModel(moduleRoot string) *Model {
	m := &Model{ModuleRoot: moduleRoot, RepoRoot: moduleRoot, seen: map[string]stamp{},
		absent: map[string]bool{}, reported: map[Problem]bool{}, parsed: map[string]*makefile.File{},
		walked: map[string]walked{}}
	for dir := moduleRoot; ; dir = filepath.Dir(dir) {
		if isRepoRoot(dir) {
			m.RepoRoot = dir
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	m.realRoot = m.RepoRoot
	if real, err := filepath.EvalSymlinks(m.RepoRoot); err == nil {
		m.realRoot = real
	}
	return m
}

// Problems returns what could not be read so far, in the order found.
func (m *Model) Problems() []Problem {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.problems)
}

func (m *Model) problem(p Problem) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.reported[p] {
		m.reported[p] = true
		m.problems = append(m.problems, p)
	}
}

// isRepoRoot reports whether dir is a repository's root: it holds .git
// or .github.
func isRepoRoot(dir string) bool {
	for _, name := range []string{".git", ".github"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

func fromMake(p makefile.Pos) Pos { return Pos{p.File, p.Line, p.Col} }

// makefileAt returns the parsed Makefile make reads in dir (GNUmakefile,
// makefile, Makefile), or the file -f names; "" when none.
func (m *Model) makefileAt(dir, file string) string {
	if file != "" {
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		return file
	}
	for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
		if p := filepath.Join(dir, name); m.exists(p) {
			return p
		}
	}
	return ""
}

// parse reads and parses a Makefile once per model; its syntax problems
// become the model's.
func (m *Model) parse(path string) (*makefile.File, error) {
	abs, err := m.inside(path)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	f, ok := m.parsed[abs]
	m.mu.Unlock()
	if ok {
		return f, nil
	}
	data, err := m.read(abs)
	if err != nil {
		return nil, err
	}
	f = makefile.Parse(abs, data)
	for _, p := range f.Problems {
		m.problem(Problem{fromMake(p.Pos), p.Msg})
	}
	m.mu.Lock()
	m.parsed[abs] = f
	m.mu.Unlock()
	return f, nil
}

// eval reads the Makefile in dir as make run there with vars and env.
func (m *Model) eval(dir, file string, goals []string, vars, env map[string]command.Word) (*makefile.Make, string, error) {
	path := m.makefileAt(dir, file)
	if path == "" {
		return nil, "", os.ErrNotExist
	}
	f, err := m.parse(path)
	if err != nil {
		return nil, path, err
	}
	mk := makefile.Eval(f, makefile.Config{Dir: dir, Vars: vars, Env: env, Goals: goals, Read: m.parse})
	for _, p := range mk.Problems {
		m.problem(Problem{fromMake(p.Pos), p.Msg})
	}
	return mk, path, nil
}

// MakeVar returns the value the Makefile in dir gives variable name, as
// make run there without arguments sees it, and where it is assigned;
// false when the Makefile does not assign it.
func (m *Model) MakeVar(dir, name string) (command.Word, Pos, bool) {
	mk, _, err := m.eval(m.abs(dir), "", nil, nil, nil)
	if err != nil {
		return nil, Pos{}, false
	}
	v := mk.Var(name)
	if v == nil {
		return nil, Pos{}, false
	}
	return mk.Value(name), fromMake(v.Pos), true
}

// abs resolves a directory relative to the module root.
func (m *Model) abs(dir string) string {
	if filepath.IsAbs(dir) {
		return filepath.Clean(dir)
	}
	return filepath.Join(m.ModuleRoot, dir)
}

// isScript reports whether a file is a shell script, by its shebang or
// its extension, and with which shell.
func isScript(path string, src []byte) (string, bool) {
	if sh := command.Shebang(string(src)); sh != "" {
		return sh, true
	}
	if strings.HasPrefix(string(src), "#!") {
		return "", false // another interpreter
	}
	switch filepath.Ext(path) {
	case ".sh":
		return "sh", true
	case ".bash":
		return "bash", true
	}
	return "", false
}

// MakefileDir returns the nearest directory at or above dir, up to the
// repository root, holding a Makefile: where a make run without -C from
// dir or a directory below it finds one. "" when none does.
func (m *Model) MakefileDir(dir string) string {
	dir = m.abs(dir)
	if !within(m.RepoRoot, dir) {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		if m.makefileAt(dir, "") != "" {
			return dir
		}
		if dir == m.RepoRoot || filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Bounds on listing the repository's directories for MakefileDirs.
const (
	maxWalkDirs  = 5000
	maxWalkDepth = 12
)

// MakefileDirs returns the directories under the repository root that
// hold a Makefile and whose path ends with the slash-separated tail (""
// for any), and whether the whole tree was listed: hidden, vendor and
// node_modules directories are skipped, and past maxWalkDirs directories
// or maxWalkDepth levels the answer is incomplete. Where make runs when Go
// sets cmd.Dir to a run-time root joined with tail.
func (m *Model) MakefileDirs(tail string) ([]string, bool) {
	m.mu.Lock()
	done := m.makeDirsDone
	m.mu.Unlock()
	if !done {
		var dirs []string
		n := 0
		var walk func(dir string, depth int) bool
		walk = func(dir string, depth int) bool {
			if n++; n > maxWalkDirs || depth > maxWalkDepth {
				return false
			}
			entries := m.list(dir)
			for _, e := range entries {
				if name := e.Name(); e.Type().IsRegular() && (name == "GNUmakefile" || name == "makefile" || name == "Makefile") {
					dirs = append(dirs, dir)
					break
				}
			}
			for _, e := range entries {
				if name := e.Name(); e.IsDir() && !strings.HasPrefix(name, ".") && name != "vendor" && name != "node_modules" {
					if !walk(filepath.Join(dir, name), depth+1) {
						return false
					}
				}
			}
			return true
		}
		all := walk(m.RepoRoot, 0)
		m.mu.Lock()
		m.makeDirs, m.makeDirsAll, m.makeDirsDone = dirs, all, true
		m.mu.Unlock()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tail = path.Clean(tail)
	var out []string
	for _, d := range m.makeDirs {
		if s := filepath.ToSlash(d); tail == "." || s == tail || strings.HasSuffix(s, "/"+tail) {
			out = append(out, d)
		}
	}
	return out, m.makeDirsAll
}

// Defines reports whether the Makefile make reads in dir has a rule that
// makes target.
func (m *Model) Defines(dir, target string) bool {
	mk, _, err := m.eval(m.abs(dir), "", nil, nil, nil)
	if err != nil {
		return false
	}
	_, ok := mk.Resolve(target, nil)
	return ok
}

// FileAt returns the nearest directory at or above dir, up to the
// repository root, in which the relative path rel names a regular file:
// where a script run as ./hack/setup.sh from a test's directory is found.
// "" when none.
func (m *Model) FileAt(dir, rel string) string {
	dir = m.abs(dir)
	if filepath.IsAbs(rel) || !within(m.RepoRoot, dir) {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		if m.exists(filepath.Join(dir, rel)) {
			return dir
		}
		if dir == m.RepoRoot || filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Source returns a file of the repository as the model read it (cached,
// bounded), for positions in it.
func (m *Model) Source(path string) ([]byte, error) { return m.read(path) }
