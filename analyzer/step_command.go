// The steps of a command line: what each command of it (a build, load,
// re-tag, apply, helm install, make run or script) does to images.

package analyzer

import (
	"go/ast"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
)

// commandSteps adds the image steps of a command line.
func (ix *index) commandSteps(fl *flow, call *ast.CallExpr, argv []command.Word, slots []ast.Expr, add func(step)) {
	valueOf := func(w command.Value) (value, ast.Expr) { return ix.wordValue(fl, w, slots) }
	cmd := &commandInfo{line: renderArgv(argv), argv: argv, slots: slots}
	for _, cs := range command.Parse(argv) {
		st := step{at: call, where: cs.Tool, cmd: cmd}
		images := cs.Images
		kind, archive, simple := commandStepKind(cs.Kind, cs.Paths)
		st.kind, st.deploy = kind, deployFor(kind, deployInfo{})
		if archive != nil {
			st.archive, _ = valueOf(archive)
		}
		switch cs.Kind {
		case command.Apply, command.ApplyKustomize:
			ix.applySteps(fl, call, cs, slots, add)
			continue
		case command.Helm:
			if cs.Helm == nil || !cs.Helm.Installs {
				continue
			}
			chartDir, ok := cs.Helm.Chart.Literal()
			if v, _ := ix.wordValue(fl, cs.Helm.Chart, slots); !ok && v.kind == vConst {
				chartDir = v.str // filepath.Join(root, "charts", "app")
			}
			if !ix.isModuleDir(chartDir) {
				chartDir = "" // a repository chart: not in the module
			}
			ix.helmStep(fl, call, cs.Tool, chartDir, cs.Helm, slots, add)
			continue
		case command.Make:
			if ix.makeRunSteps(fl, call, cs, slots, add) {
				continue
			}
			kind, made, ok := makeStep(cs.Make)
			if !ok {
				continue
			}
			st.kind, st.deploy, images = kind, deployFor(kind, deployInfo{}), made
			st.where = "make " + strings.Join(cs.Make.Targets, " ")
		case command.RunScript:
			ix.scriptRunSteps(fl, call, cs, slots, add)
			continue
		default:
			if !simple {
				continue
			}
		}
		for _, w := range images {
			v, e := valueOf(w)
			st.images = append(st.images, v)
			st.exprs = append(st.exprs, e)
		}
		add(st)
	}
}

// commandStepKind returns the step a command that handles images by
// itself is (a build, load, save, re-tag or set image), with the word
// naming the archive a load reads or a save writes; false for the others,
// which callers follow further (a manifest, a chart, a make run).
func commandStepKind(k command.Kind, paths []command.Value) (kind stepKind, archive command.Value, ok bool) {
	switch k {
	case command.Build:
		return stepBuild, nil, true
	case command.Load, command.Save:
		kind = stepLoad
		if k == command.Save {
			kind = stepSave
		}
		if len(paths) > 0 {
			archive = paths[0]
		}
		return kind, archive, true
	case command.Tag:
		return stepRetag, nil, true
	case command.NodeTag:
		return stepNodeRetag, nil, true
	case command.SetImage:
		return stepDeploy, nil, true
	}
	return 0, nil, false
}

// applySteps adds the deploy steps of kubectl apply and kustomize: the
// manifests of each path, a here-document, or (with -f -) nothing of its
// own: it applies what the flow wrote, whose specs are steps already.
func (ix *index) applySteps(fl *flow, call *ast.CallExpr, cs command.Step, slots []ast.Expr, add func(step)) {
	if cs.Inline != nil {
		text, ok := cs.Inline.Literal()
		if !ok {
			add(opaqueDeploy(call, cs.Tool, "the manifest is written at run time"))
			return
		}
		for _, c := range ix.containers(text, manifest.Plain) {
			if image, ok := c.Image.Literal(); ok {
				add(deployStep(call, cs.Tool, deployInfo{spec: true, pullNever: pullNever(c)}).withImage(value{kind: vConst, str: image}, nil))
			}
		}
		return
	}
	kustomize := cs.Kind == command.ApplyKustomize
	for _, p := range cs.Paths {
		path, ok := p.Literal()
		switch {
		case ok && path == "-":
			continue
		case !ok:
			if v, _ := ix.wordValue(fl, p, slots); v.kind == vParam {
				add(deployStep(call, cs.Tool, deployInfo{pathParam: v.param, kustomize: kustomize}))
				continue
			} else if v.kind == vConst {
				path = v.str
			} else {
				path = ""
			}
		}
		ix.fileSteps(fl, call, cs.Tool, path, kustomize, add)
	}
}

// renderArgv renders a command line for messages, run-time words as "...".
func renderArgv(argv []command.Word) string {
	words := make([]string, 0, len(argv))
	for _, w := range argv {
		if text, ok := w.Literal(); ok {
			words = append(words, text)
		} else {
			words = append(words, "...")
		}
	}
	return strings.Join(words, " ")
}

// makeStep classifies a make invocation by its targets' names, as
// scaffolds write them: "make docker-build IMG=x", "make deploy IMG=x",
// when the repository model cannot follow it into the Makefile
// (makeRunSteps). A deploy
// without an image variable deploys what the Makefile or the environment
// names: an image the step cannot name. "undeploy" tears down.
func makeStep(m *command.MakeArgs) (stepKind, []command.Value, bool) {
	var images []command.Value
	for name, v := range m.Vars {
		if name == "IMG" || name == "IMAGE" || strings.HasSuffix(name, "_IMG") || strings.HasSuffix(name, "_IMAGE") {
			images = []command.Value{v}
			break
		}
	}
	for _, t := range m.Targets {
		switch {
		case strings.Contains(t, "undeploy"):
		case strings.Contains(t, "deploy"):
			return stepDeploy, images, true
		case images == nil:
		case strings.Contains(t, "load"):
			return stepLoad, images, true
		case strings.Contains(t, "build"):
			return stepBuild, images, true
		}
	}
	return 0, nil, false
}

// wordValue resolves a command word naming an image.
func (ix *index) wordValue(fl *flow, w command.Value, slots []ast.Expr) (value, ast.Expr) {
	var text strings.Builder
	var dynamic ast.Expr
	for _, p := range w {
		switch {
		case p.Slot == command.Literal:
			text.WriteString(p.Text)
		case p.Slot >= 0 && p.Slot < len(slots) && dynamic == nil:
			dynamic = slots[p.Slot]
		default:
			return value{}, nil // two run-time parts, or one we cannot name
		}
	}
	if dynamic == nil {
		return value{kind: vConst, str: text.String()}, nil
	}
	if exact, ok := ix.exactString(fl, dynamic, 0); ok {
		// A variable holding a constant: the word is a constant too.
		var full strings.Builder
		for _, p := range w {
			if p.Slot == command.Literal {
				full.WriteString(p.Text)
			} else {
				full.WriteString(exact)
			}
		}
		// It is still read from its variable, which may escape.
		return value{kind: vConst, str: full.String(), holder: ix.resolve(fl, dynamic).holder}, nil
	}
	// A constant prefix or suffix is decoration, as in resolve.
	return ix.resolve(fl, dynamic), dynamic
}
