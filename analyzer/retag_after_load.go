package analyzer

import (
	"go/ast"
)

// CheckRetagAfterLoad: a loaded image is re-tagged ("Phase 3.5"), so the
// suite tests a shared cached image instead of a fresh build.
const CheckRetagAfterLoad = "retag-after-load"

var retagAfterLoad = register(&check{
	name:    CheckRetagAfterLoad,
	trigger: flowTrigger,
	rank:    60,
	run:     runRetagAfterLoad,
})

// runRetagAfterLoad reports re-tagging inside the Kind node (ctr or crictl
// run directly, through "podman exec NODE" or a shell, or by a function
// that does so), and a host re-tag (docker|podman tag) of an image the
// flow already loaded.
func runRetagAfterLoad(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		reported := make(map[ast.Node]bool)
		for i := range steps {
			st := &steps[i]
			if reported[st.at] {
				continue
			}
			switch st.kind {
			case stepNodeRetag:
				f := newFinding(CheckRetagAfterLoad, st.at, "%s re-tags an image inside the Kind node, so the suite tests a shared cached image; generate the tag before the build, then build and load with it", st.doneBy())
				if st.inner != "" {
					f.message += " (at " + st.inner + ")"
				}
				out = append(out, explainLoaded(f, steps[:i], st))
				reported[st.at] = true
			case stepRetag:
				if len(st.images) == 0 || !ix.loadedBefore(steps[:i], st.images[0]) {
					continue
				}
				f := newFinding(CheckRetagAfterLoad, st.at, "%s re-tags an image after it was loaded, so the suite tests the image loaded under the old tag; build and load with the final tag instead", st.doneBy())
				out = append(out, explainLoaded(f, steps[:i], st))
				reported[st.at] = true
			}
		}
	}
	return out
}

// explainLoaded makes f about the re-tag and explain the builds and loads
// of the re-tagged image: it was deployed under its new name.
func explainLoaded(f finding, before []step, retag *step) finding {
	if len(retag.images) == 0 {
		f.subject = subject{retag.at.Pos(), value{}}
		return f
	}
	f.subject = subject{retag.at.Pos(), retag.images[0]}
	for _, st := range before {
		if st.kind != stepBuild && st.kind != stepLoad {
			continue
		}
		for _, v := range st.images {
			if sameImage(v, retag.images[0]) {
				f.explains = append(f.explains, subject{st.at.Pos(), v})
				f.relate(spanOf(st.at), "%s here", map[stepKind]string{stepBuild: "built", stepLoad: "loaded"}[st.kind])
			}
		}
	}
	return f
}

// loadedBefore reports whether v was loaded by one of the steps.
func (ix *index) loadedBefore(steps []step, v value) bool {
	for _, st := range steps {
		if st.kind != stepLoad {
			continue
		}
		for _, w := range st.images {
			if sameImage(v, w) {
				return true
			}
		}
	}
	return false
}
