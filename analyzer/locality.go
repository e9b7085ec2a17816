package analyzer

import (
	"go/types"
	"sync"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// candidateImage reports whether a constant looks like an image reference
// rather than a name, namespace or path.
func candidateImage(s string) (imageref.Ref, bool) {
	r := parsedRef(s)
	return r.ref, r.candidate
}

// parsedRef parses s once per process: the same constants are compared
// over and over.
func parsedRef(s string) parsed {
	if p, ok := parsedRefs.Load(s); ok {
		return p.(parsed)
	}
	var p parsed
	p.ref, p.err = imageref.Parse(s)
	p.candidate = p.err == nil && p.ref.Candidate()
	parsedRefs.Store(s, p)
	return p
}

type parsed struct {
	ref       imageref.Ref
	err       error
	candidate bool
}

var parsedRefs sync.Map // string -> parsed

// built returns what the package builds: the repositories of constant
// references it builds, and the holders (variables, constants) of the
// values it builds or loads. A constant deployed from the same holder the
// build used is that build's image, not a hardcoded one. Loading alone
// does not make a repository local: public images are preloaded too.
func (ix *index) built() (repos map[string]bool, holders map[types.Object]bool) {
	if ix.builtRepos != nil {
		return ix.builtRepos, ix.holdersBuilt
	}
	ix.builtRepos, ix.holdersBuilt = make(map[string]bool), make(map[types.Object]bool)
	for _, fl := range ix.flows {
		for _, st := range ix.steps(fl) {
			if st.kind != stepBuild && st.kind != stepLoad {
				continue
			}
			for _, v := range st.images {
				if v.holder != nil {
					ix.holdersBuilt[v.holder] = true
				}
				if v.kind == vConst && st.kind == stepBuild {
					if ref, ok := candidateImage(v.str); ok {
						ix.builtRepos[ref.Path] = true
					}
				}
			}
		}
	}
	return ix.builtRepos, ix.holdersBuilt
}

// localImage reports whether the constant image s is built locally rather
// than pulled, and why: a local registry, a container that never pulls
// from a private host, an unqualified name that is no official image and
// that something local makes, or a repository this package builds.
func (ix *index) localImage(s string, pullNever bool) (imageref.Ref, string, bool) {
	ref, ok := candidateImage(s)
	if !ok {
		return ref, "", false
	}
	// Nobody serves an unqualified unofficial name, but that alone does not
	// make it this run's image: a suite may deploy a missing image on
	// purpose (a rollout to a broken image). It is local when a build,
	// load or re-tag of the package, or a build of the repository, makes
	// its repository.
	if reason, ok := ix.s.locality.Local(ref, pullNever); ok && (reason != imageref.NotOfficial || ix.madeHere(ref)) {
		return ref, reason.String(), true
	}
	if repos, _ := ix.built(); repos[ref.Path] {
		return ref, "built in this package", true
	}
	return ref, "", false
}

// madeHere reports whether a build, load or re-tag step of the package
// names the repository of ref under any tag, or the repository's
// Makefiles, scripts or workflows build it.
func (ix *index) madeHere(ref imageref.Ref) bool {
	if ix.madeRepos == nil {
		ix.madeRepos = map[string]bool{}
		for _, fl := range ix.flows {
			for _, st := range ix.steps(fl) {
				if st.kind != stepBuild && st.kind != stepLoad && !st.kind.retag() {
					continue
				}
				for _, v := range st.images {
					repo := v.repo
					if v.kind == vConst {
						repo = v.str
					}
					// A step names an image, with or without a tag.
					if p := parsedRef(repo); repo != "" && p.err == nil {
						ix.madeRepos[p.ref.Domain+"/"+p.ref.Path] = true
					}
				}
			}
		}
	}
	if ix.madeRepos[ref.Domain+"/"+ref.Path] {
		return true
	}
	m := ix.repository().model
	return m != nil && m.IsOwn(ref.Raw)
}
