// Package mutabletag reproduces a real bug: the suite builds and loads
// ghcr.io/acme/app:e2e, then applies testdata/app.yaml by path, which deploys
// ghcr.io/acme/app:latest: a mutable registry tag (pulled, since :latest means
// imagePullPolicy Always) instead of the image under test.
package mutabletag

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/pkg/features"
	"sigs.k8s.io/e2e-framework/support/kind"
)

const image = "ghcr.io/acme/app:e2e"

var (
	testenv     env.Environment
	clusterName = envconf.RandomName("mutabletag", 16)
)

func TestMain(m *testing.M) {
	testenv = env.New()
	testenv.Setup(
		buildImage(image),
		envfuncs.CreateCluster(kind.NewProvider(), clusterName),
		envfuncs.LoadImageToCluster(clusterName, image),
		// BUG: reported here, where the file that applyManifest applies is named
		applyManifest("testdata/app.yaml"), // want `applyManifest deploys "ghcr.io/acme/app:latest" \(testdata/app.yaml:\d+\), not the image built and loaded \("ghcr.io/acme/app:e2e"\)`
	)
	testenv.Finish(envfuncs.DestroyCluster(clusterName))
	os.Exit(testenv.Run(m))
}

func buildImage(ref string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		return ctx, exec.CommandContext(ctx, "docker", "build", "-t", ref, "../../app").Run()
	}
}

func applyManifest(path string) env.Func {
	return func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		// BUG: applies testdata/app.yaml, which deploys ghcr.io/acme/app:latest, not the loaded ghcr.io/acme/app:e2e
		cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", cfg.KubeconfigFile(), "apply", "-f", path)
		return ctx, cmd.Run()
	}
}

// TestReapply applies the same directory with klient's decoder.
func TestReapply(t *testing.T) {
	f := features.New("reapply").
		Setup(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			r, err := resources.New(cfg.Client().RESTConfig())
			if err != nil {
				t.Fatal(err)
			}
			// BUG: testdata/app.yaml deploys ghcr.io/acme/app:latest, not the loaded ghcr.io/acme/app:e2e
			if err := decoder.ApplyWithManifestDir(ctx, r, "testdata", "*.yaml", nil); err != nil { // want `deploys "ghcr.io/acme/app:latest" \(testdata/app.yaml:\d+\), not the image built and loaded \("ghcr.io/acme/app:e2e"\)`
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, f)
}
