// Package undeployedimage holds undeployed-image cases: a flow builds or
// loads an image and deploys, but never that image.
package undeployedimage

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	corev1 "k8s.io/api/core/v1"

	"imagetaglint.test/e2e/kit"
)

func freshTag(name string) string {
	return fmt.Sprintf("localhost/kubernaut/%s:e2e-%d", name, time.Now().UnixNano())
}

// deployDataStorage takes no image: it builds and deploys its own, under a
// fixed tag every parallel suite shares.
func deployDataStorage(ctx context.Context, namespace string, w io.Writer) error {
	if err := kit.Build("localhost/kubernaut/datastorage:latest", w); err != nil {
		return err
	}
	return kit.Deploy(ctx, namespace, "datastorage", "localhost/kubernaut/datastorage:latest") // want `"localhost/kubernaut/datastorage:latest" is built on the host and deployed by Deploy, but nothing loads it into the cluster \(this package loads images into it\)`
}

// The flow builds and loads a fresh image, then a helper deploys another:
// the fresh one is never used.
func SetupGateway(ctx context.Context, cluster string, w io.Writer) error { // want SetupGateway:"build\\(\"localhost/kubernaut/datastorage:latest\"\\) deploy\\(\"localhost/kubernaut/datastorage:latest\"\\) deploys$"
	gateway := freshTag("gateway")
	if err := kit.Build(gateway, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, gateway, w); err != nil { // want `the image from freshTag \(line 34\) is built and loaded here but never deployed, while this flow deploys "localhost/kubernaut/datastorage:latest"; deploy the image you built \[undeployed-image\]`
		return err
	}
	return deployDataStorage(ctx, "gateway-e2e", w)
}

// A loaded environment image (the project's, tag unknown) while a registry
// image is deployed.
func SetupFromEnvironment(ctx context.Context, cluster string, w io.Writer) error { // want SetupFromEnvironment:"deploy\\(\"ghcr\\.io/kubernaut/notification:v1\"\\) deploys$"
	image := os.Getenv("NOTIFICATION_IMAGE")
	if err := kit.Load(cluster, image, w); err != nil { // want `the image from NOTIFICATION_IMAGE is loaded here but never deployed`
		return err
	}
	return kit.Deploy(ctx, "notification-e2e", "notification", "ghcr.io/kubernaut/notification:v1")
}

// Negatives.

// Deployed, through a helper that deploys its parameter.
func SetupDeployed(ctx context.Context, cluster string, w io.Writer) error { // want SetupDeployed:"deploys$"
	image := freshTag("signalprocessing")
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "sp-e2e", "signalprocessing", image)
}

// The image escapes: the caller deploys it.
func BuildForCaller(cluster string, w io.Writer) (string, error) { // want BuildForCaller:"r0:produced deploy\\(\"redis:7\"\\) deploys$"
	image := freshTag("aianalysis")
	if err := kit.Build(image, w); err != nil {
		return "", err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return "", err
	}
	return image, kit.Deploy(context.Background(), "deps", "redis", "redis:7")
}

type suite struct{ image string }

// Stored for the test cases to deploy.
func (s *suite) setup(ctx context.Context, cluster string, w io.Writer) error {
	image := freshTag("toolset")
	if err := kit.Build(image, w); err != nil {
		return err
	}
	s.image = image
	return kit.Deploy(ctx, "deps", "redis", "redis:7")
}

// Nothing deployed here: deploying is another function's job.
func buildOnly(cluster string, w io.Writer) error {
	image := freshTag("effectiveness")
	if err := kit.Build(image, w); err != nil {
		return err
	}
	return kit.Load(cluster, image, w)
}

// What is deployed cannot be named: it may be the image.
func deployOpaque(ctx context.Context, cluster string, w io.Writer) error {
	image := freshTag("remediation")
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	c := corev1.Container{Name: "remediation", Image: os.ExpandEnv("$REMEDIATION_IMAGE")}
	return kit.Apply(ctx, c)
}

// The same constant, written in build, load and deploy.
func consistentLiterals(ctx context.Context, cluster string, w io.Writer) error {
	if err := kit.Build("localhost/kubernaut/holmes:e2e", w); err != nil {
		return err
	}
	if err := kit.Load(cluster, "localhost/kubernaut/holmes:e2e", w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "holmes-e2e", "holmes", "localhost/kubernaut/holmes:e2e")
}

// A map whose deployed entry is the built one.
func throughMap(ctx context.Context, cluster string, w io.Writer) error {
	images := map[string]string{}
	images["gateway"] = freshTag("gateway")
	if err := kit.Build(images["gateway"], w); err != nil {
		return err
	}
	if err := kit.Load(cluster, images["gateway"], w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "gateway-e2e", "gateway", images["gateway"])
}

// installCertManager applies another project's release, which is not read:
// it may not stand for the flow's deploy of its own image.
func installCertManager() error {
	return exec.Command("kubectl", "apply", "-f", "https://github.com/cert-manager/cert-manager/releases/download/v1.19.1/cert-manager.yaml").Run()
}

// The kubebuilder suite set-up: build and load, then cert-manager; the
// image is deployed by the tests. Not undeployed.
func SetupSuiteWithCertManager(cluster string, w io.Writer) error { // want SetupSuiteWithCertManager:"deploys$"
	image := freshTag("manager")
	if err := kit.Build(image, w); err != nil {
		return err
	}
	if err := kit.Load(cluster, image, w); err != nil {
		return err
	}
	if err := exec.Command("helm", "install", "ingress", "ingress-nginx/ingress-nginx").Run(); err != nil {
		return err
	}
	return installCertManager()
}

// A deploy of the flow's own beside the release still holds it to that
// deploy.
func SetupWithCertManagerMismatch(ctx context.Context, cluster string, w io.Writer) error { // want SetupWithCertManagerMismatch:"build\\(\"localhost/kubernaut/datastorage:latest\"\\) deploy\\(\"localhost/kubernaut/datastorage:latest\"\\) deploys$"
	image := freshTag("manager")
	if err := kit.Load(cluster, image, w); err != nil { // want `the image from freshTag \(line \d+\) is loaded here but never deployed, while this flow deploys "localhost/kubernaut/datastorage:latest"; deploy the image you built \[undeployed-image\]`
		return err
	}
	if err := installCertManager(); err != nil {
		return err
	}
	return deployDataStorage(ctx, "manager-e2e", w)
}

// Built under a build tag, re-tagged on the host to a generated release
// tag, then loaded and deployed under it: the re-tag before the load names
// the same image, and the build tag needs no deploy of its own.
func retagOnHostBeforeLoad(ctx context.Context, cluster string, w io.Writer) error {
	const build = "localhost/kubernaut/aianalysis:build"
	if err := kit.Build(build, w); err != nil {
		return err
	}
	release := freshTag("aianalysis")
	if err := exec.Command("docker", "tag", build, release).Run(); err != nil {
		return err
	}
	if err := kit.Load(cluster, release, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "aianalysis-e2e", "aianalysis", release)
}

// The positive twin: re-tagged on the host and loaded, but the flow
// deploys another image. image-mismatch names it, against the build tag;
// its finding covers the load's.
func retagOnHostDeployOther(ctx context.Context, cluster string, w io.Writer) error {
	const build = "localhost/kubernaut/effectiveness:build"
	if err := kit.Build(build, w); err != nil {
		return err
	}
	release := freshTag("effectiveness")
	if err := exec.Command("docker", "tag", build, release).Run(); err != nil {
		return err
	}
	if err := kit.Load(cluster, release, w); err != nil {
		return err
	}
	return kit.Deploy(ctx, "effectiveness-e2e", "effectiveness", "ghcr.io/kubernaut/effectiveness:v1") // want `deployed image "ghcr.io/kubernaut/effectiveness:v1" is not the image built and loaded here \("localhost/kubernaut/effectiveness:build"\) \[image-mismatch\]`
}
