package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
)

// The .custom-gcl.yml offered to users pins the golangci-lint release this
// module builds, and imports the plugin package this module imports.
func TestCustomGCLMatchesThisBuild(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".custom-gcl.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var custom struct {
		Version string `yaml:"version"`
		Plugins []struct {
			Module, Import, Path, Version string
		} `yaml:"plugins"`
	}
	if err := yaml.Unmarshal(data, &custom); err != nil {
		t.Fatal(err)
	}

	modData, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := modfile.Parse("go.mod", modData, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pinned string
	for _, r := range mod.Require {
		if r.Mod.Path == "github.com/golangci/golangci-lint/v2" {
			pinned = r.Mod.Version
		}
	}
	if pinned == "" || custom.Version != pinned {
		t.Errorf(".custom-gcl.yml has version %q, integration/golangci/go.mod requires golangci-lint %q", custom.Version, pinned)
	}

	mainSrc, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(custom.Plugins) != 1 {
		t.Fatalf(".custom-gcl.yml has %d plugins, want 1", len(custom.Plugins))
	}
	p := custom.Plugins[0]
	if p.Module != "github.com/imagetaglint/imagetaglint" || p.Path != "." || p.Version != "" {
		t.Errorf(".custom-gcl.yml plugin = %+v, want module github.com/imagetaglint/imagetaglint at path .", p)
	}
	if !regexp.MustCompile(`(?m)^\s*_ "` + regexp.QuoteMeta(p.Import) + `"$`).Match(mainSrc) {
		t.Errorf("main.go does not blank-import %q, the import of .custom-gcl.yml", p.Import)
	}
}
