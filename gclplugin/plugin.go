package gclplugin

import (
	"fmt"
	"strings"

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
	cfg analyzer.Config
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
	if _, err := analyzer.New(cfg); err != nil {
		return nil, configError(err)
	}
	return &Plugin{cfg: cfg}, nil
}

// configError words an error of analyzer.New, which names flags
// ("imagetaglint: -disable: ..."), in terms of settings.
func configError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "imagetaglint: ")
	msg = strings.TrimPrefix(msg, "-")
	return fmt.Errorf("imagetaglint settings: %s", msg)
}

// BuildAnalyzers returns the imagetaglint analyzer configured by the settings.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	a, err := analyzer.New(p.cfg)
	if err != nil {
		return nil, configError(err)
	}
	return []*analysis.Analyzer{a}, nil
}

// GetLoadMode reports that imagetaglint needs type information.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
