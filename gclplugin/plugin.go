// Package gclplugin registers imagetaglint as a golangci-lint v2 module
// plugin named "imagetaglint".
//
// Build a golangci-lint that includes it with "golangci-lint custom" and the
// .custom-gcl.yml at the root of this repository, then enable it in
// .golangci.yml:
//
//	version: "2"
//	linters:
//	  default: none
//	  enable: [imagetaglint]
//	  settings:
//	    custom:
//	      imagetaglint:
//	        type: module
//	        description: image references lost between build, load and deploy
//	        settings:
//	          disable: [hardcoded-image]
//
// Every setting mirrors the command-line flag of the same name; a setting
// that is not given keeps the default of analyzer.DefaultConfig.
package gclplugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
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

// Settings are the plugin settings of .golangci.yml. Each key is the name of
// the imagetaglint flag it mirrors.
type Settings struct {
	Producers         []string `json:"producers"`
	Generators        []string `json:"generators"`
	DeployPattern     string   `json:"deploy-pattern"`
	BuildPattern      string   `json:"build-pattern"`
	LoadPattern       string   `json:"load-pattern"`
	LocalImagePattern string   `json:"local-image-pattern"`
	Disable           []string `json:"disable"`
	IncludeGenerated  bool     `json:"include-generated"`
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
	cfg, err := Decode(raw)
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

// Decode returns the analyzer configuration for raw settings: the defaults
// of analyzer.DefaultConfig, overridden by every key that raw sets.
func Decode(raw any) (analyzer.Config, error) {
	cfg := analyzer.DefaultConfig()
	s := Settings{
		Producers:         cfg.Producers,
		Generators:        cfg.Generators,
		DeployPattern:     cfg.DeployPattern,
		BuildPattern:      cfg.BuildPattern,
		LoadPattern:       cfg.LoadPattern,
		LocalImagePattern: cfg.LocalImagePattern,
		Disable:           cfg.Disable,
		IncludeGenerated:  cfg.IncludeGenerated,
	}
	if raw != nil {
		data, err := json.Marshal(raw)
		if err != nil {
			return analyzer.Config{}, fmt.Errorf("imagetaglint settings: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return analyzer.Config{}, settingsError(err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return analyzer.Config{}, fmt.Errorf("imagetaglint settings: unexpected data after the settings object")
		}
	}
	return analyzer.Config{
		Producers:         s.Producers,
		Generators:        s.Generators,
		DeployPattern:     s.DeployPattern,
		BuildPattern:      s.BuildPattern,
		LoadPattern:       s.LoadPattern,
		LocalImagePattern: s.LocalImagePattern,
		Disable:           s.Disable,
		IncludeGenerated:  s.IncludeGenerated,
	}, nil
}

// keys lists the setting names, in declaration order.
func keys() []string {
	t := reflect.TypeFor[Settings]()
	ks := make([]string, t.NumField())
	for i := range ks {
		ks[i] = t.Field(i).Tag.Get("json")
	}
	return ks
}

// settingsError rewrites a decoding error so that it names the offending key.
func settingsError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		key := typeErr.Field
		if key == "" {
			return fmt.Errorf("imagetaglint settings: must be a mapping of keys (%s) to values, got %s", strings.Join(keys(), ", "), typeErr.Value)
		}
		return fmt.Errorf("imagetaglint settings: %q: got %s, want %s", key, typeErr.Value, describe(typeErr.Type))
	}
	// encoding/json reports unknown keys only as text: json: unknown field "x".
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("imagetaglint settings: unknown key %s (known keys: %s)", msg, strings.Join(keys(), ", "))
	}
	return fmt.Errorf("imagetaglint settings: %v", err)
}

// configError words an error of analyzer.New, which names flags
// ("imagetaglint: -disable: ..."), in terms of settings.
func configError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "imagetaglint: ")
	msg = strings.TrimPrefix(msg, "-")
	return fmt.Errorf("imagetaglint settings: %s", msg)
}

func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "a list of " + describe(t.Elem()) + "s"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	}
	return t.String()
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
