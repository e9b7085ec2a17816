// Package helmunknownkey reproduces a real bug: the suite loads its image and
// installs the chart in ./chart with --set image.repository/image.tag, keys
// the chart does not have (its values are under controller.image). helm
// ignores unknown keys silently, so the chart's default registry image runs.
package helmunknownkey

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

const (
	repository = "localhost/operator"
	tag        = "e2e"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	clusterName := envconf.RandomName("unknownkey", 16)
	image := repository + ":" + tag
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadImageToCluster(clusterName, image),
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
			helm.WithName("operator"),
			helm.WithChart("chart"),
			helm.WithNamespace("operator-system"),
			helm.WithArgs("--create-namespace"),
			// BUG: chart/values.yaml has no image.repository (it is controller.image.repository); helm ignores the key
			helm.WithArgs("--set", "image.repository="+repository), // want `helm install sets image\.repository, which chart "chart" does not have`
			// BUG: chart/values.yaml has no image.tag (it is controller.image.tag); the default ghcr.io/acme/operator:2.0.0 runs
			helm.WithArgs("--set", "image.tag="+tag), // want `helm install sets image\.tag, which chart "chart" does not have`
			helm.WithWait(),
		)
		return ctx, err
	}
}
