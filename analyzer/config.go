package analyzer

import (
	"flag"
	"fmt"
	"go/types"
	"regexp"
	"strings"
)

// Config is everything a user can tune. The zero value is not useful: start
// from DefaultConfig.
type Config struct {
	// Producers return a built-and-loaded image reference as their first
	// string result. Each entry is a bare Func (matched by name in any
	// package), pkg/path.Func or pkg/path.Type.Method (matched by identity).
	Producers []string
	// Generators return a freshly generated (time- or random-based) image
	// name or tag. Same syntax as Producers.
	Generators []string
	// DeployPattern, BuildPattern and LoadPattern match callee names.
	DeployPattern string
	BuildPattern  string
	LoadPattern   string
	// LocalImagePattern matches references of images that are built
	// locally, never pulled from a registry.
	LocalImagePattern string
	// Disable names checks that do not run.
	Disable []string
	// IncludeGenerated analyses files marked "// Code generated ... DO NOT EDIT."
	IncludeGenerated bool
}

// DefaultConfig returns the configuration used when no flag is given.
func DefaultConfig() Config {
	return Config{
		Producers:         []string{"BuildAndLoadImageToKind"},
		Generators:        []string{"GenerateInfraImageName"},
		DeployPattern:     `(?i)^deploy`,
		BuildPattern:      `(?i)^build.*image`,
		LoadPattern:       `(?i)^load.*image`,
		LocalImagePattern: `^(localhost(:[0-9]+)?|kind\.local|ko\.local)/`,
	}
}

// registerFlags binds every field of c to a flag of fs.
func (c *Config) registerFlags(fs *flag.FlagSet) {
	fs.Var((*listFlag)(&c.Producers), "producers", "comma-separated functions that return a built and loaded image reference (Func, pkg/path.Func or pkg/path.Type.Method)")
	fs.Var((*listFlag)(&c.Generators), "generators", "comma-separated functions that generate a fresh image name or tag (same syntax as -producers)")
	fs.StringVar(&c.DeployPattern, "deploy-pattern", c.DeployPattern, "regexp matching the names of functions that deploy an image")
	fs.StringVar(&c.BuildPattern, "build-pattern", c.BuildPattern, "regexp matching the names of functions that build an image")
	fs.StringVar(&c.LoadPattern, "load-pattern", c.LoadPattern, "regexp matching the names of functions that load an image into the cluster")
	fs.StringVar(&c.LocalImagePattern, "local-image-pattern", c.LocalImagePattern, "regexp matching references of locally built images")
	fs.Var((*listFlag)(&c.Disable), "disable", "comma-separated checks not to run: "+strings.Join(Checks, ", "))
	fs.BoolVar(&c.IncludeGenerated, "include-generated", c.IncludeGenerated, "also analyse generated files")
}

// listFlag is a comma-separated flag.Value.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = nil
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			*l = append(*l, f)
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
}

func (c *Config) compile() (*settings, error) {
	s := &settings{enabled: make(map[string]bool), generated: c.IncludeGenerated}
	var err error
	if s.producers, err = parseFuncMatchers("producers", c.Producers); err != nil {
		return nil, err
	}
	if s.generators, err = parseFuncMatchers("generators", c.Generators); err != nil {
		return nil, err
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
			return nil, fmt.Errorf("imagetaglint: -%s: %v", p.name, err)
		}
	}
	for _, name := range Checks {
		s.enabled[name] = true
	}
	for _, name := range c.Disable {
		if !isCheck(name) {
			return nil, fmt.Errorf("imagetaglint: -disable: unknown check %q (checks: %s)", name, strings.Join(Checks, ", "))
		}
		s.enabled[name] = false
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

func parseFuncMatchers(flagName string, specs []string) ([]funcMatcher, error) {
	var ms []funcMatcher
	for _, spec := range specs {
		m, ok := parseFuncMatcher(spec)
		if !ok {
			return nil, fmt.Errorf("imagetaglint: -%s: %q is not Func, pkg/path.Func or pkg/path.Type.Method", flagName, spec)
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
