package imagemismatch

import (
	"context"
	"fmt"
	"io"
	"time"

	"imagetaglint.test/e2e/kit"
)

// deployDataStorageLatest takes no image: it builds and deploys its own,
// under a fixed tag that every parallel suite shares.
func deployDataStorageLatest(ctx context.Context, namespace string, w io.Writer) error {
	if err := kit.Build("localhost/kubernaut/datastorage:latest", w); err != nil {
		return err
	}
	return kit.Deploy(ctx, namespace, "datastorage", "localhost/kubernaut/datastorage:latest") // want `"localhost/kubernaut/datastorage:latest" is built on the host and deployed by Deploy, but nothing loads it into the cluster \(this package loads images into it\) nor pushes it`
}

// The flow builds and loads a fresh datastorage image, and the helper
// deploys its own: the fresh one never runs.
func SetupWithOwnHelper(ctx context.Context, cluster string, w io.Writer) error { // want SetupWithOwnHelper:"build\\(\"localhost/kubernaut/datastorage:latest\"\\) deploy\\(\"localhost/kubernaut/datastorage:latest\"\\) deploys$"
	image := fmt.Sprintf("localhost/kubernaut/datastorage:e2e-%d", time.Now().Unix())
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return deployDataStorageLatest(ctx, "ds-e2e", w) // want `deployDataStorageLatest deploys "localhost/kubernaut/datastorage:latest" \(Deploy at helpers.go:18\), not the image built and loaded here \("localhost/kubernaut/datastorage:<run-time tag>"\) \[image-mismatch\]`
}

// Negative: the helper deploys what it is given.
func deployDataStorage(ctx context.Context, namespace, image string) error {
	return kit.Deploy(ctx, namespace, "datastorage", image)
}

func SetupWithHelper(ctx context.Context, cluster string, w io.Writer) error { // want SetupWithHelper:"deploys$"
	image := fmt.Sprintf("localhost/kubernaut/datastorage:e2e-%d", time.Now().Unix())
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return deployDataStorage(ctx, "ds-e2e", image)
}
