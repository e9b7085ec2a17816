package analyzer

import (
	"fmt"
	"go/ast"
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/chart"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/repo"
)

// CheckPublishedImage: a flow builds or loads its image, then installs a
// chart of the module that runs its default image of the same repository:
// the published one.
const CheckPublishedImage = "published-image"

var publishedImage = register(&check{
	name:    CheckPublishedImage,
	trigger: flowTrigger,
	rank:    25,
	run:     runPublishedImage,
})

// runPublishedImage reports the published references of the repository's
// own image that a flow deploys while it builds or loads that image
// (chart defaults, manifests, kustomize images: defaults, :latest and
// release tags written in Go), and the hard-coded default of an image a
// followed script or make run builds with variables the environment may
// set.
func runPublishedImage(ix *index) []finding {
	return append(append(runPublishedChart(ix), ix.publishedOwn()...), ix.ignoredVariables()...)
}

// runPublishedChart reports a helm install of a chart of the module that
// sets no image key, in a flow that builds or loads an image whose
// repository (a constant, or constant text before a run-time tag) is the
// repository of a default image the chart's values.yaml names. Silent when
// the default is the very image built, when the flow also deploys the
// built image (an upgrade test installs the release, then the build), and
// when the install passes arguments it cannot read.
func runPublishedChart(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var own []imageOf
		for _, b := range buildsAndLoadsOf(steps) {
			if _, ok := repositoryOf(b.v); ok {
				own = append(own, b)
			}
		}
		if len(own) == 0 {
			continue
		}
		for i := range steps {
			st := &steps[i]
			if st.kind != stepDeploy || st.deploy.helm == nil || st.deploy.helm.chart == nil || len(st.images) > 0 || !st.deploy.transparent {
				continue
			}
			if f, ok := ix.publishedDefault(steps, st, own); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

func (ix *index) publishedDefault(steps []step, st *step, own []imageOf) (finding, bool) {
	for _, d := range st.deploy.helm.chart.DefaultImages() {
		def, err := imageref.Parse(d.Repository)
		if err != nil {
			continue
		}
		for _, b := range own {
			repo, _ := repositoryOf(b.v)
			if !sameRepository(repo, def) || b.v.kind == vConst && d.Tag != "" && sameRef(b.v.str, d.Repository+":"+d.Tag) {
				continue
			}
			if deploysElsewhere(steps, st, b.v) {
				return finding{}, false // an upgrade: the release, then the build
			}
			shown := d.Repository
			if d.Tag != "" {
				shown += ":" + d.Tag
			}
			f := newFinding(CheckPublishedImage, st.at,
				"%s of chart %q runs its default image %q (%s:%d), of the repository this flow %s as %s: the published image runs, not the build; set the chart's %s values to the built image",
				st.where, st.deploy.helm.chartDir, shown, ix.relName(ix.chartFile(d)), d.Line, builtOrLoadedStep(b.st), describeOwn(b.v), strings.Join(d.Key, "."))
			f.relate(spanOf(b.st.at), "%s here", b.st.kind)
			f.subject = subject{st.at.Pos(), b.v}
			f.explains = buildsAndLoads(steps, b.v)
			return f, true
		}
	}
	return finding{}, false
}

// chartFile is the absolute path of a chart file the chart's loader names
// relative to the module root.
func (ix *index) chartFile(d chart.Default) string {
	return filepath.Join(ix.moduleRoot(), filepath.FromSlash(d.File))
}

func builtOrLoadedStep(st *step) string {
	if st.kind == stepLoad {
		return "loaded"
	}
	return "built"
}

// repositoryOf returns the repository v names: a constant reference's, or
// the constant text before a run-time tag.
func repositoryOf(v value) (imageref.Ref, bool) {
	s := v.repo
	if v.kind == vConst {
		s = v.str
	}
	if s == "" {
		return imageref.Ref{}, false
	}
	r, err := imageref.Parse(s)
	return r, err == nil
}

// sameRepository compares the repositories of two references in their
// normal form, tags and digests aside.
func sameRepository(a, b imageref.Ref) bool {
	return a.Domain == b.Domain && a.Path == b.Path
}

// deploysElsewhere reports whether a step of steps other than st deploys v.
func deploysElsewhere(steps []step, st *step, v value) bool {
	for i := range steps {
		if other := &steps[i]; other != st && other.kind == stepDeploy {
			for _, w := range other.images {
				if sameImage(v, w) || w.kind != vConst && !w.known() {
					return true
				}
			}
			if other.deploy.helm != nil && other.deploy.helm.chartDir == st.deploy.helm.chartDir && len(other.images) > 0 {
				return true
			}
		}
	}
	return false
}

func describeOwn(v value) string {
	if v.kind == vConst {
		return fmt.Sprintf("%q", v.str)
	}
	return fmt.Sprintf("%q", v.repo+":<run-time tag>")
}

// publishedOwn reports a constant image of the repository's own image
// (repo.Model.IsOwn) that a flow deploys from a manifest or kustomization
// file, or with a published tag written in Go, while it builds or loads
// that image under a variable the repository model names it by: IMG read
// from the environment (as the Makefile's IMG ?= ... lets it be set) or
// passed as make docker-build IMG=$img. Builds under constant names are
// image-mismatch's. Silent when another deploy of the flow deploys the
// build (an upgrade test) or cannot be named.
func (ix *index) publishedOwn() []finding {
	m := ix.repository().model
	if m == nil {
		return nil
	}
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var runs []ownRun
		for _, b := range buildsAndLoadsOf(steps) {
			if o, name, ok := ix.ownVariableOf(b.st, b.v); ok {
				runs = append(runs, ownRun{b, o, name})
			}
		}
		if len(runs) == 0 {
			continue
		}
		for i := range steps {
			st := &steps[i]
			if st.kind != stepDeploy {
				continue
			}
			for j, v := range st.images {
				if f, ok := ix.publishedRef(steps, st, j, v, runs); ok {
					out = append(out, f)
					break
				}
			}
		}
	}
	return out
}

// ownRun is a build or load of the repository's own image under its
// variable name.
type ownRun struct {
	imageOf
	own  repo.OwnImage
	name string
}

// ownVariableOf returns the own image a build or load's run-time value v
// is, by the variable that holds the whole reference: an environment read
// of that name, or a followed make run's variable set to v.
func (ix *index) ownVariableOf(st *step, v value) (repo.OwnImage, string, bool) {
	if v.kind == vConst || v.repo != "" || v.prefix != "" || v.suffix != "" || !v.known() {
		return repo.OwnImage{}, "", false
	}
	var names []string
	if call, ok := v.site.(*ast.CallExpr); ok && v.kind == vExternal && v.str != "" && ix.isOSEnvRead(call) {
		names = append(names, v.str)
	}
	for _, n := range st.repoVars() {
		if !strings.HasPrefix(n, "=") {
			names = append(names, n)
		}
	}
	for _, n := range names {
		if o, ok := ix.ownVariable(n); ok {
			return o, n, true
		}
	}
	return repo.OwnImage{}, "", false
}

func (ix *index) publishedRef(steps []step, st *step, j int, v value, runs []ownRun) (finding, bool) {
	m := ix.repository().model
	if v.kind != vConst || !m.IsOwn(v.str) {
		return finding{}, false
	}
	ref, err := imageref.Parse(v.str)
	if err != nil || st.manifestFile() == "" && !publishedTag(ref.Tag) {
		return finding{}, false
	}
	for _, r := range runs {
		if r.own.Repository != ref.Domain+"/"+ref.Path || deploysRun(steps, st, r.v) {
			continue
		}
		const tail = "a published reference of the repository's own image %s (built at %s), while this flow %s it as %s: the published image runs, not the build; deploy %s"
		own := ix.repoName(r.own.Pos.File, r.own.Pos.Line)
		how := builtOrLoaded(steps, r.v)
		f := st.deployFinding(ix.info, CheckPublishedImage, j, fmt.Sprintf(tail, r.own.Repository, own, how, r.name, r.name))
		ix.relateStep(&f, r.st)
		f.subject = subject{st.at.Pos(), v}
		f.explains = buildsAndLoads(steps, r.v)
		return f, true
	}
	return finding{}, false
}

// publishedTag reports whether a tag names a published build: none (the
// registry's latest), latest, a branch's moving tag, or a release
// version.
func publishedTag(tag string) bool {
	switch tag {
	case "", "latest", "main", "master", "stable", "edge", "nightly":
		return true
	}
	t := strings.TrimPrefix(tag, "v")
	dot := strings.IndexByte(t, '.')
	return dot > 0 && strings.Trim(t[:dot], "0123456789") == "" && t[dot+1:] != "" && strings.Trim(t[dot+1:dot+2], "0123456789") == ""
}

// deploysRun reports whether a deploy of steps other than st deploys v,
// or images it cannot name: an upgrade test deploys the release, then the
// build.
func deploysRun(steps []step, st *step, v value) bool {
	for i := range steps {
		if other := &steps[i]; other != st && other.kind == stepDeploy {
			if other.opaque() || slices.ContainsFunc(other.images, func(w value) bool { return sameImage(v, w) }) {
				return true
			}
		}
	}
	return false
}

// ignoredVariables reports a constant image a flow deploys that is the
// image a followed script or make run builds or loads only while the
// variables it takes at their defaults are unset (${HUB:-ghcr.io/x},
// IMG ?= ...): the environment that changes the build leaves the deploy
// as written. A deploy through the same variables is consistent.
func (ix *index) ignoredVariables() []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		for i := range steps {
			st := &steps[i]
			if st.kind != stepDeploy || len(st.repoVars()) > 0 {
				continue
			}
			for j := range st.images {
				if f, ok := ix.ignoredVariable(steps, st, j); ok {
					out = append(out, f)
					break
				}
			}
		}
	}
	return out
}

func (ix *index) ignoredVariable(steps []step, st *step, j int) (finding, bool) {
	v := st.images[j]
	if v.kind != vConst {
		return finding{}, false
	}
	for i := range steps {
		b := &steps[i]
		if b.kind != stepBuild && b.kind != stepLoad {
			continue
		}
		var defaults []string
		for _, n := range b.repoVars() {
			if name, ok := strings.CutPrefix(n, "="); ok {
				defaults = append(defaults, name)
			}
		}
		if len(defaults) == 0 || !slices.ContainsFunc(b.images, func(w value) bool { return sameImage(v, w) }) {
			continue
		}
		vars := joinNames(defaults)
		const tail = "the image %s %s only while %s unset: the environment changes the build, not this deploy; read %s as the run does"
		are := "is"
		if len(defaults) > 1 {
			are = "are"
		}
		how := builtOrLoaded(steps, v)
		f := st.deployFinding(ix.info, CheckPublishedImage, j, fmt.Sprintf(tail, b.inner, how, vars+" "+are, vars))
		ix.relateStep(&f, b)
		return f, true
	}
	return finding{}, false
}

// joinNames writes names as "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// relateStep relates a build or load to f: its Go call, and the line of
// the recipe or script that does it when it was followed there.
func (ix *index) relateStep(f *finding, st *step) {
	f.relate(spanOf(st.at), "%s here", st.kind)
	if line, ok := st.repoLine(); ok {
		f.relate(ix.repoLineSpan(line.File, line.Line, false), "%s here (%s)", st.kind, st.where)
	}
}
