// Package e2e is a suite that only calls e2e-framework's loader and helm
// manager: no os/exec, no core API types, no manifest string.
package e2e

import (
	"context"
	"os"
	"testing"

	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/envfuncs"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

var testenv env.Environment

func TestMain(m *testing.M) {
	testenv = env.New()
	testenv.Setup(
		envfuncs.LoadImageToCluster("kind", "localhost/app:e2e"),
		installChart,
	)
	os.Exit(m.Run())
}

func installChart(ctx context.Context, c any) (context.Context, error) {
	cfg := c.(*envconf.Config)
	err := helm.New(cfg.KubeconfigFile()).RunInstall(
		helm.WithName("app"),
		helm.WithChart("../chart"),
		helm.WithArgs("--set", "image.repository=localhost/app", "--set", "image.tag=e2e"),
	)
	return ctx, err
}
