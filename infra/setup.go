package infra

import (
	"context"
	"errors"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// SetupOptions configures SetupServiceE2E.
type SetupOptions struct {
	// Consumer names the suite, e.g. "gateway"; both images' tags start
	// with it.
	Consumer    string
	ClusterName string
	Namespace   string
	Client      kubernetes.Interface
	// Engine and Runner are passed to BuildAndLoadImageToKind.
	Engine string
	Runner Runner
	// DataStorage builds the dependency's image.
	DataStorage Source
	// Service is the service under test, built from ServiceSource.
	Service       Service
	ServiceSource Source
}

// SetupServiceE2E builds a service and its DataStorage dependency, loads
// both into the Kind cluster and deploys them into the namespace, creating
// it if needed. The Kind cluster must exist.
//
// Each image goes through phases 0 to 3 in one BuildAndLoadImageToKind
// call, and phase 4 deploys the Image that call returned: no reference is
// written, generated again or re-tagged between build and deploy.
func SetupServiceE2E(ctx context.Context, opts SetupOptions, w io.Writer) error {
	if opts.Client == nil || opts.Namespace == "" || opts.Service.Name == "" {
		return errors.New("infra: SetupOptions needs Client, Namespace and Service.Name")
	}
	config := func(infrastructure string, src Source) E2EImageConfig {
		return E2EImageConfig{
			Infrastructure: infrastructure,
			Consumer:       opts.Consumer,
			Source:         src,
			ClusterName:    opts.ClusterName,
			Engine:         opts.Engine,
			Runner:         opts.Runner,
		}
	}

	// Phases 0-3.
	dataStorage, err := BuildAndLoadImageToKind(ctx, config(DataStorage.Name, opts.DataStorage), w)
	if err != nil {
		return err
	}
	service, err := BuildAndLoadImageToKind(ctx, config(opts.Service.Name, opts.ServiceSource), w)
	if err != nil {
		return err
	}

	// Phase 4.
	if err := createNamespace(ctx, opts.Client, opts.Namespace); err != nil {
		return err
	}
	if err := DeployDataStorage(ctx, opts.Client, opts.Namespace, dataStorage); err != nil {
		return err
	}
	return DeployService(ctx, opts.Client, opts.Namespace, opts.Service, service)
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
