// Package restore is a Ginkgo suite that rewrites a manifest of the
// repository in place to set the image BeforeSuite built and loaded,
// applies it, and restores it: an ordered container's spec that applies
// the file after another restored it deploys the file as written again.
package restore

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	. "github.com/onsi/ginkgo/v2"
)

const (
	image    = "example.com/restore:v0.1.0"
	manifest = "testdata/app.yaml"
)

func TestSuite(t *testing.T) {
	RunSpecs(t, "restore")
}

var _ = BeforeSuite(func() {
	_ = exec.Command("docker", "build", "-t", image, ".").Run()
	_ = exec.Command("kind", "load", "docker-image", image).Run()
})

// The third spec applies the manifest the second restored: the published
// tag again.
var _ = Describe("phases", Ordered, func() {
	BeforeAll(func() {
		orig, _ := os.ReadFile(manifest)
		_ = os.WriteFile(manifest, bytes.ReplaceAll(orig, []byte("example.com/restore:latest"), []byte(image)), 0o644)
	})
	It("deploys the rewritten manifest", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run()
	})
	It("restores it", func() {
		_ = exec.Command("git", "checkout", "--", manifest).Run()
	})
	It("deploys it again", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run() // want `kubectl apply deploys "example.com/restore:latest" \(testdata/app.yaml:10\), not the image built and loaded \("example.com/restore:v0.1.0"\) \[image-mismatch\]`
	})
})

// Negatives.

// The restore is the teardown: every apply deploys the rewritten file.
var _ = Describe("teardown", Ordered, func() {
	BeforeAll(func() {
		orig, _ := os.ReadFile(manifest)
		_ = os.WriteFile(manifest, bytes.ReplaceAll(orig, []byte("example.com/restore:latest"), []byte(image)), 0o644)
	})
	It("deploys", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run()
	})
	It("deploys again", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run()
	})
	AfterAll(func() {
		_ = exec.Command("git", "restore", manifest).Run()
	})
})

// Sibling specs run each alone after BeforeEach rewrote the file: one
// restoring it says nothing of the other.
var _ = Describe("siblings", func() {
	BeforeEach(func() {
		orig, _ := os.ReadFile(manifest)
		_ = os.WriteFile(manifest, bytes.ReplaceAll(orig, []byte("example.com/restore:latest"), []byte(image)), 0o644)
	})
	It("restores", func() {
		_ = exec.Command("git", "restore", manifest).Run()
	})
	It("deploys", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run()
	})
})

// A restore that may not run (in a branch, in a goroutine) restores
// nothing for sure.
var _ = Describe("maybe restored", Ordered, func() {
	BeforeAll(func() {
		orig, _ := os.ReadFile(manifest)
		_ = os.WriteFile(manifest, bytes.ReplaceAll(orig, []byte("example.com/restore:latest"), []byte(image)), 0o644)
	})
	It("may restore", func() {
		if os.Getenv("RESTORE") != "" {
			_ = exec.Command("git", "restore", manifest).Run()
		}
		go exec.Command("git", "restore", manifest).Run()
	})
	It("deploys", func() {
		_ = exec.Command("kubectl", "apply", "-f", manifest).Run()
	})
})
