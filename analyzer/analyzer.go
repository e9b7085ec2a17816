// Package analyzer defines imagetaglint, an analyzer that finds image
// references lost between the build, load and deploy steps of Kind-based
// end-to-end test infrastructure.
package analyzer

import (
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
)

// DocURL is the page documenting every check; each check has an anchor.
const DocURL = "https://github.com/imagetaglint/imagetaglint/blob/main/docs/checks.md"

const Doc = `find image references lost between build, load and deploy in E2E setup code

imagetaglint reports code where the image that is deployed into a Kind
cluster is not the image that was built and loaded, so pods end in
ImagePullBackOff or ErrImageNeverPull, or silently run a stale image.

Checks (each diagnostic's category; disable with -disable=NAME,...; suppress
one finding with "//imagetaglint:ignore NAME reason" on or above its line):

  discarded-image      the image returned by a producer (-producers, default
                       BuildAndLoadImageToKind) is assigned to _, dropped by a
                       call, go or defer statement, or stored and never read.
  hardcoded-image      a locally built image is written as a constant in a
                       corev1.Container or EphemeralContainer Image field, in an
                       image: value of a YAML or JSON manifest held in a Go
                       string, or in a constant that fills a manifest template.
  deploy-time-tag      a generator (-generators, default GenerateInfraImageName)
                       is called in the arguments of a deploy call or as a
                       container image: that tag was never built.
  regenerated-tag      a generator is called again for the same image in one
                       setup flow.
  retag-after-load     an image is re-tagged inside the Kind node (ctr or crictl
                       through exec, or a helper doing so), or docker/podman tag
                       is applied to an image already loaded: the suite tests
                       a shared cached image.
  ignored-image-param  a function receives an image parameter but writes a
                       locally built constant image into its container spec
                       or manifest.
  image-mismatch       the image deployed in a setup flow is not the value that
                       was built and loaded.

Facts carry wrappers across packages: a function returning a producer's or
generator's result is one too, a function passing its parameter into a
container spec is a deploy sink, and a function re-tagging inside the node
is a re-tag helper. Only exported functions export facts.

Not flagged: third-party images (postgres:16-alpine, quay.io/org/app:v1,
busybox) unless the package builds or loads that repository or the container
pulls with policy Never; "%s" placeholders of templates; images that are only
logged; values whose origin cannot be resolved statically (read from the
environment, files or computed at run time, parameters with defaults, fields
of parameters); generator calls in exclusive branches or after a return;
generated files unless -include-generated is set.`

// Analyzer reports with the configuration given by its flags.
var Analyzer = newFlagged()

// New returns an analyzer that runs with cfg. It fails on an invalid
// configuration, before any package is analysed.
func New(cfg Config) (*analysis.Analyzer, error) {
	s, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	a := newAnalyzer()
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, s) }
	return a, nil
}

func newAnalyzer() *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      "imagetaglint",
		Doc:       Doc,
		URL:       DocURL,
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: factTypes(),
		// Findings in the well-typed parts of a broken package still help.
		RunDespiteErrors: true,
	}
}

// newFlagged returns the analyzer whose configuration comes from its flags,
// compiled once per process on first use (flags are parsed before any run).
func newFlagged() *analysis.Analyzer {
	cfg := DefaultConfig()
	a := newAnalyzer()
	cfg.registerFlags(&a.Flags)
	var compiled *settings
	var compileErr error
	var once sync.Once
	a.Run = func(pass *analysis.Pass) (any, error) {
		once.Do(func() { compiled, compileErr = cfg.compile() })
		if compileErr != nil {
			return nil, compileErr
		}
		return run(pass, compiled)
	}
	return a
}
