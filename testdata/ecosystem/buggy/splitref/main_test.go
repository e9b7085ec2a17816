// Package splitref reproduces a real bug: the image reference is split by
// hand on ":" into repository and tag for the chart. With a registry that has
// a port (E2E_IMAGE=localhost:5000/app:e2e) the repository becomes
// "localhost" and the tag "5000/app"; with a digest it breaks too.
// github.com/distribution/reference splits it right (see ../../e2eframework/helmset).
package splitref

import (
	"context"
	"log"
	"os"
	"os/exec"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/cli"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/pkg/features"
	"sigs.k8s.io/e2e-framework/support/kind"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

var (
	testenv     env.Environment
	image       = os.Getenv("E2E_IMAGE")
	clusterName = envconf.RandomName("splitref", 16)
)

func TestMain(m *testing.M) {
	testenv = env.New()
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadImageToCluster(clusterName, image),
		installWithSet(image),
	)
	testenv.Finish(envfuncs.DestroyCluster(clusterName))
	os.Exit(testenv.Run(m))
}

func buildImage(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "docker", "build", "-t", ref, "../../app").Run()
	}
}

// installWithSet passes the parts to the helm CLI as --set values.
func installWithSet(image string) env.Func {
	return func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		// BUG: cuts at the first ":", the registry port of localhost:5000/app:e2e; flows into image.repository and image.tag below
		repo, tag, _ := strings.Cut(image, ":") // want `strings\.Cut splits an image reference on ":" by hand`
		err := helm.New(cfg.KubeconfigFile()).RunInstall(
			helm.WithName("app"),
			helm.WithChart("../../charts/app"),
			helm.WithNamespace("default"),
			helm.WithArgs("--set", "image.repository="+repo, "--set", "image.tag="+tag),
		)
		return ctx, err
	}
}

// TestUpgradeSDK upgrades the release with the helm Go SDK, splitting the
// reference the same wrong way into the values map.
func TestUpgradeSDK(t *testing.T) {
	f := features.New("upgrade").
		Assess("upgrades with the loaded image", func(ctx context.Context, t *testing.T, envCfg *envconf.Config) context.Context {
			settings := cli.New()
			settings.KubeConfig = envCfg.KubeconfigFile()
			cfg := new(action.Configuration)
			if err := cfg.Init(settings.RESTClientGetter(), "default", "", log.Printf); err != nil {
				t.Fatal(err)
			}
			chrt, err := loader.Load("../../charts/app")
			if err != nil {
				t.Fatal(err)
			}
			// BUG: parts[0] is "localhost" for localhost:5000/app:e2e; flows into image.repository and image.tag of the values map
			parts := strings.Split(image, ":") // want `strings\.Split splits an image reference on ":" by hand`
			vals := map[string]interface{}{
				"image": map[string]interface{}{"repository": parts[0], "tag": parts[len(parts)-1]},
			}
			if _, err := action.NewUpgrade(cfg).Run("app", chrt, vals); err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}
