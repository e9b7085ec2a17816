package analyzer

import (
	"errors"
	"flag"
	"regexp"
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

// An invalid configuration fails Compile with a *ConfigError naming the
// setting, worded as the command's flag.
func TestCompileRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		key  string
		want string
	}{
		{"bad regexp", func(c *Config) { c.DeployPattern = "(" }, "deploy-pattern", "missing closing )"},
		{"bad local pattern", func(c *Config) { c.LocalImagePattern = "[" }, "local-image-pattern", "missing closing ]"},
		{"unknown check", func(c *Config) { c.Disable = []string{"no-such-check"} }, "disable", `unknown check "no-such-check"`},
		{"bad producer", func(c *Config) { c.Producers = []string{"a/b"} }, "producers", `"a/b" is not Func`},
		{"bad image type", func(c *Config) { c.ImageTypes = []string{"Image"} }, "image-types", `"Image" is not pkg/path.Type`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			_, err := Compile(cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tc.key || !strings.Contains(ce.Err.Error(), tc.want) {
				t.Fatalf("Compile: err = %#v, want a *ConfigError for %s mentioning %q", err, tc.key, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "imagetaglint: -"+tc.key+": ") {
				t.Errorf("message %q does not name the flag -%s", err, tc.key)
			}
			if _, err := New(cfg); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	if _, err := Compile(DefaultConfig()); err != nil {
		t.Errorf("Compile(DefaultConfig()) = %v", err)
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

func TestDefaultDeployPattern(t *testing.T) {
	re := regexp.MustCompile(DefaultConfig().DeployPattern)
	for _, name := range []string{"deploy", "Deploy", "DeployApp", "deployOperator", "deploy_chart", "Deploys", "deploysWhatItBuilt", "DEPLOY"} {
		if !re.MatchString(name) {
			t.Errorf("%s is not a deploy by name", name)
		}
	}
	for _, name := range []string{"Deployment", "DeploymentConditionMatch", "deployments", "Deployer", "undeploy", "redeployAll"} {
		if re.MatchString(name) {
			t.Errorf("%s is a deploy by name", name)
		}
	}
}
