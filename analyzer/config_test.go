package analyzer

import (
	"flag"
	"strings"
	"testing"
)

func TestParseFuncMatcher(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want funcMatcher
		ok   bool
	}{
		{"BuildAndLoadImageToKind", funcMatcher{name: "BuildAndLoadImageToKind"}, true},
		{"example.com/e2e/infra.GenerateInfraImageName", funcMatcher{pkgPath: "example.com/e2e/infra", name: "GenerateInfraImageName"}, true},
		{"example.com/e2e/infra.Builder.Build", funcMatcher{pkgPath: "example.com/e2e/infra", recv: "Builder", name: "Build"}, true},
		{"infra.Build", funcMatcher{pkgPath: "infra", name: "Build"}, true},
		{"", funcMatcher{}, false},
		{"a/b", funcMatcher{}, false},
		{"a/b.c.d.e", funcMatcher{}, false},
		{"1abc", funcMatcher{}, false},
		{"pkg.Fn-x", funcMatcher{}, false},
	} {
		got, ok := parseFuncMatcher(tc.spec)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseFuncMatcher(%q) = %+v, %v; want %+v, %v", tc.spec, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"bad regexp", func(c *Config) { c.DeployPattern = "(" }, "-deploy-pattern"},
		{"bad local pattern", func(c *Config) { c.LocalImagePattern = "[" }, "-local-image-pattern"},
		{"unknown check", func(c *Config) { c.Disable = []string{"no-such-check"} }, `unknown check "no-such-check"`},
		{"bad producer", func(c *Config) { c.Producers = []string{"a/b"} }, "-producers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := New(DefaultConfig()); err != nil {
		t.Errorf("New(DefaultConfig()) = %v", err)
	}
}

func TestFlagsCoverConfig(t *testing.T) {
	var cfg Config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	args := []string{
		"-producers=a.B,C", "-generators=G", "-deploy-pattern=^ship", "-build-pattern=^mk",
		"-load-pattern=^push", "-local-image-pattern=^reg\\.local/", "-disable=hardcoded-image,image-mismatch", "-include-generated",
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	want := Config{
		Producers: []string{"a.B", "C"}, Generators: []string{"G"}, DeployPattern: "^ship", BuildPattern: "^mk",
		LoadPattern: "^push", LocalImagePattern: `^reg\.local/`, Disable: []string{"hardcoded-image", "image-mismatch"}, IncludeGenerated: true,
	}
	if strings.Join(cfg.Producers, ",") != strings.Join(want.Producers, ",") || cfg.DeployPattern != want.DeployPattern ||
		cfg.BuildPattern != want.BuildPattern || cfg.LoadPattern != want.LoadPattern || cfg.LocalImagePattern != want.LocalImagePattern ||
		strings.Join(cfg.Disable, ",") != strings.Join(want.Disable, ",") || !cfg.IncludeGenerated || strings.Join(cfg.Generators, ",") != "G" {
		t.Errorf("flags gave %+v, want %+v", cfg, want)
	}
}
