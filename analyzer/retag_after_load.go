package analyzer

import (
	"strconv"
	"strings"
)

// checkRetagAfterLoad reports re-tagging of an image after it was loaded:
// ctr or crictl "tag" inside the Kind node (run directly or through
// "podman exec NODE"), a helper that does so, or "docker|podman tag" of an
// image this flow already loaded. The suite then tests the shared, cached
// image behind the old tag instead of a fresh build.
func checkRetagAfterLoad(c *checker) {
	for _, fl := range c.flows {
		var loaded []argvWord
		for _, step := range c.imageSteps(fl) {
			switch step.kind {
			case stepLoad, stepProduce:
				loaded = append(loaded, step.images...)
			case stepRetag:
				if argv, ok := c.execArgv(fl, step.call); ok {
					if c.anySame(fl, step.images[:1], loaded) || c.producedBefore(fl, step) {
						c.reportNode(CheckRetagAfterLoad, step.call, nil,
							"%q re-tags an image after it was loaded, so the suite tests the image loaded under the old tag; build and load with the final tag instead", commandLine(argv))
					}
				}
			}
		}
		for _, call := range c.nodeRetags(fl) {
			what := "this command"
			if argv, ok := c.execArgv(fl, call); ok {
				what = strconv.Quote(commandLine(argv))
			} else if fn := c.callee(fl, call); fn != nil {
				what = fn.Name()
			}
			c.reportNode(CheckRetagAfterLoad, call, nil,
				"%s re-tags an image inside the Kind node, so the suite tests a shared cached image; generate the tag before the build, then build and load with it", what)
		}
	}
}

// producedBefore reports whether the source image of a re-tag is the
// result of a producer, which loaded it.
func (c *checker) producedBefore(fl *flow, retag imageStep) bool {
	o := c.wordOrigin(fl, retag.images[0])
	return o.kind == originProducer && o.call.Pos() < retag.call.Pos()
}

// anySame reports whether any of a resolves to the same image as any of b.
func (c *checker) anySame(fl *flow, a, b []argvWord) bool {
	for _, x := range a {
		ox := c.wordOrigin(fl, x)
		for _, y := range b {
			oy := c.wordOrigin(fl, y)
			if ox.kind != originUnknown && ox.same(oy) {
				return true
			}
			if ox.kind == originConst && oy.kind == originConst {
				rx, ok1 := parseImageRef(ox.value)
				ry, ok2 := parseImageRef(oy.value)
				if ok1 && ok2 && sameImage(rx, ry) {
					return true
				}
			}
		}
	}
	return false
}

// commandLine renders argv for messages, run-time words as "...".
func commandLine(argv []argvWord) string {
	words := make([]string, 0, len(argv))
	for _, w := range argv {
		if w.expr != nil {
			w.word = "..."
		}
		words = append(words, w.word)
	}
	return strings.Join(words, " ")
}
