package analyzer

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
)

// argvWord is one word of a command line run through os/exec, or any
// argument that may name an image: a run-time expression, or (expr nil) a
// constant word.
type argvWord struct {
	word string
	expr ast.Expr
}

// wordOrigin resolves w in fl.
func (c *checker) wordOrigin(fl *flow, w argvWord) origin {
	if w.expr == nil {
		return origin{kind: originConst, value: w.word}
	}
	return c.resolve(fl, w.expr)
}

func exprWords(exprs []ast.Expr) []argvWord {
	words := make([]argvWord, len(exprs))
	for i, e := range exprs {
		words[i] = argvWord{expr: e}
	}
	return words
}

// execArgv returns the command line of an exec.Command or exec.CommandContext
// call. Constant arguments holding a shell command ("sh", "-c", "ctr ...")
// are split into words.
func (c *checker) execArgv(fl *flow, call *ast.CallExpr) ([]argvWord, bool) {
	fn := c.callee(fl, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "os/exec" || recvTypeName(fn) != "" {
		return nil, false
	}
	args := call.Args
	switch fn.Name() {
	case "Command":
	case "CommandContext":
		if len(args) == 0 {
			return nil, false
		}
		args = args[1:]
	default:
		return nil, false
	}
	var argv []argvWord
	for i, arg := range args {
		if call.Ellipsis.IsValid() && i == len(args)-1 {
			argv = append(argv, argvWord{expr: arg})
			break
		}
		if s, ok := constString(c.pass.TypesInfo, arg); ok {
			for _, w := range strings.Fields(s) {
				argv = append(argv, argvWord{word: w})
			}
			continue
		}
		argv = append(argv, argvWord{expr: arg})
	}
	return argv, len(argv) > 0
}

func wordIndex(argv []argvWord, words ...string) int {
	return slices.IndexFunc(argv, func(w argvWord) bool { return slices.Contains(words, w.word) })
}

var containerCLIs = []string{"podman", "docker", "nerdctl", "buildah"}

// imageStep is a call that builds, loads or re-tags an image, or a producer
// call, with the expressions naming the images it handles.
type imageStep struct {
	call   *ast.CallExpr
	kind   stepKind
	images []argvWord
}

type stepKind int

const (
	stepBuild stepKind = iota
	stepLoad
	stepProduce
	stepRetag
)

// imageSteps lists the build, load, produce and re-tag steps of fl in source
// order. For build and load functions every argument may name the image; for
// command lines only the image words do.
func (c *checker) imageSteps(fl *flow) []imageStep {
	if fl.steps != nil {
		return *fl.steps
	}
	var steps []imageStep
	for _, cs := range fl.calls {
		call := cs.call
		if argv, ok := c.execArgv(fl, call); ok {
			if step, ok := execImageStep(argv); ok {
				step.call = call
				steps = append(steps, step)
			}
			continue
		}
		fn := c.callee(fl, call)
		if fn == nil {
			continue
		}
		step := imageStep{call: call, images: exprWords(call.Args)}
		switch {
		case c.isRetagHelper(fn):
			step.kind = stepRetag
		case c.isProducer(fn):
			step.kind = stepProduce
		case c.s.build.MatchString(fn.Name()):
			step.kind = stepBuild
		case c.s.load.MatchString(fn.Name()):
			step.kind = stepLoad
		default:
			continue
		}
		steps = append(steps, step)
	}
	fl.steps = &steps
	return steps
}

func (c *checker) isProducer(fn *types.Func) bool {
	_, ok := c.producerResult(fn)
	return ok
}

// execImageStep recognises "podman build -t IMAGE", "kind load docker-image
// IMAGE" and "podman tag SRC DST" command lines.
func execImageStep(argv []argvWord) (imageStep, bool) {
	tool := argv[0].word
	switch {
	case slices.Contains(containerCLIs, tool) && len(argv) > 1:
		switch argv[1].word {
		case "build", "buildx":
			if i := wordIndex(argv, "-t", "--tag"); i >= 0 && i+1 < len(argv) {
				return imageStep{kind: stepBuild, images: []argvWord{argv[i+1]}}, true
			}
		case "tag":
			if len(argv) >= 4 {
				return imageStep{kind: stepRetag, images: argv[2:4]}, true
			}
		}
	case tool == "kind" && len(argv) > 2 && argv[1].word == "load" && argv[2].word == "image-archive":
		return imageStep{kind: stepLoad}, true // the archive names its images
	case tool == "kind" && len(argv) > 3 && argv[1].word == "load" && argv[2].word == "docker-image":
		var images []argvWord
		for _, w := range argv[3:] {
			if strings.HasPrefix(w.word, "-") {
				break
			}
			images = append(images, w)
		}
		return imageStep{kind: stepLoad, images: images}, true
	}
	return imageStep{}, false
}

// nodeRetags returns the calls of fl that re-tag an image inside the Kind
// node: ctr or crictl "tag" run through exec (directly or via
// "podman exec NODE ..."), or a helper known to do so.
func (c *checker) nodeRetags(fl *flow) []*ast.CallExpr {
	var calls []*ast.CallExpr
	for _, cs := range fl.calls {
		if argv, ok := c.execArgv(fl, cs.call); ok {
			if isNodeRetag(argv) {
				calls = append(calls, cs.call)
			}
		} else if fn := c.callee(fl, cs.call); fn != nil && c.isRetagHelper(fn) {
			calls = append(calls, cs.call)
		}
	}
	return calls
}

func isNodeRetag(argv []argvWord) bool {
	i := wordIndex(argv, "ctr", "crictl")
	return i >= 0 && wordIndex(argv[i:], "tag") >= 0
}

// isDeployCall reports whether call deploys: its callee matches the deploy
// pattern or passes a parameter into a container spec.
func (c *checker) isDeployCall(fl *flow, call *ast.CallExpr) (*types.Func, bool) {
	fn := c.callee(fl, call)
	if fn == nil {
		return nil, false
	}
	return fn, c.s.deploy.MatchString(fn.Name()) || len(c.deploySink(fn)) > 0
}
