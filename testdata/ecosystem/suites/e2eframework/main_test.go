// Package e2eframework builds and loads its image in TestMain's
// testenv.Setup, and installs it in the features of its tests: the
// environment's setup runs before every test, its Finish after them.
package e2eframework

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/pkg/features"
	"sigs.k8s.io/e2e-framework/support/kind"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

var (
	testenv    env.Environment
	repository = "localhost/app"
	tag        = "e2e"
	image      = repository + ":" + tag
)

func TestMain(m *testing.M) {
	testenv = env.New()
	cluster := envconf.RandomName("suites", 16)
	testenv.Setup(
		build(image),
		envfuncs.CreateCluster(kind.NewProvider(), cluster),
		envfuncs.LoadImageToCluster(cluster, image),
	)
	testenv.Finish(envfuncs.DestroyCluster(cluster))
	os.Exit(testenv.Run(m))
}

func build(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "docker", "build", "-t", ref, "../../app").Run()
	}
}

// The feature installs what TestMain built and loaded: silent.
func TestInstall(t *testing.T) {
	f := features.New("install").
		Setup(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			err := helm.New(cfg.KubeconfigFile()).RunInstall(
				helm.WithName("app"),
				helm.WithChart("../../charts/app"),
				helm.WithArgs("--set", "image.repository="+repository, "--set", "image.tag="+tag),
			)
			if err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}

// Another tag of the image TestMain loaded.
func TestUpgrade(t *testing.T) {
	f := features.New("upgrade").
		Setup(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			err := helm.New(cfg.KubeconfigFile()).RunInstall( // want `deployed image "localhost/app:v2" is not the image built and loaded here \("localhost/app:e2e"\)`
				helm.WithName("app"),
				helm.WithChart("../../charts/app"),
				helm.WithArgs("--set", "image.repository="+repository, "--set", "image.tag=v2"),
			)
			if err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}

// An Assess runs after its feature's Setup: another tag deployed there is
// reported; the Teardown's uninstall deploys nothing.
func TestAssess(t *testing.T) {
	f := features.New("assess").
		Assess("upgraded", func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			if err := exec.CommandContext(ctx, "kubectl", "run", "app", "--image=localhost/app:v3").Run(); err != nil { // want `deployed image "localhost/app:v3" is not the image built and loaded here \("localhost/app:e2e"\)`
				t.Fatal(err)
			}
			return ctx
		}).
		Teardown(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			_ = helm.New(cfg.KubeconfigFile()).RunUninstall(helm.WithName("app"))
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}
