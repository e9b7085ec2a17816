//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/e2e-framework/klient/wait"
	"sigs.k8s.io/e2e-framework/klient/wait/conditions"
	"sigs.k8s.io/e2e-framework/pkg/envconf"
	"sigs.k8s.io/e2e-framework/pkg/features"
	"sigs.k8s.io/e2e-framework/third_party/helm"
)

const releaseName = "app"

func TestApp(t *testing.T) {
	app := features.New("app chart").
		Setup(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			manager := helm.New(cfg.KubeconfigFile())
			err := manager.RunInstall( // want `deployed image "example.com/app:v0.1.0" is not the image built and loaded here \("example.com/app:e2e"\)`
				helm.WithName(releaseName),
				helm.WithNamespace(cfg.Namespace()),
				helm.WithChart("../../charts/app"),
				helm.WithArgs("--set", "image.repository="+imageRepository, "--set", "image.tag=v0.1.0"), // PLANTED: not the tag TestMain built and loaded
				helm.WithArgs("--set", "service.port=8080"),
				helm.WithWait(),
				helm.WithTimeout("3m"),
			)
			if err != nil {
				t.Fatalf("helm install: %v", err)
			}
			return ctx
		}).
		Assess("the deployment becomes available", func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			dep := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: releaseName, Namespace: cfg.Namespace()}}
			available := conditions.New(cfg.Client().Resources()).
				DeploymentConditionMatch(dep, appsv1.DeploymentAvailable, corev1.ConditionTrue)
			if err := wait.For(available, wait.WithTimeout(3*time.Minute)); err != nil {
				t.Fatalf("deployment %s: %v", releaseName, err)
			}
			return ctx
		}).
		Teardown(func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			manager := helm.New(cfg.KubeconfigFile())
			if err := manager.RunUninstall(helm.WithName(releaseName), helm.WithNamespace(cfg.Namespace())); err != nil {
				t.Errorf("helm uninstall: %v", err)
			}
			return ctx
		}).
		Feature()

	testenv.Test(t, app)
}
