package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
)

// CheckUnloadedImage: a local image built on the host is deployed to a
// cluster that does not see the host's images, and nothing loads or
// pushes it.
const CheckUnloadedImage = "unloaded-image"

var unloadedImage = register(&check{
	name:    CheckUnloadedImage,
	trigger: flowTrigger,
	rank:    35,
	run:     runUnloadedImage,
})

// runUnloadedImage reports the deploy of an image the same flow builds
// when no step of the flow loads it, the image can only exist on the host
// (a local image, or one on a domain reserved for examples: no registry
// serves it as written), and the package
// shows that its cluster does not see the host's images: it loads images
// into it, or uses a loader of its module. It is silent when the package
// pushes anything (a push, make docker-push or docker-buildx, a function
// named for pushing), for images with a registry port (a local registry
// something else pushes to), and when any flow of the package loads,
// saves or re-tags the image.
func runUnloadedImage(ix *index) []finding {
	kind, ok := ix.loadsIntoCluster()
	if !ok || ix.pushesImages() {
		return nil
	}
	// A load anywhere in the package may come after the deploy, in a
	// caller: the pod starts once the image arrives.
	var loaded []step
	for _, fl := range ix.flows {
		for _, st := range ix.steps(fl) {
			if st.kind == stepBuild || st.kind == stepDeploy {
				continue
			}
			// An archive or a value it cannot name may hold any image.
			if st.kind == stepLoad && (len(st.images) == 0 || slices.ContainsFunc(st.images, func(v value) bool { return !v.known() })) {
				return nil
			}
			loaded = append(loaded, st)
		}
	}
	var out []finding
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var seen []value
		for i := range steps {
			build := &steps[i]
			if build.kind != stepBuild {
				continue
			}
			for _, v := range build.images {
				str, known := exactImage(v)
				if !known || containsSame(seen, v) {
					continue
				}
				seen = append(seen, v)
				d := firstDeployOf(steps[i+1:], v)
				// Both inside one called function: reported in its own
				// flow, or its own package.
				if d == nil || d.at == build.at && build.via != nil || handled(loaded, v) {
					continue
				}
				// Only an image no registry serves as written; being
				// built here does not make a public repository local.
				ref, ok := candidateImage(str)
				if !ok || strings.Contains(ref.Domain, ":") {
					continue
				}
				if _, local := ix.s.locality.Local(ref, d.deploy.pullNever); !local && !imageref.Reserved(ref.Domain) {
					continue
				}
				f := newFinding(CheckUnloadedImage, d.at,
					"%s is built on the host and deployed by %s, but nothing loads it into the cluster (%s) nor pushes it: its pods fail with ErrImagePull, or ErrImageNeverPull under imagePullPolicy: Never; load it after the build",
					ix.describeValue(v), d.viaWhere(), kind.what)
				f.relate(spanOf(build.at), "built here by %s", build.viaWhere())
				if read, ok := build.at.(*ast.CallExpr); ok && build.trace != nil && ix.isOSEnvRead(read) {
					// Built by the recipe that runs the suite (preludeSteps).
					f.relate(ix.repoLineSpan(build.trace.pos.File, build.trace.pos.Line, false), "built here (%s)", build.where)
				}
				f.relate(kind.at, "loads an image into the cluster here")
				f.subject = subject{d.at.Pos(), v}
				out = append(out, f)
			}
		}
	}
	return out
}

// handled reports whether one of steps handles v.
func handled(steps []step, v value) bool {
	for _, st := range steps {
		for _, w := range st.images {
			if sameImage(v, w) {
				return true
			}
		}
	}
	return false
}

// firstDeployOf returns the first step among steps that deploys v.
func firstDeployOf(steps []step, v value) *step {
	for i := range steps {
		if st := &steps[i]; st.kind == stepDeploy {
			for _, w := range st.images {
				if sameImage(v, w) {
					return st
				}
			}
		}
	}
	return nil
}

// clusterEvidence is why the package's cluster does not see the host's
// images.
type clusterEvidence struct {
	what string
	at   span // the first load, when in this package
}

// loadsIntoCluster reports whether the package loads images into its
// cluster, or imports a function of its own module that does: a cluster
// images are loaded into (Kind, minikube's image load) does not run what
// the host built.
func (ix *index) loadsIntoCluster() (clusterEvidence, bool) {
	// The first load in source order names the evidence, whatever the
	// order of the flows.
	var first *step
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		for i := range steps {
			if st := &steps[i]; st.kind == stepLoad && (first == nil || ix.sourceBefore(st.at.Pos(), first.at.Pos())) {
				first = st
			}
		}
	}
	if first != nil {
		return clusterEvidence{"this package loads images into it", spanOf(first.at)}, true
	}
	mod := ix.pass.Module
	if mod == nil {
		return clusterEvidence{}, false
	}
	for _, imp := range ix.pass.Pkg.Imports() {
		if imp.Path() != mod.Path && !strings.HasPrefix(imp.Path(), mod.Path+"/") {
			continue
		}
		scope := imp.Scope()
		for _, name := range scope.Names() {
			fn, ok := scope.Lookup(name).(*types.Func)
			if !ok || !fn.Exported() {
				continue
			}
			if s := ix.summary(fn); s != nil && loadsParam(s) {
				return clusterEvidence{"its module loads images into it with " + imp.Name() + "." + fn.Name(), span{}}, true
			}
		}
	}
	return clusterEvidence{}, false
}

func loadsParam(s *summary) bool {
	for _, e := range s.Params {
		if e&effLoad != 0 {
			return true
		}
	}
	for _, f := range s.Fields {
		if f.Effect&effLoad != 0 {
			return true
		}
	}
	return false
}

// pushesImages reports whether anything in the package may push an image
// to a registry: a push command, make docker-push or docker-buildx, a
// library push, or a call of a function whose name says it pushes.
// Pushes are not followed as steps, so any of them silences the check.
func (ix *index) pushesImages() bool {
	for _, fl := range ix.flows {
		for i := range fl.calls {
			call := fl.calls[i].call
			fn := ix.callee(fl, call)
			if fn == nil {
				continue
			}
			if strings.Contains(strings.ToLower(fn.Name()), "push") {
				return true
			}
			if api, ok := ix.api(call); ok && api.Effect == knowledge.Push {
				return true
			}
			argv, _, ok := ix.argvOf(fl, call, fn)
			if !ok {
				continue
			}
			for _, cs := range command.Parse(argv) {
				switch cs.Kind {
				case command.Push:
					return true
				case command.Make:
					for _, t := range cs.Make.Targets {
						if strings.Contains(t, "push") || strings.Contains(t, "buildx") || strings.Contains(t, "publish") {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// sourceBefore orders positions by file name, then offset: the order of
// files in the file set is the loader's, which may differ between runs.
func (ix *index) sourceBefore(a, b token.Pos) bool {
	pa, pb := ix.pass.Fset.Position(a), ix.pass.Fset.Position(b)
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	return pa.Offset < pb.Offset
}
