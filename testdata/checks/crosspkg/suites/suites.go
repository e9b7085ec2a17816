// Package suites uses the wrappers of another package: every check sees
// through them by facts.
package suites

import (
	"context"
	"fmt"
	"io"
	"os/exec"

	"imagetaglint.test/e2e/checks/crosspkg/wrappers"
)

func discardedThroughWrapper(writer io.Writer) error {
	_, err := wrappers.BuildDataStorage("gateway", writer) // want `the image returned by BuildDataStorage is assigned to _`
	return err
}

func deployTimeThroughWrapper(ctx context.Context) {
	_ = wrappers.StartDataStorage(ctx, "sp-e2e", wrappers.GetDataStorageImageTagForSignalProcessing()) // want `GetDataStorageImageTagForSignalProcessing called while deploying \(StartDataStorage\)`
}

func regeneratedThroughWrapper(ctx context.Context, writer io.Writer) {
	first := wrappers.NormalisedTag("aianalysis")
	fmt.Fprintln(writer, first)
	second := wrappers.NormalisedTag("aianalysis") // want `NormalisedTag called again for the same image`
	_ = wrappers.StartDataStorage(ctx, "aa-e2e", second)
}

func retagThroughHelper(node string, writer io.Writer) error {
	image, err := wrappers.BuildDataStorage("ro", writer)
	if err != nil {
		return err
	}
	return wrappers.RetagInNode(node, image, "localhost/datastorage:ro-1") // want `RetagInNode re-tags an image inside the Kind node`
}

func decoyThroughSink(ctx context.Context, writer io.Writer) error {
	tag := wrappers.GetDataStorageImageTagForSignalProcessing()
	_, err := wrappers.BuildDataStorage("signalprocessing", writer) // want `BuildDataStorage is assigned to _`
	_ = wrappers.StartDataStorage(ctx, "sp-e2e", tag)               // want `deployed image comes from GetDataStorageImageTagForSignalProcessing \(line 39\), which never reached a build or load`
	return err
}

// The options name another tag of the image built here.
func optionsThroughWrapper(ctx context.Context) error {
	if err := exec.Command("kind", "load", "docker-image", "localhost/datastorage:e2e").Run(); err != nil {
		return err
	}
	_ = wrappers.StartWithOptions(ctx, &wrappers.Options{Image: "localhost/datastorage:latest"}) // want `deployed image "localhost/datastorage:latest" is not the image built and loaded here \("localhost/datastorage:e2e"\)`
	return nil
}

// Negative: the wrapper's result is deployed.
func correct(ctx context.Context, writer io.Writer) error {
	image, err := wrappers.BuildDataStorage("notification", writer)
	if err != nil {
		return err
	}
	_ = wrappers.StartDataStorage(ctx, "notification-e2e", image)
	_ = wrappers.StartWithOptions(ctx, &wrappers.Options{Namespace: "n", Image: image})
	return nil
}
