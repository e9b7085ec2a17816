package analyzer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
)

// TestKustomizeRewrite applies a kustomization's images: entries as
// kustomize does, matching the name as written, digests included.
func TestKustomizeRewrite(t *testing.T) {
	rewrite := kustomizeRewrite([]manifest.KustomizeImage{
		{Name: "controller", NewName: "localhost/op", NewTag: "e2e"},
		{Name: "localhost:5000/app", TagSuffix: "-dev"},
		{Name: "pinned", Digest: "sha256:" + sha},
	})
	for in, want := range map[string]string{
		"controller:latest":               "localhost/op:e2e",
		"controller":                      "localhost/op:e2e",
		"controller@sha256:" + sha:        "localhost/op:e2e",
		"localhost:5000/app:1":            "localhost:5000/app:1-dev",
		"pinned:1":                        "pinned@sha256:" + sha,
		"other:1@sha256:" + sha:           "other:1@sha256:" + sha,
		"docker.io/library/controller:v1": "docker.io/library/controller:v1", // not the name as written
	} {
		if got := rewrite(in); got != want {
			t.Errorf("rewrite(%q) = %q, want %q", in, got, want)
		}
	}
}

const sha = "0000000000000000000000000000000000000000000000000000000000000000"

// The process-wide caches of module files and charts see an edit: a
// long-running driver analyses the file as it is now.
func TestCachesSeeEdits(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string, age time.Duration) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		// Distinct modification times, whatever the file system's
		// granularity.
		when := time.Now().Add(-age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}

	manifest := filepath.Join(root, "deploy.yaml")
	write("deploy.yaml", "image: a:1\n", time.Hour)
	if data, err := readCached(manifest); err != nil || string(data) != "image: a:1\n" {
		t.Fatalf("first read: %q, %v", data, err)
	}
	write("deploy.yaml", "image: b:2\n", 0) // same size, later
	if data, err := readCached(manifest); err != nil || string(data) != "image: b:2\n" {
		t.Errorf("after the edit: %q, %v; want the new content", data, err)
	}
	missing := filepath.Join(root, "later.yaml")
	if _, err := readCached(missing); err == nil {
		t.Fatal("read a file that does not exist")
	}
	write("later.yaml", "image: c:3\n", 0)
	if data, err := readCached(missing); err != nil || string(data) != "image: c:3\n" {
		t.Errorf("after the file appeared: %q, %v", data, err)
	}

	write("chart/Chart.yaml", "apiVersion: v2\nname: first\nversion: 0.1.0\n", time.Hour)
	write("chart/values.yaml", "image:\n  tag: e2e\n", time.Hour)
	dir := filepath.Join(root, "chart")
	if c := loadChartCached(root, dir); c == nil || c.Name != "first" {
		t.Fatalf("first load: %+v", c)
	}
	write("chart/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n", 0)
	if c := loadChartCached(root, dir); c == nil || c.Name != "other" {
		t.Errorf("after editing Chart.yaml: %+v; want the chart named other", c)
	}
	if c := loadChartCached(root, dir); c == nil || c.Name != "other" {
		t.Errorf("unchanged chart: %+v", c)
	}
}

// TestGitRestorePaths reads the git command lines that put files back to
// their committed content, and only those.
func TestGitRestorePaths(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"git checkout -- a.yaml b", []string{"a.yaml", "b"}},
		{"git checkout HEAD -- a.yaml", []string{"a.yaml"}},
		{"git checkout -q a.yaml", []string{"a.yaml"}},
		{"git checkout HEAD a.yaml", []string{"a.yaml"}},
		{"/usr/bin/git restore config/", []string{"config/"}},
		{"git restore --source=HEAD --worktree --staged -- a.yaml", []string{"a.yaml"}},
		{"git restore -s HEAD a.yaml", []string{"a.yaml"}},
		{"git checkout v1.0 -- a.yaml", nil},      // another revision's content
		{"git restore --source v1.0 a.yaml", nil}, // the same
		{"git restore --staged a.yaml", nil},      // the index only
		{"git checkout -b topic", nil},
		{"git checkout", nil},
		{"git -C repo restore a.yaml", nil},
		{"git status a.yaml", nil},
		{"kubectl apply -f a.yaml", nil},
	} {
		var argv []command.Word
		for _, w := range strings.Fields(tc.line) {
			argv = append(argv, command.Lit(w))
		}
		got, ok := gitRestorePaths(argv)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("gitRestorePaths(%s) = %q, %v; want %q", tc.line, got, ok, tc.want)
		}
	}
	if _, ok := gitRestorePaths([]command.Word{command.Lit("git"), command.Lit("restore"), command.Dyn(0)}); ok {
		t.Error("a run-time path is restored")
	}
}
