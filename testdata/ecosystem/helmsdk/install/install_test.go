// Package install builds an image, loads it into the kind cluster through the
// e2e-framework provider interface and installs a chart with the helm Go SDK,
// passing that image in the values map. Correct: nothing here may be reported.
package install

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"testing"

	"github.com/distribution/reference"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/cli"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/pkg/features"
	"sigs.k8s.io/e2e-framework/support"
	"sigs.k8s.io/e2e-framework/support/kind"
)

const (
	clusterName = "helmsdk"
	namespace   = "app"
	image       = "localhost/app:e2e"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	testenv.Setup(envfuncs.CreateCluster(kind.NewProvider(), clusterName))
	testenv.Finish(envfuncs.DestroyCluster(clusterName))
	os.Exit(testenv.Run(m))
}

func TestInstall(t *testing.T) {
	f := features.New("helm install").
		Setup(func(ctx context.Context, t *testing.T, _ *envconf.Config) context.Context {
			if err := exec.CommandContext(ctx, "docker", "build", "-t", image, "../../app").Run(); err != nil {
				t.Fatal(err)
			}
			if err := loadImage(ctx, clusterName, image); err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Assess("installs and upgrades", func(ctx context.Context, t *testing.T, envCfg *envconf.Config) context.Context {
			settings := cli.New()
			settings.KubeConfig = envCfg.KubeconfigFile()
			cfg := new(action.Configuration)
			if err := cfg.Init(settings.RESTClientGetter(), namespace, os.Getenv("HELM_DRIVER"), log.Printf); err != nil {
				t.Fatal(err)
			}
			chrt, err := loader.Load("../../charts/app")
			if err != nil {
				t.Fatal(err)
			}
			vals, err := imageValues(image)
			if err != nil {
				t.Fatal(err)
			}
			install := action.NewInstall(cfg)
			install.ReleaseName = "app"
			install.Namespace = namespace
			install.CreateNamespace = true
			install.Wait = true
			if _, err := install.Run(chrt, vals); err != nil {
				t.Fatal(err)
			}

			vals["replicaCount"] = 2
			upgrade := action.NewUpgrade(cfg)
			upgrade.Namespace = namespace
			if _, err := upgrade.RunWithContext(ctx, "app", chrt, vals); err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}

// loadImage loads ref into a cluster that e2e-framework created and stored in
// ctx.
func loadImage(ctx context.Context, cluster, ref string) error {
	provider, ok := envfuncs.GetClusterFromContext(ctx, cluster)
	if !ok {
		return fmt.Errorf("no cluster %q in context", cluster)
	}
	loader, ok := provider.(support.E2EClusterProviderWithImageLoader)
	if !ok {
		return fmt.Errorf("cluster %q cannot load images", cluster)
	}
	return loader.LoadImage(ctx, ref)
}

// imageValues sets the chart's image.repository and image.tag to ref.
func imageValues(ref string) (map[string]interface{}, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return nil, err
	}
	tagged, ok := reference.TagNameOnly(named).(reference.NamedTagged)
	if !ok {
		return nil, fmt.Errorf("image %q has a digest; the chart takes a tag", ref)
	}
	return map[string]interface{}{
		"image": map[string]interface{}{
			"repository": reference.FamiliarName(tagged),
			"tag":        tagged.Tag(),
			"pullPolicy": "Never",
		},
	}, nil
}
