// Package symbolic holds images known in part: constant text around a
// run-time value. The same run-time value is the same image only under
// the same constant text.
package symbolic

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

var tag = flag.String("tag", "e2e", "image tag")

// The tag is the run's, the repositories differ: the loaded image never
// runs.
func SetupRegistry(cluster string, w io.Writer) error { // want SetupRegistry:"deploys$"
	local := "localhost/app:" + *tag
	if err := kit.Build(local, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, local, w); err != nil {
		return err
	}
	return kit.Deploy(context.TODO(), "app", "app", "quay.io/org/app:"+*tag) // want `deployed image "quay.io/org/app:<tag>" is not the image built and loaded here \("localhost/app:<tag>"\): the same run-time part under other constant text \[image-mismatch\]`
}

// The same through Sprintf, with a suffix.
func SetupSuffix(cluster string, w io.Writer) error { // want SetupSuffix:"deploys$"
	image := fmt.Sprintf("localhost/app:%s-amd64", *tag)
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return kit.Deploy(context.TODO(), "app", "app", fmt.Sprintf("localhost/app:%s-arm64", *tag)) // want `deployed image "localhost/app:<tag>-arm64" is not the image built and loaded here \("localhost/app:<tag>-amd64"\)`
}

// Negatives.

// One repository, spelled in its short and normal forms.
func SetupSame(cluster string, w io.Writer) error { // want SetupSame:"deploys$"
	if err := kit.Build("app:"+*tag, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, "app:"+*tag, w); err != nil {
		return err
	}
	return kit.Deploy(context.TODO(), "app", "app", "docker.io/library/app:"+*tag)
}

// The prefix held in a variable first.
func SetupHeld(cluster string, w io.Writer) error { // want SetupHeld:"deploys$"
	image := "localhost/app:" + *tag
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	deployed := "localhost/app:" + *tag
	return kit.Deploy(context.TODO(), "app", "app", deployed)
}

var previous = flag.String("previous", "v1.0.0", "the release an upgrade starts from")

// An upgrade: the published release first, then the run's build. Two
// run-time values: nothing to compare.
func SetupUpgrade(cluster string, w io.Writer) error { // want SetupUpgrade:"deploys$"
	local := "localhost/app:" + *tag
	if err := kit.Build(local, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, local, w); err != nil {
		return err
	}
	if err := kit.Deploy(context.TODO(), "app", "app", "quay.io/org/app:"+*previous); err != nil {
		return err
	}
	return kit.Deploy(context.TODO(), "app", "app", local)
}

// Re-tagged on the host under the published name before the load.
func SetupRetagged(cluster string, w io.Writer) error { // want SetupRetagged:"deploys$"
	local := "localhost/app:" + *tag
	published := "quay.io/org/app:" + *tag
	if err := kit.Build(local, w); err != nil {
		return err
	}
	if err := exec.Command("docker", "tag", local, published).Run(); err != nil {
		return err
	}
	if err := kit.Load(cluster, published, w); err != nil {
		return err
	}
	return kit.Deploy(context.TODO(), "app", "app", published)
}
