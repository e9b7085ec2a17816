package analyzer

// CheckHardcodedImage: a locally built image written as a constant where a
// container is deployed.
const CheckHardcodedImage = "hardcoded-image"

var hardcodedImage = register(&check{
	name:    CheckHardcodedImage,
	trigger: flowTrigger,
	rank:    20,
	run:     runHardcodedImage,
})

// runHardcodedImage reports constants of locally built images in container
// specs and manifests, and literals passed to a parameter a summary says is
// written into one. A constant read from the very holder a build or load
// used is that build's image and is not reported; third-party images are
// never reported.
func runHardcodedImage(ix *index) []finding {
	var out []finding
	_, holdersBuilt := ix.built()
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		for _, st := range steps {
			if st.kind != stepDeploy || !st.deploy.spec {
				continue
			}
			for i, v := range st.images {
				// The holder a build used, or the image this flow builds:
				// consistent, if written twice.
				if v.kind != vConst || (v.holder != nil && holdersBuilt[v.holder]) || builtInFlow(steps, v) {
					continue
				}
				if _, _, local := ix.localImage(v.str, st.deploy.pullNever); !local {
					continue
				}
				e := st.exprs[i]
				switch {
				case st.deploy.file != "":
					// A file cannot name a Go variable: the constant of an
					// image the package builds or loads is that image.
					if ix.packageBuilds(v) {
						continue
					}
					verb := "applied"
					if st.deploy.read {
						verb = "read"
					}
					f := newFinding(CheckHardcodedImage, st.at, "hardcoded image %q in %s, %s by %s; deploy the reference your build step returns", v.str, st.deploy.file, verb, st.where)
					f.relateFile(&st, v.str)
					f.subject = subject{st.at.Pos(), v}
					out = append(out, f)
				case st.via != nil:
					// A literal handed to a function that writes it into a spec.
					if e == nil || !isStringConst(ix.info, e) {
						continue
					}
					f := newFinding(CheckHardcodedImage, e, "hardcoded image %q deployed by %s; deploy the reference your build step returns", v.str, st.via.Name())
					f.subject = subject{st.at.Pos(), v}
					out = append(out, f)
				case e != nil:
					f := newFinding(CheckHardcodedImage, e, "hardcoded image %q in %s; deploy the reference your build step returns", v.str, st.where)
					f.fixes = ix.useParamFix(fl, e)
					f.subject = subject{st.at.Pos(), v}
					out = append(out, f)
				default:
					// A directive cannot sit inside the string: one above it counts.
					at, anchor := st.reportAt(ix.info, i)
					f := spanFinding(CheckHardcodedImage, at, "hardcoded image %q in %s; deploy the reference your build step returns", v.str, st.where)
					f.anchor = anchor
					f.subject = subject{st.at.Pos(), v}
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// packageBuilds reports whether some step of the package builds or loads
// the image v.
func (ix *index) packageBuilds(v value) bool {
	for _, b := range ix.packageImages() {
		if sameImage(b.v, v) {
			return true
		}
	}
	return false
}

// builtInFlow reports whether one of steps builds or loads v.
func builtInFlow(steps []step, v value) bool {
	for _, st := range steps {
		if st.kind == stepBuild || st.kind == stepLoad {
			for _, w := range st.images {
				if sameImage(v, w) {
					return true
				}
			}
		}
	}
	return false
}
