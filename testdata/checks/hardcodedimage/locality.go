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

// The package loads datastorage under its build tag, so the repository is
// made here: the unqualified constants below name tags nobody made.
func loadDataStorage(ctx context.Context, cluster string) error {
	return exec.CommandContext(ctx, "kind", "load", "docker-image", "datastorage:dev", "--name", cluster).Run()
}

// Docker Hub's library namespace holds only Docker's official images: an
// unqualified name that is not one cannot be pulled, whatever the policy,
// and this package makes its repository.
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

// A rollout to an image that exists nowhere, on purpose (sigs.k8s.io/lws
// v0.8.0, test/e2e/e2e_test.go): no build, load or re-tag of the package
// and no build of the repository makes "not-exist-image", so it is not
// this run's image, though no registry serves it.
func rollOutMissingImage(pod *corev1.Pod) {
	pod.Spec.Containers[0].Image = "not-exist-image:v1"
}

// Its twins: the package loads the repository under another tag, so the
// tag deployed is one that was never made. In the same flow the deploy
// differs from the load, which image-mismatch reports.
func loadRolloutImage(ctx context.Context, cluster string) error {
	return exec.CommandContext(ctx, "kind", "load", "docker-image", "rollout-image:v2", "--name", cluster).Run()
}

func rollOutUnloadedTag(pod *corev1.Pod) {
	pod.Spec.Containers[0].Image = "rollout-image:v1" // want `hardcoded image "rollout-image:v1" in container spec`
}

func loadAndRollOutOtherTag(ctx context.Context, cluster string, pod *corev1.Pod) error {
	if err := exec.CommandContext(ctx, "kind", "load", "docker-image", "rollout-image:v2", "--name", cluster).Run(); err != nil {
		return err
	}
	pod.Spec.Containers[0].Image = "rollout-image:v1" // want `deployed image "rollout-image:v1" is not the image built and loaded here \("rollout-image:v2"\) \[image-mismatch\]`
	return nil
}
