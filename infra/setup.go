package infra

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// App is one service of a suite: the image to build and the Deployment
// that runs it. The image's repository is the Service's Name.
type App struct {
	Service
	Source
}

// SetupOptions configures Setup.
type SetupOptions struct {
	// Builder builds and loads the apps' images.
	Builder
	Namespace string
	Client    kubernetes.Interface
	// Apps are built, then deployed, in order.
	Apps []App
}

// Setup builds every app's image, loads it into the Kind cluster and
// checks every node for it, then deploys each app into the namespace,
// creating it if needed. The Kind cluster must exist. Nothing is deployed
// unless every image is in every node.
//
// Each image goes through phases 0 to 3 in one Builder.BuildAndLoad call,
// and phase 4 deploys the Image that call returned: no reference is
// written, generated again or re-tagged between build and deploy.
func Setup(ctx context.Context, opts SetupOptions) error {
	if opts.Client == nil || opts.Namespace == "" {
		return errors.New("infra: SetupOptions needs Client and Namespace")
	}
	specs := make([]ImageSpec, len(opts.Apps))
	for i, app := range opts.Apps {
		specs[i] = ImageSpec{Name: app.Name, Source: app.Source}
	}

	// Phases 0-3.
	imgs, err := opts.BuildAndLoad(ctx, specs...)
	if err != nil {
		return err
	}

	// Phase 4.
	if err := createNamespace(ctx, opts.Client, opts.Namespace); err != nil {
		return err
	}
	for i, app := range opts.Apps {
		if err := DeployService(ctx, opts.Client, opts.Namespace, app.Service, imgs[i]); err != nil {
			return err
		}
	}
	return nil
}

// createNamespace creates the namespace unless it exists.
func createNamespace(ctx context.Context, client kubernetes.Interface, name string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	_, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("infra: create namespace %s: %w", name, err)
	}
	return nil
}
