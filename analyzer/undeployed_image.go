package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// CheckUndeployedImage: a flow builds or loads an image and deploys
// something, but never that image.
const CheckUndeployedImage = "undeployed-image"

var undeployedImage = register(&check{
	name:    CheckUndeployedImage,
	trigger: flowTrigger,
	rank:    10,
	run:     runUndeployedImage,
})

// runUndeployedImage reports an image a flow builds or loads that reaches
// none of the flow's deploy steps, directly or through the functions it
// calls, while the flow does deploy. It is silent when the image escapes
// the flow (returned, stored, a parameter or package variable, passed to a
// function imagetaglint cannot see), when the flow deploys only releases
// published elsewhere (a manifest URL, a repository chart), when a deploy step's images cannot be
// named (a manifest file it cannot read, make deploy without IMG), for a
// constant image that any deploy step of the package deploys, and for a
// public image only loaded (a preload, not the project's image).
func runUndeployedImage(ix *index) []finding {
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var deploys []*step
		for i := range steps {
			// A release published elsewhere may be another project's
			// (cert-manager): it does not tell where the flow's images go.
			if st := &steps[i]; st.kind == stepDeploy && !st.deploy.remote {
				deploys = append(deploys, st)
			}
		}
		deploys = ix.suiteDeploys(fl, deploys)
		if len(deploys) == 0 {
			continue
		}
		var seen []value
		for i := range steps {
			st := &steps[i]
			if (st.kind != stepBuild && st.kind != stepLoad) || ix.setupElsewhere(fl, i) {
				continue
			}
			for _, v := range st.images {
				if !ix.nameable(v) || containsSame(seen, v) {
					continue
				}
				seen = append(seen, v)
				// Re-tagged on the host, the image goes on under its new
				// names: deploying any of them deploys it.
				if slices.ContainsFunc(hostNames(steps, v), func(n value) bool {
					return ix.deployedIn(fl, deploys, n) || (ix.escapes(n) && !ix.heldBySuite(fl, n)) || (n.kind == vConst && ix.constDeployed(n)) || ix.maybeDeployed(deploys, n)
				}) {
					continue
				}
				if v.kind == vConst && builtOrLoaded(steps, v) == "loaded" {
					if _, _, local := ix.localImage(v.str, false); !local {
						continue // a public image preloaded for later: not the project's
					}
				}
				// Reported where it enters the cluster: its last load, or
				// its build when it is never loaded.
				at := lastStepOf(steps, v)
				named := namedDeploys(deploys)
				f := newFinding(CheckUndeployedImage, at.at, "%s is %s here but never deployed, while this %s deploys %s; deploy the image you built",
					ix.describeValue(v), builtOrLoaded(steps, v), flowNoun(fl), ix.describeDeploy(named[0]))
				for _, d := range named {
					f.relate(d.span(), "deploys %s", ix.describeDeploy(d))
				}
				f.subject = subject{at.at.Pos(), v}
				out = append(out, f)
			}
		}
	}
	return out
}

// nameable reports whether v is one value the flow can be held to: a
// known origin, or a variable assigned once from an expression (not a
// range variable, nor one written through a pointer).
func (ix *index) nameable(v value) bool {
	if v.kind != vUnknown {
		return true
	}
	h, ok := v.holder.(*types.Var)
	if !ok {
		return false
	}
	srcs := ix.defs[h]
	return len(srcs) == 1 && srcs[0].rhs != nil && srcs[0].index < 0
}

// namedDeploys returns the deploys whose images are named, or all of them
// when none is: what messages should show.
func namedDeploys(deploys []*step) []*step {
	var named []*step
	for _, d := range deploys {
		if !d.opaque() {
			named = append(named, d)
		}
	}
	if len(named) == 0 {
		return deploys
	}
	return named
}

// maybeDeployed reports whether a deploy step whose images cannot be named
// could deploy v: one of the flow's own, or a called function's that is
// handed v (or a value built from it), or that can read v as a package
// variable. A function that deploys what v never reaches cannot deploy v.
func (ix *index) maybeDeployed(deploys []*step, v value) bool {
	for _, d := range deploys {
		if !d.opaque() {
			continue
		}
		call, ok := d.at.(*ast.CallExpr)
		if d.via == nil || !ok || len(d.images) > 0 {
			return true
		}
		if h, ok := v.holder.(*types.Var); ok && isPackageLevel(h) {
			return true
		}
		for _, arg := range call.Args {
			if v.holder != nil && ix.mentionsThrough(arg, v.holder, 2) {
				return true
			}
			if site, ok := v.site.(*ast.CallExpr); ok && containsNode(arg, site) {
				return true
			}
		}
	}
	return false
}

// lastStepOf returns the last load of v among steps, or its first build.
func lastStepOf(steps []step, v value) *step {
	var build, load *step
	for i := range steps {
		st := &steps[i]
		for _, w := range st.images {
			if !sameImage(v, w) {
				continue
			}
			switch {
			case st.kind == stepLoad:
				load = st
			case st.kind == stepBuild && build == nil:
				build = st
			}
		}
	}
	if load != nil {
		return load
	}
	return build
}

// describeDeploy names what a deploy step deploys, for messages.
func (ix *index) describeDeploy(st *step) string {
	if len(st.images) == 0 {
		return "with " + st.where
	}
	return ix.describeValue(st.images[0])
}

// deployedIn reports whether one of deploys deploys v, or a value computed
// from it.
func (ix *index) deployedIn(fl *flow, deploys []*step, v value) bool {
	for _, d := range deploys {
		if chartDefault(d, v) {
			return true
		}
		for i, w := range d.images {
			if sameImage(v, w) {
				return true
			}
			if e := d.exprs[i]; e != nil && ix.containsValue(fl, e, v) {
				return true
			}
		}
	}
	return false
}

// constDeployed reports whether any deploy step of the package deploys the
// constant image v.
func (ix *index) constDeployed(v value) bool {
	for _, fl := range ix.flows {
		for _, st := range ix.steps(fl) {
			if st.kind != stepDeploy {
				continue
			}
			for _, w := range st.images {
				if sameImage(v, w) {
					return true
				}
			}
		}
	}
	return false
}

// chartDefault reports whether d installs a chart of the module, setting
// no image, whose values.yaml names the constant image v as a default.
func chartDefault(d *step, v value) bool {
	if v.kind != vConst || d.deploy.helm == nil || d.deploy.helm.chart == nil || len(d.images) > 0 || !d.deploy.transparent {
		return false
	}
	for _, def := range d.deploy.helm.chart.DefaultImages() {
		ref := def.Repository
		if def.Tag != "" {
			ref += ":" + def.Tag
		}
		if a, b := parsedRef(ref), parsedRef(v.str); a.err == nil && b.err == nil && imageref.Same(a.ref, b.ref) {
			return true
		}
	}
	return false
}
