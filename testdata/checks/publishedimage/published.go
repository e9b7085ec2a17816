// Package publishedimage holds published-image cases: the flow builds and
// loads its image, then installs its own chart with the chart's default
// image of that repository, the published release.
package publishedimage

import (
	"flag"
	"os/exec"
)

var tag = flag.String("tag", "e2e", "the tag of the image under test")

func buildAndLoad(image string) error {
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	return exec.Command("kind", "load", "docker-image", image).Run()
}

// No image key is set: the chart's default runs.
func SetupDefault() error { // want SetupDefault:"build\\(\"ghcr\\.io/acme/app:e2e\"\\) load\\(\"ghcr\\.io/acme/app:e2e\"\\) deploys$"
	const image = "ghcr.io/acme/app:e2e"
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app").Run() // want `helm install of chart "./charts/app" runs its default image "ghcr.io/acme/app:1.4.0" \(charts/app/values.yaml:3\), of the repository this flow built as "ghcr.io/acme/app:e2e": the published image runs, not the build; set the chart's image values to the built image \[published-image\]`
}

// The tag is the run's: the repository is still known.
func SetupRunTimeTag() error { // want SetupRunTimeTag:"deploys$"
	image := "ghcr.io/acme/app:" + *tag
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	return exec.Command("helm", "upgrade", "--install", "app", "./charts/app").Run() // want `runs its default image "ghcr.io/acme/app:1.4.0" .*as "ghcr.io/acme/app:<run-time tag>"`
}

// Negatives.

// The image keys are set to the build.
func SetupSet() error { // want SetupSet:"deploys$"
	image := "ghcr.io/acme/app:" + *tag
	if err := buildAndLoad(image); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "--set", "image.tag="+*tag).Run()
}

// An upgrade test: the release first, then the build.
func SetupUpgrade() error { // want SetupUpgrade:"deploys$"
	image := "ghcr.io/acme/app:" + *tag
	if err := buildAndLoad(image); err != nil {
		return err
	}
	if err := exec.Command("helm", "install", "app", "./charts/app").Run(); err != nil {
		return err
	}
	return exec.Command("helm", "upgrade", "app", "./charts/app", "--set", "image.tag="+*tag).Run()
}

// Another project's image: the chart of a dependency.
func SetupCache() error { // want SetupCache:"deploys$"
	image := "ghcr.io/acme/app:" + *tag
	if err := buildAndLoad(image); err != nil {
		return err
	}
	if err := exec.Command("helm", "install", "cache", "./charts/cache").Run(); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "--set", "image.tag="+*tag).Run()
}

// The default is the image built.
func SetupReleaseBuilt() error { // want SetupReleaseBuilt:"build\\(\"ghcr\\.io/acme/app:1\\.4\\.0\"\\) load\\(\"ghcr\\.io/acme/app:1\\.4\\.0\"\\) deploys$"
	const image = "ghcr.io/acme/app:1.4.0"
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app").Run()
}

// A values file sets the image keys to the build, through a YAML alias.
func SetupValuesFile() error { // want SetupValuesFile:"build\\(\"ghcr\\.io/acme/app:e2e\"\\) load\\(\"ghcr\\.io/acme/app:e2e\"\\) deploy\\(\"ghcr\\.io/acme/app:e2e\"\\) deploys$"
	const image = "ghcr.io/acme/app:e2e"
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "-f", "values/e2e.yaml").Run()
}
