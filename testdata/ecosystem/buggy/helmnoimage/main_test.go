// Package helmnoimage reproduces a real bug: the suite builds an image and
// loads it with envfuncs, then installs the chart without passing the image,
// so the chart's default registry image (ghcr.io/acme/app:1.4.0) runs and the
// code under test never does.
package helmnoimage

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/support/kind"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

const image = "localhost/app:e2e"

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	clusterName := envconf.RandomName("helmnoimage", 16)
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		// BUG: loaded, but the helm install below passes no image: the chart's default ghcr.io/acme/app:1.4.0 runs
		envfuncs.LoadImageToCluster(clusterName, image), // want `"localhost/app:e2e" is built and loaded here but never deployed, while this suite deploys with installChart`
		envfuncs.CreateNamespace("app"),
		installChart(),
	)
	testenv.Finish(envfuncs.DestroyCluster(clusterName))
	os.Exit(testenv.Run(m))
}

func buildImage(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "docker", "build", "-t", ref, "../../app").Run()
	}
}

func installChart() env.Func {
	return func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		err := helm.New(cfg.KubeconfigFile()).RunInstall(
			helm.WithName("app"),
			helm.WithChart("../../charts/app"),
			helm.WithNamespace("app"),
			helm.WithWait(),
		)
		return ctx, err
	}
}
