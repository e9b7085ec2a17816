package publishedimage

import "os/exec"

// helm merges --set keys into the chart's values: a tag set alone runs the
// chart's default repository at that tag.

// Negative: the chart's repository at the tag built and loaded.
func SetupTagOnly() error { // want SetupTagOnly:"build\\(\"ghcr\\.io/acme/app:e2e\"\\) load\\(\"ghcr\\.io/acme/app:e2e\"\\) deploy\\(\"ghcr\\.io/acme/app:e2e\"\\) deploys$"
	if err := buildAndLoad("ghcr.io/acme/app:e2e"); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "--set", "image.tag=e2e").Run()
}

// Negative: the same, the tag from a values file.
func SetupTagOnlyFile() error { // want SetupTagOnlyFile:"build\\(\"ghcr\\.io/acme/app:e2e\"\\) load\\(\"ghcr\\.io/acme/app:e2e\"\\) deploy\\(\"ghcr\\.io/acme/app:e2e\"\\) deploys$"
	if err := buildAndLoad("ghcr.io/acme/app:e2e"); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "-f", "values/tag-only.yaml").Run()
}

// The tag is the one built, the repository is not: the chart's default
// repository runs at that tag, which nothing built or loaded.
func SetupTagOnlyOtherRepository() error { // want SetupTagOnlyOtherRepository:"build\\(\"localhost/app:e2e\"\\) load\\(\"localhost/app:e2e\"\\) deploy\\(\"ghcr\\.io/acme/app:e2e\"\\) deploys$"
	if err := buildAndLoad("localhost/app:e2e"); err != nil {
		return err
	}
	return exec.Command("helm", "install", "app", "./charts/app", "--set", "image.tag=e2e").Run() // want `deployed image "ghcr\.io/acme/app:e2e" is not the image built and loaded here \("localhost/app:e2e"\) \[image-mismatch\]`
}
