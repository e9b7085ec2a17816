package analyzer

import (
	"flag"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// NewFlagged returns an analyzer that starts from cfg and whose flags, one
// per setting, override it: for drivers that parse an analyzer's flags, as
// go vet's does. The configuration is validated when the flags are parsed
// (RegisterFlags) and compiled once, on the first run.
func NewFlagged(cfg Config) (*analysis.Analyzer, error) {
	base, err := New(cfg)
	if err != nil {
		return nil, err
	}
	a := *base
	a.Flags = flag.FlagSet{}
	c := new(Config)
	*c = cfg
	c.registerFlags(&a.Flags, false)
	configured := sync.OnceValues(func() (*analysis.Analyzer, error) { return New(*c) })
	a.Run = func(pass *analysis.Pass) (any, error) {
		inner, err := configured()
		if err != nil {
			return nil, err
		}
		return inner.Run(pass)
	}
	return &a, nil
}
