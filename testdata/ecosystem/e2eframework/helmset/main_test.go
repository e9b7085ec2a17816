// Package helmset is an e2e-framework suite that builds the image named by
// E2E_IMAGE, loads it with envfuncs and installs a chart with that image in
// --set image.repository and image.tag, split with distribution/reference.
// Correct: nothing here may be reported.
package helmset

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/distribution/reference"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/support/kind"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	image := os.Getenv("E2E_IMAGE")
	if image == "" {
		image = "localhost:5000/app:e2e"
	}
	testenv = env.New()
	clusterName := envconf.RandomName("helmset", 16)
	namespace := envconf.RandomName("ns", 16)
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadDockerImageToCluster(clusterName, image),
		envfuncs.CreateNamespace(namespace),
		installChart(image),
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

// installChart installs ../../charts/app, whose values.yaml has
// image.repository and image.tag, with the loaded image.
func installChart(image string) env.Func {
	return func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		named, err := reference.ParseNormalizedNamed(image)
		if err != nil {
			return ctx, err
		}
		tagged, ok := reference.TagNameOnly(named).(reference.NamedTagged)
		if !ok {
			return ctx, fmt.Errorf("image %q has a digest; the chart takes a tag", image)
		}
		manager := helm.New(cfg.KubeconfigFile())
		err = manager.RunInstall(
			helm.WithName("app"),
			helm.WithChart("../../charts/app"),
			helm.WithNamespace(cfg.Namespace()),
			helm.WithArgs("--set", "image.repository="+reference.FamiliarName(tagged)),
			helm.WithArgs("--set", "image.tag="+tagged.Tag(), "--set", "image.pullPolicy=Never"),
			helm.WithWait(),
			helm.WithTimeout("2m"),
		)
		return ctx, err
	}
}
