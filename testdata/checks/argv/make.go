package argv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// The scaffold's shape: make targets with IMG=, read by the targets' names.
func SetupWithMake(ctx context.Context, cluster, tag string) error { // want SetupWithMake:"p2:build\\+load deploy\\(\"localhost/kubernaut/operator:latest\"\\) deploys$"
	image := "localhost/kubernaut/operator:" + tag
	if err := exec.Command("make", "docker-build", "IMG="+image).Run(); err != nil {
		return err
	}
	if err := run("kind", "load", "docker-image", image, "--name", cluster); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "make", "deploy", "IMG=localhost/kubernaut/operator:latest").Run() // want `deployed image "localhost/kubernaut/operator:latest" is not the image built and loaded here`
}

// make deploy without IMG deploys what the Makefile or the environment
// names: it may be the image built here, so nothing is reported against
// the fixed deploy beside it.
func SetupWithMakeDefault(ctx context.Context, cluster string) error { // want SetupWithMakeDefault:"deploy\\(\"localhost/kubernaut/mock:e2e\"\\) deploys opaque"
	image := fmt.Sprintf("localhost/kubernaut/operator:%d", os.Getpid())
	if err := exec.Command("make", "docker-build", fmt.Sprintf("IMG=%s", image)).Run(); err != nil {
		return err
	}
	if err := run("kind", "load", "docker-image", image, "--name", cluster); err != nil {
		return err
	}
	if err := kubectl(ctx, "set", "image", "deployment/mock", "mock=localhost/kubernaut/mock:e2e"); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "make", "deploy").Run()
}

// make undeploy deploys nothing: the image built here is never deployed.
func SetupThenUndeploy(ctx context.Context, cluster string) error { // want SetupThenUndeploy:"deploy\\(\"localhost/kubernaut/mock:e2e\"\\) deploys$"
	image := fmt.Sprintf("localhost/kubernaut/operator:%d", os.Getpid())
	if err := exec.Command("make", "docker-build", "IMG="+image).Run(); err != nil {
		return err
	}
	if err := run("kind", "load", "docker-image", image, "--name", cluster); err != nil { // want `is built and loaded here but never deployed`
		return err
	}
	if err := kubectl(ctx, "set", "image", "deployment/mock", "mock=localhost/kubernaut/mock:e2e"); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "make", "undeploy").Run()
}
