// Package unloadedimage holds unloaded-image cases: a local image built on
// the host and deployed to a cluster that only runs what is loaded into
// it, with nothing loading or pushing it.
package unloadedimage

import (
	"context"
	"fmt"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

const image = "localhost/kubernaut/gateway:e2e"

// Built and deployed; the load was forgotten. The package loads other
// images into its Kind cluster, so the cluster does not see the host's.
func SetupGateway(ctx context.Context, w io.Writer) error { // want SetupGateway:"build\\(\"localhost/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:e2e\"\\) deploys$"
	if err := kit.Build(image, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", image) // want `"localhost/kubernaut/gateway:e2e" is built on the host and deployed by Deploy, but nothing loads it into the cluster \(this package loads images into it\) nor pushes it: its pods fail with ErrImagePull, or ErrImageNeverPull under imagePullPolicy: Never; load it after the build \[unloaded-image\]`
}

// The kubebuilder scaffold's flow, through make, without its kind load.
func SetupManager() error { // want SetupManager:"build\\(\"example\\.com/memcached-operator:v0\\.0\\.1\"\\) deploy\\(\"example\\.com/memcached-operator:v0\\.0\\.1\"\\) deploys$"
	managerImage := "example.com/memcached-operator:v0.0.1"
	if err := exec.Command("make", "docker-build", fmt.Sprintf("IMG=%s", managerImage)).Run(); err != nil {
		return err
	}
	return exec.Command("make", "deploy", fmt.Sprintf("IMG=%s", managerImage)).Run() // want `"example.com/memcached-operator:v0.0.1" is built on the host and deployed by make deploy, but nothing loads it`
}

// Negatives.

const notifier = "localhost/kubernaut/notifier:e2e"

// Built, loaded, deployed.
func SetupLoaded(ctx context.Context, cluster string, w io.Writer) error { // want SetupLoaded:"build\\(\"localhost/kubernaut/notifier:e2e\"\\) load\\(\"localhost/kubernaut/notifier:e2e\"\\) deploy\\(\"localhost/kubernaut/notifier:e2e\"\\) deploys$"
	if err := kit.Build(notifier, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, notifier, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "notifier-e2e", "notifier", notifier)
}

// Loaded after the deploy, by the caller: the pod starts once the image
// arrives.
func deployNotifier(ctx context.Context, w io.Writer) error {
	if err := kit.Build(notifier, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "notifier-e2e", "notifier", notifier)
}

func SetupLoadedLate(ctx context.Context, cluster string, w io.Writer) error { // want SetupLoadedLate:"build\\(\"localhost/kubernaut/notifier:e2e\"\\) deploy\\(\"localhost/kubernaut/notifier:e2e\"\\) load\\(\"localhost/kubernaut/notifier:e2e\"\\) deploys$"
	if err := deployNotifier(ctx, w); err != nil {
		return err
	}
	return kit.Load(cluster, notifier, w)
}

// A registry with a port: something else pushes to the local registry.
func SetupLocalRegistry(ctx context.Context, w io.Writer) error { // want SetupLocalRegistry:"build\\(\"localhost:5001/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost:5001/kubernaut/gateway:e2e\"\\) deploys$"
	const pushed = "localhost:5001/kubernaut/gateway:e2e"
	if err := kit.Build(pushed, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", pushed)
}

// A public registry: pulled from there (pushed by CI or a release).
func SetupPublished(ctx context.Context, w io.Writer) error { // want SetupPublished:"build\\(\"ghcr\\.io/kubernaut/gateway:e2e\"\\) deploy\\(\"ghcr\\.io/kubernaut/gateway:e2e\"\\) deploys$"
	const published = "ghcr.io/kubernaut/gateway:e2e"
	if err := kit.Build(published, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", published)
}

// Built only: nothing is deployed.
func BuildOnly(w io.Writer) error { // want BuildOnly:"build\\(\"localhost/kubernaut/builder:e2e\"\\)"
	return kit.Build("localhost/kubernaut/builder:e2e", w)
}

// A third-party image deployed, nothing built.
func SetupRedis(ctx context.Context) error { // want SetupRedis:"deploy\\(\"redis:7\"\\) deploys$"
	return kit.Deploy(ctx, "redis", "redis", "redis:7")
}
