//go:build e2e

// Package e2e builds the app image with the Makefile, loads it into a fresh
// Kind cluster in TestMain, and installs it with charts/app in a feature.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/support/kind"
)

var (
	testenv env.Environment

	// The chart takes the image in two values, so the suite keeps it in two parts.
	imageRepository = "example.com/app"
	imageTag        = "e2e"
	image           = imageRepository + ":" + imageTag
)

func TestMain(m *testing.M) {
	testenv = env.New()
	clusterName := envconf.RandomName("app-e2e", 16)
	namespace := envconf.RandomName("app", 10)

	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadImageToCluster(clusterName, image), // want `"example.com/app:e2e" is built and loaded here but never deployed, while this suite deploys with helm install`
		envfuncs.CreateNamespace(namespace),
	)
	testenv.Finish(
		envfuncs.DeleteNamespace(namespace),
		envfuncs.DestroyCluster(clusterName),
	)
	os.Exit(testenv.Run(m))
}

// buildImage runs the Makefile's docker-build target from the module root.
func buildImage(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		cmd := exec.CommandContext(ctx, "make", "docker-build", "IMG="+ref)
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			return ctx, fmt.Errorf("make docker-build: %w: %s", err, out)
		}
		return ctx, nil
	}
}
