package analyzer

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/chart"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
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

// runPublishedImage reports a helm install of a chart of the module that
// sets no image key, in a flow that builds or loads an image whose
// repository (a constant, or constant text before a run-time tag) is the
// repository of a default image the chart's values.yaml names. Silent when
// the default is the very image built, when the flow also deploys the
// built image (an upgrade test installs the release, then the build), and
// when the install passes arguments it cannot read.
func runPublishedImage(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var own []imageOf
		for i := range steps {
			if st := &steps[i]; st.kind == stepBuild || st.kind == stepLoad {
				for _, v := range st.images {
					if _, ok := repositoryOf(v); ok {
						own = append(own, imageOf{v, st})
					}
				}
			}
		}
		if len(own) == 0 {
			continue
		}
		for i := range steps {
			st := &steps[i]
			if st.kind != stepDeploy || st.helm == nil || st.helm.chart == nil || len(st.images) > 0 || !st.transparent {
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
	for _, d := range st.helm.chart.DefaultImages() {
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
				st.where, st.helm.chartDir, shown, ix.relName(ix.chartFile(d)), d.Line, builtOrLoadedStep(b.st), describeOwn(b.v), strings.Join(d.Key, "."))
			f.relate(spanOf(b.st.at), "%s here", b.st.kind)
			f.covers = coverUndeployed(steps, b.v)
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

func sameRef(a, b string) bool {
	pa, pb := parsedRef(a), parsedRef(b)
	return pa.err == nil && pb.err == nil && imageref.Same(pa.ref, pb.ref)
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
			if other.helm != nil && other.helm.chartDir == st.helm.chartDir && len(other.images) > 0 {
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
