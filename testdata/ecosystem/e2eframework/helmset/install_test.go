package helmset

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
)

func TestRelease(t *testing.T) {
	release := features.New("app release").
		Assess("deployment becomes available", func(ctx context.Context, t *testing.T, cfg *envconf.Config) context.Context {
			dep := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: cfg.Namespace()}}
			cond := conditions.New(cfg.Client().Resources()).
				DeploymentConditionMatch(dep, appsv1.DeploymentAvailable, corev1.ConditionTrue)
			if err := wait.For(cond, wait.WithTimeout(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			return ctx
		}).
		Feature()
	testenv.Test(t, release)
}
