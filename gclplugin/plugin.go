package gclplugin

import (
	"errors"
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

// Name is the name under which the plugin is registered and enabled.
const Name = "imagetaglint"

func init() {
	register.Plugin(Name, New)
}

// Plugin is the imagetaglint golangci-lint plugin.
type Plugin struct {
	compiled *analyzer.Compiled
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes the raw settings golangci-lint passes and validates them. It
// fails on an unknown key, a value of the wrong type, an invalid regexp or
// an unknown check name.
func New(raw any) (register.LinterPlugin, error) {
	cfg, err := analyzer.Decode(raw)
	if err != nil {
		return nil, err
	}
	// Validate now, so a bad configuration is reported when golangci-lint
	// loads the plugin rather than when the first package is analysed.
	c, err := analyzer.Compile(cfg)
	if ce := (*analyzer.ConfigError)(nil); errors.As(err, &ce) {
		// The command's message names a flag; here it is a setting.
		return nil, fmt.Errorf("imagetaglint settings: %s: %w", ce.Key, ce.Err)
	} else if err != nil {
		return nil, err
	}
	return &Plugin{compiled: c}, nil
}

// BuildAnalyzers returns the imagetaglint analyzer configured by the settings.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{p.compiled.Analyzer()}, nil
}

// GetLoadMode reports that imagetaglint needs type information.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
