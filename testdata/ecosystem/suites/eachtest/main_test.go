// Package eachtest loads its image in the environment's BeforeEachTest,
// which runs before each test, and unloads nothing in AfterEachTest, which
// runs after it: each test deploys against what BeforeEachTest loaded.
package eachtest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	testenv.BeforeEachTest(func(ctx context.Context, cfg *envconf.Config, t *testing.T) (context.Context, error) {
		return envfuncs.LoadImageToCluster("kind", "localhost/each:e2e")(ctx, cfg)
	})
	testenv.AfterEachTest(func(ctx context.Context, cfg *envconf.Config, t *testing.T) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "kubectl", "delete", "pod", "each").Run()
	})
	os.Exit(testenv.Run(m))
}

// The image BeforeEachTest loaded: silent.
func TestLoaded(t *testing.T) {
	_ = exec.Command("kubectl", "run", "each", "--image=localhost/each:e2e").Run()
}

// Another tag of it.
func TestOtherTag(t *testing.T) {
	_ = exec.Command("kubectl", "run", "each", "--image=localhost/each:v2").Run() // want `deployed image "localhost/each:v2" is not the image built and loaded here \("localhost/each:e2e"\)`
}
