package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// CheckImageMismatch: a flow deploys or loads something other than what it
// built and loaded.
const CheckImageMismatch = "image-mismatch"

var imageMismatch = register(&check{
	name:    CheckImageMismatch,
	trigger: flowTrigger,
	rank:    30,
	run:     runImageMismatch,
})

// runImageMismatch compares, in each flow and through the functions it
// calls, what is built, loaded and deployed: a constant of the same or a
// similarly spelled repository with another tag, or a freshly generated
// tag that never reached a build or load. Values of unknown origin and
// constants unrelated to anything built are not reported.
func runImageMismatch(ix *index) []finding {
	var out []finding
	// One call may deploy an image through several steps (a Create of a
	// literal Deployment is also its container spec): report it once.
	type seenKey struct {
		pos   token.Pos
		image string
	}
	seen := make(map[seenKey]bool)
	report := func(f finding, v value) {
		if k := (seenKey{f.pos, v.str}); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	for _, fl := range ix.flows {
		steps := ix.steps(fl)
		var built, loaded []imageOf
		for i := range steps {
			st := &steps[i]
			for _, v := range st.images {
				switch st.kind {
				case stepBuild:
					built = append(built, imageOf{v, st})
				case stepLoad:
					loaded = append(loaded, imageOf{v, st})
				}
			}
		}
		if len(built)+len(loaded) == 0 {
			// A manifest file cannot name the build's variable: compare
			// it with every image the package builds or loads.
			for i := range steps {
				st := &steps[i]
				if st.kind != stepDeploy || st.deploy.file == "" {
					continue
				}
				for j, v := range st.images {
					if f, ok := ix.mismatch(fl, st, j, v, ix.packageImages(), "deployed"); ok {
						report(f, v)
					}
				}
			}
			// Built and loaded by the make target that runs the tests.
			for i := range steps {
				if st := &steps[i]; st.kind == stepDeploy {
					for j, v := range st.images {
						if f, ok := ix.preludeMismatch(steps, st, j, v); ok {
							report(f, v)
						}
					}
				}
			}
			continue
		}
		for i := range steps {
			st := &steps[i]
			switch st.kind {
			case stepLoad:
				// Loaded, but not what was built.
				for j, v := range st.images {
					if f, ok := ix.mismatch(fl, st, j, v, built, "loaded"); ok {
						report(f, v)
					}
				}
			case stepDeploy:
				for j, v := range st.images {
					if f, ok := ix.mismatch(fl, st, j, v, append(built[:len(built):len(built)], loaded...), "deployed"); ok {
						report(f, v)
					} else if f, ok := ix.generatedNeverBuilt(fl, st, j, v, steps); ok {
						report(f, v)
					}
				}
			}
		}
	}
	return out
}

// mismatch reports a constant image v of step st that shares its
// repository, or a spelling of it, with one of against but none of their
// tags. Against may hold generated or produced images whose arguments name
// the repository.
func (ix *index) mismatch(fl *flow, st *step, j int, v value, against []imageOf, what string) (finding, bool) {
	read := ""
	if s, ok := exactImage(v); ok && v.kind == vExternal {
		// An environment read is the one value its known runs give it.
		read, v = v.str, value{kind: vConst, str: s, site: v.site}
	}
	if v.kind != vConst {
		return ix.partMismatch(fl, st, j, v, against, what)
	}
	ref, ok := candidateImage(v.str)
	if !ok {
		return finding{}, false
	}
	closest, ok := closestImage(st, against, func(b *imageOf, found bool) (same, pick bool) {
		if !found && ix.deploysDefaultOf(st, b.st, b.v) && !(b.v.kind == vConst && b.v.str == v.str) {
			found, pick = true, true
		}
		switch b.v.kind {
		case vConst:
			bref, ok := candidateImage(b.v.str)
			if !ok {
				return false, pick
			}
			if imageref.Same(bref, ref) {
				return true, false
			}
			return false, pick || bref.Path == ref.Path || (!found && imageref.SimilarRepository(bref.Path, ref.Path))
		case vGenerated, vProduced, vUnknown, vExternal, vParam:
			if len(b.v.envValues) > 0 {
				if slices.ContainsFunc(ix.steps(fl), func(d step) bool { return d.kind == stepDeploy && d.at != st.at && containsSame(d.images, b.v) }) {
					return true, false // the run's image is deployed too: an upgrade
				}
				return knownMismatch(b.v.envValues, v.str, ref, found)
			}
			if b.v.repo != "" {
				if r, err := imageref.Parse(b.v.repo); err == nil && !found && (r.Path == ref.Path || imageref.SimilarRepository(r.Path, ref.Path)) && b.st.at.Pos() < st.at.Pos() {
					pick = true
				}
				return false, pick
			}
			if b.v.kind != vGenerated && b.v.kind != vProduced {
				return false, pick
			}
			if !found && ix.siteNamesRepository(b.v.site, ref.Path) && b.st.at.Pos() < st.at.Pos() && !ix.lost(b.v) {
				pick = true
			}
		}
		return false, pick
	})
	if !ok {
		return finding{}, false
	}
	built := builtPhrase(what)
	at, anchor := st.reportAt(ix.info, j)
	f := spanFinding(CheckImageMismatch, at, "%s image %q is not the image %s here (%s)", what, v.str, built, closest.describe(ix))
	f.anchor = anchor
	if st.manifestFile() != "" {
		f.message = fmt.Sprintf("%s deploys %q (%s), not the image %s (%s)", st.where, v.str, st.manifestFile(), built, closest.describe(ix))
		f.relateFile(st, v.str)
	} else if st.exprs[j] == nil && st.via != nil {
		verb := map[string]string{"deployed": "deploys", "loaded": "loads"}[what]
		f.message = fmt.Sprintf("%s %s %q (%s), not the image %s here (%s)", st.via.Name(), verb, v.str, st.viaWhere(), built, closest.describe(ix))
	}
	f.relate(spanOf(closest.st.at), "%s here%s", closest.st.kind, ix.inNode(fl, closest.st.at.Pos()))
	// Where the runs set the variables compared.
	names := []string{read}
	if len(closest.v.envValues) > 0 {
		names = append(names, closest.v.str)
	}
	for _, name := range names {
		if name == "" {
			continue
		}
		for _, at := range ix.testEnvOf(name).sites {
			f.relate(ix.repoLineSpan(at.File, at.Line, false), "%s set here for go test", name)
		}
	}
	// The built image was deployed under the wrong name: that explains why
	// it went undeployed.
	f.subject = subject{st.at.Pos(), v}
	f.explains = buildsAndLoads(ix.steps(fl), closest.v)
	return f, true
}

// knownMismatch judges a constant reference against an environment read
// whose values the package's go test runs are known to give: one value is
// compared whole; of several, only their one repository is known, so a
// reference of that repository may be any of them.
func knownMismatch(known []string, s string, ref imageref.Ref, found bool) (same, pick bool) {
	kref, ok := candidateImage(known[0])
	switch {
	case slices.ContainsFunc(known, func(k string) bool { return sameRef(k, s) }):
		return true, false
	case !ok || found:
		return false, false
	case len(known) > 1 && kref.Domain == ref.Domain && kref.Path == ref.Path:
		return true, false
	}
	return false, kref.Path == ref.Path || imageref.SimilarRepository(kref.Path, ref.Path)
}

// closestImage returns the image of against that v, an image of step st,
// most likely meant: judge says whether b is v itself (then nothing is
// reported) or is to be picked as the closest so far, knowing whether one
// was found already.
func closestImage(st *step, against []imageOf, judge func(b *imageOf, found bool) (same, pick bool)) (*imageOf, bool) {
	var closest *imageOf
	for i := range against {
		b := &against[i]
		// A helper that builds and deploys its own image is consistent
		// with itself, not with what this flow built.
		if b.st == st || (st.via != nil && b.st.at == st.at) {
			continue
		}
		same, pick := judge(b, closest != nil)
		if same {
			return nil, false
		}
		if pick {
			closest = b
		}
	}
	return closest, closest != nil
}

// builtPhrase says what happened to the images a deployed or loaded one
// is compared with.
func builtPhrase(what string) string {
	if what == "loaded" {
		return "built"
	}
	return "built and loaded"
}

// lost reports whether a producer's image is dropped where it is made:
// nothing deployed can be compared with it.
func (ix *index) lost(v value) bool {
	call, ok := v.site.(*ast.CallExpr)
	if v.kind != vProduced || !ok {
		return false
	}
	cs := ix.callSite(call)
	if cs == nil {
		return false
	}
	r, _ := ix.producerResult(v.fn)
	how, _ := ix.discarded(cs.fl, cs, r)
	return how != ""
}

// siteNamesRepository reports whether the call that produced or generated
// a value names repository path in a constant argument: the image name
// BuildAndLoadImageToKind(cfg{ImageName: "datastorage"}) or
// GenerateInfraImageName("datastorage", ...) builds on.
func (ix *index) siteNamesRepository(site ast.Expr, path string) bool {
	call, ok := site.(*ast.CallExpr)
	if !ok {
		return false
	}
	found := false
	for _, arg := range call.Args {
		ast.Inspect(arg, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && !found {
				if s, ok := constString(ix.info, e); ok && s != "" {
					found = s == path || s == lastPathElem(path) || imageref.SimilarRepository(s, path)
				}
			}
			return !found
		})
	}
	return found
}

func lastPathElem(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// generatedNeverBuilt reports a generated value deployed by st that
// reached no build or load and is read nowhere else that could take it to
// one.
func (ix *index) generatedNeverBuilt(fl *flow, st *step, j int, v value, steps []step) (finding, bool) {
	e := st.exprs[j]
	if v.kind != vGenerated || e == nil {
		return finding{}, false
	}
	for _, other := range steps {
		if other.kind == stepDeploy || other.kind == stepSave {
			continue // a re-tag made it exist: retag-after-load says why that is wrong
		}
		for k, w := range other.images {
			if w.same(v) || (other.exprs[k] != nil && ix.containsValue(fl, other.exprs[k], v)) {
				return finding{}, false
			}
		}
		if call, ok := other.at.(*ast.CallExpr); ok && call != v.site {
			for _, arg := range call.Args {
				if ix.containsValue(fl, arg, v) {
					return finding{}, false
				}
			}
		}
	}
	if ix.escapes(v) {
		return finding{}, false // it may reach a build we cannot see
	}
	f := newFinding(CheckImageMismatch, e, "deployed image comes from %s (line %d), which never reached a build or load", v.fn.Name(), ix.line(v.site.Pos()))
	f.relate(spanOf(v.site), "generated here")
	// What was built was not deployed because this was.
	f.subject = subject{st.at.Pos(), v}
	f.explains = buildsAndLoads(steps, value{})
	return f, true
}

// partMismatch reports an image known in part, v, whose run-time part is
// that of an image in against while the constant text around it differs:
// "quay.io/org/app:" + tag deployed where "localhost/app:" + tag was
// built. A re-tag in the flow may give the built image that other name:
// then nothing is reported.
func (ix *index) partMismatch(fl *flow, st *step, j int, v value, against []imageOf, what string) (finding, bool) {
	if v.prefix == "" && v.suffix == "" {
		return finding{}, false
	}
	steps := ix.steps(fl)
	if slices.ContainsFunc(steps, func(s step) bool { return s.kind == stepRetag || s.kind == stepNodeRetag }) {
		return finding{}, false
	}
	closest, _ := closestImage(st, against, func(b *imageOf, found bool) (same, pick bool) {
		if b.v.same(v) {
			return true, false // the same image is built or loaded too
		}
		bare, vb := b.v, v
		bare.prefix, bare.suffix, vb.prefix, vb.suffix = "", "", "", ""
		return false, !found && bare.same(vb) && (b.v.prefix != "" && v.prefix != "" || b.v.suffix != "" && v.suffix != "")
	})
	e := st.exprs[j]
	if closest == nil || e == nil {
		return finding{}, false
	}
	built := builtPhrase(what)
	f := newFinding(CheckImageMismatch, e, "%s image %s is not the image %s here (%s): the same run-time part under other constant text",
		what, ix.describePart(v), built, ix.describePart(closest.v))
	f.relate(spanOf(closest.st.at), "%s here", closest.st.kind)
	f.subject = subject{st.at.Pos(), v}
	f.explains = buildsAndLoads(steps, closest.v)
	return f, true
}

// describePart writes an image known in part: its constant text around
// the name of its run-time part, "quay.io/org/app:<tag>".
func (ix *index) describePart(v value) string {
	name := "run-time value"
	switch {
	case v.kind == vExternal && v.str != "":
		name = v.str
	case v.kind == vParam:
		name = v.param.Name()
	case v.holder != nil:
		name = v.holder.Name()
	}
	return fmt.Sprintf("%q", v.prefix+"<"+name+">"+v.suffix)
}

// preludeMismatch reports a constant image v that a flow building and
// loading nothing deploys, of the repository of the image a Makefile
// target builds or loads before it runs this package's tests under a
// variable it hands go test and the package reads (test-e2e:
// docker-build kind-load, then IMG=$(IMG) go test ./test/e2e): v is none
// of the values that variable is known to have (the Makefile's default,
// a CI workflow's value). Silent when the flow also deploys the
// variable's value.
func (ix *index) preludeMismatch(steps []step, st *step, j int, v value) (finding, bool) {
	rs := ix.repository()
	if v.kind != vConst || rs.model == nil {
		return finding{}, false
	}
	ref, err := imageref.Parse(v.str)
	if err != nil {
		return finding{}, false
	}
	for _, p := range ix.preludes() {
		if p.repo != ref.Domain+"/"+ref.Path || slices.ContainsFunc(p.values, func(k string) bool { return sameRef(k, v.str) }) {
			continue
		}
		read := value{kind: vExternal, str: p.name, site: rs.envReads[p.name]}
		if slices.ContainsFunc(steps, func(d step) bool {
			return d.kind == stepDeploy && slices.ContainsFunc(d.images, func(w value) bool { return sameImage(read, w) })
		}) {
			return finding{}, false // the run's image is deployed too: an upgrade
		}
		msg := fmt.Sprintf("not the image make %s %s before it runs these tests ($(%s): %s)", p.run.Target, p.how, p.name, p.describe())
		f := st.deployFinding(ix.info, CheckImageMismatch, j, msg)
		f.relate(ix.repoLineSpan(p.step.Pos.File, p.step.Pos.Line, false), "%s here (make %s)", strings.ToLower(p.step.Kind.String()), p.run.Target)
		f.relate(ix.repoLineSpan(p.run.Pos.File, p.run.Pos.Line, false), "go test here, with %s", p.name)
		return f, true
	}
	return finding{}, false
}
