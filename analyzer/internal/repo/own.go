package repo

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// Where OwnImages looks for scripts, under the module and repository
// roots, and how deep.
var scriptDirs = []string{"hack", "scripts", "test", "tests", "e2e"}

const maxScriptDepth = 3

// OwnImage is an image this repository builds: the -t value of a build
// step in one of its Makefile targets or scripts.
type OwnImage struct {
	// Ref is the reference as built: Var parts for the variables that
	// override it (IMG, REGISTRY, TAG), with their defaults.
	Ref command.Word
	// Default is Ref with every variable at its default, "" when a part
	// has none or is not known.
	Default string
	// Repository is the repository Ref names with its variables at their
	// defaults, normalised ("docker.io/controller", "ghcr.io/org/app"); ""
	// when a part of it has no default. The tag may be unknown.
	Repository string
	// Suffix is the literal end of the repository after its last run-time
	// part: "nmi" for $(REGISTRY)/nmi:$(TAG); "" when none.
	Suffix string
	// Vars are the variables Ref depends on, outermost first.
	Vars []string
	// Context is the absolute build context, "" when not known.
	Context string
	Tool    string
	Pos     Pos
	Via     []Pos
}

// OwnImages returns the images this repository builds: the -t values of
// every build step (docker, podman, buildah, nerdctl build; ko builds
// name no image) in the targets of the Makefiles at the module and
// repository roots, in the scripts under hack/, scripts/, test/, tests/
// and e2e/, and in the run: steps of the GitHub workflows (with the make
// runs and scripts they run). Each target's recipe is read alone, without its
// prerequisites, with no command-line variable: the defaults.
func (m *Model) OwnImages() []OwnImage {
	m.mu.Lock()
	if m.ownDone {
		defer m.mu.Unlock()
		return slices.Clone(m.own)
	}
	m.mu.Unlock()
	var own []OwnImage
	add := func(run Run) {
		for _, s := range run.Steps {
			if s.Kind != command.Build {
				continue
			}
			for _, img := range s.Images {
				own = append(own, ownImage(img, s))
			}
		}
	}
	// A recipe alone: what a target builds itself.
	m.eachTarget(true, func(_ string, run Run) { add(run) })
	for _, root := range m.roots() {
		for _, d := range scriptDirs {
			for _, f := range m.scripts(filepath.Join(root, d), 0) {
				add(m.Script(root, f, nil, nil))
			}
		}
	}
	add(m.ciSteps())
	own = dedupe(own)
	m.mu.Lock()
	m.own, m.ownDone = own, true
	m.mu.Unlock()
	return slices.Clone(own)
}

// scripts lists the shell scripts under dir, depth bounded.
func (m *Model) scripts(dir string, depth int) []string {
	var out []string
	for _, e := range m.list(dir) {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir() && depth < maxScriptDepth && !strings.HasPrefix(e.Name(), "."):
			out = append(out, m.scripts(p, depth+1)...)
		case e.Type().IsRegular():
			if ext := filepath.Ext(p); ext == ".sh" || ext == ".bash" {
				out = append(out, p)
			}
		}
	}
	return out
}

func dedupe(own []OwnImage) []OwnImage {
	var out []OwnImage
	for _, o := range own {
		if !slices.ContainsFunc(out, func(x OwnImage) bool { return x.Ref.Equal(o.Ref) && x.Pos == o.Pos }) {
			out = append(out, o)
		}
	}
	return out
}

func ownImage(ref command.Word, s Step) OwnImage {
	o := OwnImage{Ref: ref, Tool: s.Tool, Pos: s.Pos, Via: s.Via, Vars: varNames(ref, nil), Context: context(s)}
	withDefaults := render(ref, true)
	if !strings.Contains(withDefaults, "\x00") {
		o.Default = withDefaults
	}
	if repo := repository(withDefaults); !strings.Contains(repo, "\x00") {
		if r, err := imageref.Parse(repo); err == nil {
			o.Repository = r.Domain + "/" + r.Path
		}
	}
	if repo := repository(render(ref, false)); strings.Contains(repo, "\x00") {
		o.Suffix = strings.Trim(repo[strings.LastIndexByte(repo, 0)+1:], "/")
	}
	return o
}

func varNames(w command.Word, out []string) []string {
	for _, p := range w {
		if p.IsVar() && !slices.Contains(out, p.Text) {
			out = append(out, p.Text)
		}
		if p.Default != nil {
			out = varNames(*p.Default, out)
		}
	}
	return out
}

// render renders a reference with a NUL for each part not known, and
// variables at their defaults when defaults is set.
func render(w command.Word, defaults bool) string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.IsLiteral():
			b.WriteString(p.Text)
		case defaults && p.IsVar() && p.Default != nil:
			b.WriteString(render(*p.Default, true))
		default:
			b.WriteByte(0)
		}
	}
	return b.String()
}

// repository cuts the tag and digest off a rendered reference.
func repository(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}

// IsOwn reports whether an image reference names a repository this
// repository builds: the same repository as an own image's default, or,
// for an own image whose registry or leading path is a variable, a
// repository ending with its literal suffix (ghcr.io/org/nmi for
// $(REGISTRY)/nmi).
//
// A base image of the repository's Dockerfiles is never its own, whatever
// the suffix matches.
func (m *Model) IsOwn(ref string) bool {
	r, err := imageref.Parse(ref)
	if err != nil || m.IsBase(ref) {
		return false
	}
	repo := r.Domain + "/" + r.Path
	for _, o := range m.OwnImages() {
		if o.Repository == repo {
			return true
		}
		if o.Suffix != "" && (r.Path == o.Suffix || strings.HasSuffix(repo, "/"+o.Suffix)) {
			return true
		}
	}
	return false
}

// GoTestRun is a go test run in a Makefile target's recipe: the suite
// runs after the steps before it (its prerequisites' and the earlier
// lines'), with the variables make gives its environment.
type GoTestRun struct {
	Target string
	Dir    string   // where go test runs, absolute
	Pos    Pos      // the recipe line
	Via    []Pos    // the rule lines leading there
	Pkgs   []string // its relative package patterns, as written
	// Env are the variables the recipe gives go test: exported make
	// variables, command-line ones, NAME=value before go test; Var parts
	// at their defaults where make sets them from the file.
	Env map[string]command.Word
	// Before are the image steps of the run before go test.
	Before []Step
	// Args are its words other than packages (GoTestArgs.Args): the test
	// binary's flags among them.
	Args []command.Word
}

// GoTestRuns returns the go test runs of the targets of the Makefiles at
// the module and repository roots, each target made with its
// prerequisites and no command-line variable.
func (m *Model) GoTestRuns() []GoTestRun {
	m.mu.Lock()
	if m.goTestsDone {
		defer m.mu.Unlock()
		return m.goTests
	}
	m.mu.Unlock()
	var out []GoTestRun
	m.eachTarget(false, func(target string, made Run) {
		for i, s := range made.Steps {
			if s.Kind != command.GoTest || s.GoTest == nil || s.Dir == "" {
				continue
			}
			run := GoTestRun{Target: target, Dir: s.Dir, Pos: s.Pos, Via: s.Via, Env: s.GoTest.Env, Args: s.GoTest.Args, Before: slices.Clip(made.Steps[:i])}
			for _, p := range s.GoTest.Packages {
				if lit, ok := p.Literal(); ok {
					run.Pkgs = append(run.Pkgs, lit)
				}
			}
			out = append(out, run)
		}
	})
	m.mu.Lock()
	m.goTests, m.goTestsDone = out, true
	m.mu.Unlock()
	return out
}

// Tests reports whether a go test run tests the package in dir.
func (g GoTestRun) Tests(dir string) bool {
	for _, p := range g.Pkgs {
		all := strings.HasSuffix(p, "/...") || p == "..."
		abs := filepath.Join(g.Dir, filepath.FromSlash(strings.TrimSuffix(p, "...")))
		if dir == abs || all && within(abs, dir) {
			return true
		}
	}
	return false
}

// roots are the module root and, when it is another directory, the
// repository root: where Makefiles and scripts are looked for.
func (m *Model) roots() []string {
	if m.RepoRoot != m.ModuleRoot {
		return []string{m.ModuleRoot, m.RepoRoot}
	}
	return []string{m.ModuleRoot}
}

// eachTarget makes every literally named, non-pattern target with a recipe
// of the roots' Makefiles with its defaults, and gives fn what it runs;
// alone leaves its prerequisites out.
func (m *Model) eachTarget(alone bool, fn func(target string, made Run)) {
	for _, root := range m.roots() {
		mk, _, err := m.eval(root, "", nil, nil, nil)
		if err != nil {
			continue
		}
		for _, t := range mk.Targets() {
			if t.Pattern || len(t.Recipe) == 0 || strings.HasPrefix(t.Name, ".") {
				continue
			}
			if _, ok := t.Word.Literal(); !ok {
				continue
			}
			r := m.runner()
			r.alone = alone
			r.target(mk, root, t.Name, nil, nil, Pos{}, map[string]bool{}, nil, !alone)
			fn(t.Name, r.out)
		}
	}
}
