// Package unofficial runs with -unofficial-local=false: an unqualified
// name is no longer local by itself; a local registry or pull policy Never
// still is.
package unofficial

import (
	"context"
	"os/exec"

	corev1 "k8s.io/api/core/v1"
)

// datastorage is loaded here under another tag: without the setting, the
// first constant below would be local.
func loadDataStorage(ctx context.Context) error {
	return exec.CommandContext(ctx, "kind", "load", "docker-image", "datastorage:dev").Run()
}

func containers() []corev1.Container {
	return []corev1.Container{
		{Name: "datastorage", Image: "datastorage:e2e"},
		{Name: "gateway", Image: "gateway:e2e", ImagePullPolicy: corev1.PullNever}, // want `hardcoded image "gateway:e2e" in container spec`
		{Name: "notification", Image: "localhost/notification:e2e"},                // want `hardcoded image "localhost/notification:e2e" in container spec`
	}
}
