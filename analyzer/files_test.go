package analyzer

import (
	"testing"

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
