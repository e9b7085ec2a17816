package analyzer

import (
	"go/ast"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Compiled is a configuration validated and compiled once: the analyzer,
// the trigger and the usage check of a driver all come from it, so they
// agree and none of them can fail later.
type Compiled struct {
	cfg Config
	s   *settings
}

// Compile validates and compiles cfg. Its error is a *ConfigError naming
// the setting at fault.
func Compile(cfg Config) (*Compiled, error) {
	s, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	return &Compiled{cfg: cfg, s: s}, nil
}

// A ConfigError is an invalid value of one setting. Its message names the
// setting as the command's flag; drivers with other names for the
// settings (golangci-lint's) word it from Key and Err.
type ConfigError struct {
	Key string // the setting's key and flag name, "deploy-pattern"
	Err error  // what is wrong with its value
}

func (e *ConfigError) Error() string { return "imagetaglint: -" + e.Key + ": " + e.Err.Error() }

func (e *ConfigError) Unwrap() error { return e.Err }

// Analyzer returns an analyzer that runs with the configuration.
func (c *Compiled) Analyzer() *analysis.Analyzer {
	a := newAnalyzer()
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, c.s) }
	return a
}

// Trigger returns the function that reports whether the syntax of a file
// may hold anything a check reads. A package none of whose files may
// matter, and none of whose imports (transitively, among the packages
// analysed from source) contains such a file, can produce no finding and
// no fact: a driver may skip type-checking it. It is safe for concurrent
// use.
func (c *Compiled) Trigger() func(*ast.File) bool { return c.s.mayMatter }

// Relevance returns the function that classifies a package by the syntax
// of its files (see Relevance): a finer version of Trigger for drivers
// that decide per package. It is safe for concurrent use.
func (c *Compiled) Relevance() func([]*ast.File) Relevance { return c.s.relevance }

// FactNames returns the function that names, by the syntax of a
// package's files, the exported functions and methods whose summaries may
// be facts for their callers; inert tells which imports export no fact
// (user packages a driver does not analyse), and their package names. A
// package without a trigger (Irrelevant) whose files name none of the
// functions this returns for the analysed packages stops at the
// analysis' quick exit, whatever it imports: a driver may skip it. It is
// safe for concurrent use.
func (c *Compiled) FactNames() func(files []*ast.File, inert func(path string) (name string, ok bool)) map[string]bool {
	return c.s.mayCarryFacts
}

// Usage returns a new record of which function entries of the
// configuration match a function of the analysed code.
func (c *Compiled) Usage() *Usage { return newUsage(c.cfg) }

// New returns an analyzer that runs with cfg. It fails on an invalid
// configuration, before any package is analysed.
func New(cfg Config) (*analysis.Analyzer, error) {
	c, err := Compile(cfg)
	if err != nil {
		return nil, err
	}
	return c.Analyzer(), nil
}

// newFlagged returns the analyzer whose configuration comes from its flags,
// compiled once per process on first use (flags are parsed before any run).
func newFlagged() *analysis.Analyzer {
	cfg := DefaultConfig()
	a := newAnalyzer()
	cfg.RegisterFlags(&a.Flags)
	compiled := sync.OnceValues(func() (*Compiled, error) { return Compile(cfg) })
	a.Run = func(pass *analysis.Pass) (any, error) {
		c, err := compiled()
		if err != nil {
			return nil, err
		}
		return run(pass, c.s)
	}
	return a
}
