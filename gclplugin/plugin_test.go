package gclplugin

import (
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"gopkg.in/yaml.v3"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

// fromYAML returns settings the way golangci-lint hands them to a plugin:
// the value decoded from the settings: mapping of .golangci.yml.
func fromYAML(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("imagetaglint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != "imagetaglint" {
		t.Fatalf("BuildAnalyzers() = %v, want the imagetaglint analyzer", as)
	}
	if as[0].Run == nil {
		t.Error("analyzer has no Run function")
	}
}

func TestDefaults(t *testing.T) {
	for name, raw := range map[string]any{
		"nil":         nil,
		"empty map":   map[string]any{},
		"yaml empty":  fromYAML(t, "{}"),
		"yaml absent": fromYAML(t, ""),
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := analyzer.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if want := analyzer.DefaultConfig(); !reflect.DeepEqual(cfg, want) {
				t.Errorf("Decode(%#v) = %+v, want defaults %+v", raw, cfg, want)
			}
			if _, err := New(raw); err != nil {
				t.Errorf("New(%#v): %v", raw, err)
			}
		})
	}
}

func TestEachSetting(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want func(*analyzer.Config)
	}{
		{"producers: [BuildImage, example.com/e2e/infra.Builder.Build]", func(c *analyzer.Config) {
			c.Producers = []string{"BuildImage", "example.com/e2e/infra.Builder.Build"}
		}},
		{"producers: []", func(c *analyzer.Config) { c.Producers = []string{} }},
		{"generators: [example.com/e2e/infra.NewTag]", func(c *analyzer.Config) {
			c.Generators = []string{"example.com/e2e/infra.NewTag"}
		}},
		{"deploy-pattern: '^(Deploy|Install)'", func(c *analyzer.Config) { c.DeployPattern = "^(Deploy|Install)" }},
		{"build-pattern: '^Make.*Image$'", func(c *analyzer.Config) { c.BuildPattern = "^Make.*Image$" }},
		{"load-pattern: '^Push'", func(c *analyzer.Config) { c.LoadPattern = "^Push" }},
		{"local-image-pattern: '^registry\\.local/'", func(c *analyzer.Config) { c.LocalImagePattern = `^registry\.local/` }},
		{"disable: [hardcoded-image, image-mismatch]", func(c *analyzer.Config) {
			c.Disable = []string{"hardcoded-image", "image-mismatch"}
		}},
		{"include-generated: true", func(c *analyzer.Config) { c.IncludeGenerated = true }},
		{"include-generated: false", func(c *analyzer.Config) {}},
	} {
		t.Run(tc.yaml, func(t *testing.T) {
			raw := fromYAML(t, tc.yaml)
			cfg, err := analyzer.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			want := analyzer.DefaultConfig()
			tc.want(&want)
			if !reflect.DeepEqual(cfg, want) {
				t.Errorf("Decode(%s) =\n %+v\nwant\n %+v", tc.yaml, cfg, want)
			}
			p, err := New(raw)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if as, err := p.BuildAnalyzers(); err != nil || len(as) != 1 {
				t.Fatalf("BuildAnalyzers() = %v, %v", as, err)
			}
		})
	}
}

// Every setting is a flag of the command-line analyzer, and every flag a
// setting: one schema, analyzer.Config's.
func TestSettingsMirrorFlags(t *testing.T) {
	keys := analyzer.SettingKeys()
	for _, k := range keys {
		if analyzer.Analyzer.Flags.Lookup(k) == nil {
			t.Errorf("setting %q is not a flag of imagetaglint", k)
		}
	}
	n := 0
	analyzer.Analyzer.Flags.VisitAll(func(*flag.Flag) { n++ })
	if n != len(keys) || n == 0 {
		t.Errorf("imagetaglint has %d flags, the plugin %d settings", n, len(keys))
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  any
		want []string // substrings of the error
	}{
		{"unknown key", fromYAML(t, "producer: [Build]"), []string{`unknown key "producer"`, "producers"}},
		{"flag spelling", fromYAML(t, "deploy_pattern: x"), []string{`unknown key "deploy_pattern"`}},
		{"string for list", fromYAML(t, "disable: hardcoded-image"), []string{`"disable"`, "got string", "want a list of strings"}},
		{"number in list", fromYAML(t, "producers: [Build, 3]"), []string{`"producers"`, "got number in the list"}},
		{"string for bool", fromYAML(t, "include-generated: 'yes'"), []string{`"include-generated"`, "got string", "want boolean"}},
		{"list for string", fromYAML(t, "deploy-pattern: [a, b]"), []string{`"deploy-pattern"`, "got list", "want string"}},
		{"not a mapping", fromYAML(t, "[a, b]"), []string{"must be a mapping"}},
		{"bad deploy regexp", fromYAML(t, "deploy-pattern: '(deploy'"), []string{"deploy-pattern", "missing closing )"}},
		{"bad local regexp", fromYAML(t, "local-image-pattern: '[a-'"), []string{"local-image-pattern"}},
		{"unknown check", fromYAML(t, "disable: [hardcoded-images]"), []string{`unknown check "hardcoded-images"`, "hardcoded-image"}},
		{"bad producer", fromYAML(t, "producers: ['not a func']"), []string{"producers", `"not a func"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(tc.raw)
			if err == nil {
				t.Fatalf("New(%#v) = %v, want an error", tc.raw, p)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			t.Log(err)
		})
	}
}
