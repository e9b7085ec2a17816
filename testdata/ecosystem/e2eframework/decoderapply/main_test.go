// Package decoderapply is an e2e-framework suite that builds an image, loads
// it into kind with envfuncs and applies manifests that deploy that image.
// Correct: nothing here may be reported.
package decoderapply

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/support/kind"
)

// image is the reference testdata/deployment.yaml deploys.
const image = "localhost/app:e2e"

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	clusterName := envconf.RandomName("decoder", 16)
	namespace := envconf.RandomName("ns", 16)
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadImageToCluster(clusterName, image),
		envfuncs.CreateNamespace(namespace),
	)
	testenv.Finish(
		envfuncs.DeleteNamespace(namespace),
		envfuncs.DestroyCluster(clusterName),
	)
	os.Exit(testenv.Run(m))
}

func buildImage(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "docker", "build", "-t", ref, "../../app").Run()
	}
}
