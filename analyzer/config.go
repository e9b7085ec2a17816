package analyzer

import (
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"

	"fmt"
	"go/types"
	"regexp"
	"slices"
	"strings"
)

// Config is everything a user can tune. The zero value is not useful: start
// from DefaultConfig.
//
// Config is the one schema of the settings: each field's yaml tag is its key
// in .imagetaglint.yaml and in golangci-lint's settings, and the name of its
// command-line flag; help is the flag's usage; check names the validation
// of its values (see validators). A new setting is a new tagged field.
type Config struct {
	// Producers return a built-and-loaded image reference as their first
	// string result. Each entry is a bare Func (matched by name in any
	// package), pkg/path.Func or pkg/path.Type.Method (matched by identity).
	Producers []string `yaml:"producers" check:"funcs" help:"functions that return a built and loaded image reference (Func, pkg/path.Func or pkg/path.Type.Method); replaces the default"`
	// Generators return a freshly generated (time- or random-based) image
	// name or tag. Same syntax as Producers.
	Generators []string `yaml:"generators" check:"funcs" help:"functions that generate a fresh image name or tag (same syntax as producers); replaces the default"`
	// DeployPattern, BuildPattern and LoadPattern match callee names. The
	// default deploy pattern wants "deploy" as a whole word, so that
	// Deployment helpers (DeploymentConditionMatch(dep, "Available")) are
	// not deploys of their string arguments.
	DeployPattern string `yaml:"deploy-pattern" check:"funcpattern" help:"regexp matching the names of functions that deploy an image"`
	BuildPattern  string `yaml:"build-pattern" check:"funcpattern" help:"regexp matching the names of functions that build an image"`
	LoadPattern   string `yaml:"load-pattern" check:"funcpattern" help:"regexp matching the names of functions that load an image into the cluster"`
	// LocalImagePattern matches references of images that are built
	// locally, never pulled from a registry.
	LocalImagePattern string `yaml:"local-image-pattern" check:"regexp" help:"regexp matching references of locally built images"`
	// ImageTypes are named types whose values are image references
	// (pkg/path.Type): parameters of these types are image parameters.
	ImageTypes []string `yaml:"image-types" check:"types" help:"named types (pkg/path.Type) whose values are image references"`
	// OfficialImages adds single-name repositories to the embedded list of
	// Docker official images, which can be pulled without a registry.
	OfficialImages []string `yaml:"official-images" check:"names" help:"single-name repositories to treat as pullable Docker official images, beside the embedded list"`
	// UnofficialLocal treats an unqualified single-name reference that is
	// not an official image ("datastorage:e2e") as local: Docker Hub
	// cannot serve it.
	UnofficialLocal bool `yaml:"unofficial-local" help:"treat an unqualified name that is not a Docker official image as a local image when the package or repository builds, loads or re-tags its repository"`
	// Disable names checks that do not run.
	Disable []string `yaml:"disable" check:"checks" help:"checks not to run"`
	// IncludeGenerated analyses files marked "// Code generated ... DO NOT EDIT."
	IncludeGenerated bool `yaml:"include-generated" help:"also analyse generated files"`
	// Tags are the build tags the standalone command loads packages with.
	// It is a setting of loading: under go vet and golangci-lint, which load
	// the packages themselves, their own flags decide (go vet -tags,
	// run.build-tags).
	Tags []string `yaml:"tags" check:"tags" scope:"load" help:"build tags to load the packages with, as for go vet (the standalone command; golangci-lint takes run.build-tags)"`
}

// DefaultConfig returns the configuration used when no flag is given.
func DefaultConfig() Config {
	return Config{
		Producers:         []string{"BuildAndLoadImageToKind"},
		Generators:        []string{"GenerateInfraImageName"},
		DeployPattern:     `^(?i:deploys?)(?:[^a-z]|$)`,
		BuildPattern:      `(?i)^build.*image`,
		LoadPattern:       `(?i)^load.*image`,
		LocalImagePattern: imageref.DefaultLocalPattern,
		UnofficialLocal:   true,
	}
}

func validFuncs(specs []string) error {
	_, err := parseFuncMatchers(specs)
	return err
}

// validTypes accepts pkg/path.Type entries.
func validTypes(specs []string) error {
	for _, spec := range specs {
		dot := strings.LastIndex(spec, ".")
		if dot <= 0 || !isIdent(spec[dot+1:]) || strings.HasSuffix(spec[:dot], "/") {
			return fmt.Errorf("%q is not pkg/path.Type", spec)
		}
	}
	return nil
}

// validNames accepts repository names.
func validNames(names []string) error {
	for _, name := range names {
		if _, err := imageref.Parse(name); err != nil || strings.ContainsAny(name, ":@") {
			return fmt.Errorf("%q is not a repository name", name)
		}
	}
	return nil
}

// buildTag is what go/build/constraint accepts as a tag.
var buildTag = regexp.MustCompile(`^[\p{L}\p{N}_.]+$`)

func validTags(tags []string) error {
	for _, tag := range tags {
		if !buildTag.MatchString(tag) {
			return fmt.Errorf("%q is not a build tag (separate tags with commas)", tag)
		}
	}
	return nil
}

func validChecks(names []string) error {
	for _, name := range names {
		if !isCheck(name) {
			return fmt.Errorf("unknown check %q (checks: %s)", name, strings.Join(Checks, ", "))
		}
	}
	return nil
}

// settings is a validated, compiled Config.
type settings struct {
	producers  []funcMatcher
	generators []funcMatcher
	deploy     *regexp.Regexp
	build      *regexp.Regexp
	load       *regexp.Regexp
	local      *regexp.Regexp
	enabled    map[string]bool
	generated  bool
	imageTypes map[string]bool
	locality   imageref.Policy
	triggers   triggerSet
}

func (c *Config) compile() (*settings, error) {
	s := &settings{enabled: make(map[string]bool), generated: c.IncludeGenerated, triggers: newTriggerSet()}
	var err error
	if s.producers, err = parseFuncMatchers(c.Producers); err != nil {
		return nil, &ConfigError{"producers", err}
	}
	if s.generators, err = parseFuncMatchers(c.Generators); err != nil {
		return nil, &ConfigError{"generators", err}
	}
	for _, p := range []struct {
		name string
		src  string
		dst  **regexp.Regexp
	}{
		{"deploy-pattern", c.DeployPattern, &s.deploy},
		{"build-pattern", c.BuildPattern, &s.build},
		{"load-pattern", c.LoadPattern, &s.load},
		{"local-image-pattern", c.LocalImagePattern, &s.local},
	} {
		if *p.dst, err = regexp.Compile(p.src); err != nil {
			return nil, &ConfigError{p.name, err}
		}
	}
	if err := validTypes(c.ImageTypes); err != nil {
		return nil, &ConfigError{"image-types", err}
	}
	s.imageTypes = make(map[string]bool)
	for _, t := range c.ImageTypes {
		s.imageTypes[t] = true
	}
	s.locality = imageref.Policy{LocalPattern: s.local, Official: c.OfficialImages, NoUnofficialRule: !c.UnofficialLocal}
	if err := validChecks(c.Disable); err != nil {
		return nil, &ConfigError{"disable", err}
	}
	for _, name := range Checks {
		s.enabled[name] = !slices.Contains(c.Disable, name)
	}
	return s, nil
}

// funcMatcher matches a function by bare name, or by package path, optional
// receiver type name and name.
type funcMatcher struct {
	pkgPath string // "" matches any package
	recv    string // receiver type name for methods
	name    string
}

func parseFuncMatchers(specs []string) ([]funcMatcher, error) {
	var ms []funcMatcher
	for _, spec := range specs {
		m, ok := parseFuncMatcher(spec)
		if !ok {
			return nil, fmt.Errorf("%q is not Func, pkg/path.Func or pkg/path.Type.Method", spec)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

func parseFuncMatcher(spec string) (funcMatcher, bool) {
	slash := strings.LastIndex(spec, "/")
	dot := strings.Index(spec[slash+1:], ".")
	if dot < 0 {
		if slash >= 0 || !isIdent(spec) {
			return funcMatcher{}, false
		}
		return funcMatcher{name: spec}, true
	}
	dot += slash + 1
	m := funcMatcher{pkgPath: spec[:dot]}
	rest := strings.Split(spec[dot+1:], ".")
	switch len(rest) {
	case 1:
		m.name = rest[0]
	case 2:
		m.recv, m.name = rest[0], rest[1]
	default:
		return funcMatcher{}, false
	}
	if !isIdent(m.name) || (m.recv != "" && !isIdent(m.recv)) {
		return funcMatcher{}, false
	}
	return m, true
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (m funcMatcher) matches(fn *types.Func) bool {
	if fn.Name() != m.name {
		return false
	}
	if m.pkgPath == "" {
		return true
	}
	if fn.Pkg() == nil || fn.Pkg().Path() != m.pkgPath {
		return false
	}
	return recvTypeName(fn) == m.recv
}

// recvTypeName returns the name of fn's receiver base type, or "".
func recvTypeName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

func matchesAny(ms []funcMatcher, fn *types.Func) bool {
	for _, m := range ms {
		if m.matches(fn) {
			return true
		}
	}
	return false
}
