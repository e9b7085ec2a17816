package hardcodedimage

import (
	"context"
	"os/exec"

	corev1 "k8s.io/api/core/v1"
)

// A public image pulled and preloaded into Kind, then run with pull policy
// Never: a common, correct practice, not a local build.
func preloadPause(ctx context.Context, cluster string) (corev1.Container, error) {
	if err := exec.CommandContext(ctx, "docker", "pull", "registry.k8s.io/pause:3.9").Run(); err != nil {
		return corev1.Container{}, err
	}
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "registry.k8s.io/pause:3.9", "--name", cluster).Run(); err != nil {
		return corev1.Container{}, err
	}
	return corev1.Container{Name: "pause", Image: "registry.k8s.io/pause:3.9", ImagePullPolicy: corev1.PullNever}, nil
}

// Docker Hub's library namespace holds only Docker's official images: an
// unqualified name that is not one cannot be pulled, whatever the policy.
//
// want +9 `hardcoded image "datastorage:e2e" in manifest`
const unofficialWithoutPolicy = `
apiVersion: v1
kind: Pod
metadata:
  name: datastorage
spec:
  containers:
  - name: datastorage
    image: datastorage:e2e
`

func officialImages() []corev1.Container {
	return []corev1.Container{
		{Name: "redis", Image: "redis:7"},
		{Name: "postgres", Image: "postgres:16-alpine", ImagePullPolicy: corev1.PullNever},
		{Name: "datastorage", Image: "datastorage:e2e-test"}, // want `hardcoded image "datastorage:e2e-test" in container spec`
	}
}
