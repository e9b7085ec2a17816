package files

import (
	"context"
	"os"
	"os/exec"
	"strings"
)

// A file of the module rewritten in place to set the image, applied, then
// restored: an apply while it is rewritten deploys what the rewrite wrote;
// an apply after the restore deploys the file as written again.

const appFile = "testdata/app.yaml"

// setImage rewrites the manifest in place with the image built and loaded.
func setImage(orig []byte) error {
	return os.WriteFile(appFile, []byte(strings.ReplaceAll(string(orig), "localhost/kubernaut/app:latest", image)), 0o644)
}

func apply(ctx context.Context, args ...string) error {
	return exec.CommandContext(ctx, "kubectl", append([]string{"apply"}, args...)...).Run()
}

// The second phase applies the restored file: the published tag again.
func SetupRewriteRestore(ctx context.Context, cluster string) error { // want SetupRewriteRestore:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	orig, err := os.ReadFile(appFile)
	if err != nil {
		return err
	}
	if err := os.WriteFile(appFile, []byte(strings.ReplaceAll(string(orig), "localhost/kubernaut/app:latest", image)), 0o644); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kubectl", "apply", "-f", appFile).Run(); err != nil {
		return err
	}
	if err := os.WriteFile(appFile, orig, 0o644); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", appFile).Run() // want `kubectl apply deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
}

// git checkout restores the file mid-suite; so does git restore of a
// kustomization that kustomize edit set image rewrote.
func SetupGitRestore(ctx context.Context, cluster string) error { // want SetupGitRestore:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploy\\(\"localhost/kubernaut/app:latest\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	edit := exec.CommandContext(ctx, "kustomize", "edit", "set", "image", "localhost/kubernaut/app="+image)
	edit.Dir = "testdata/edited"
	if err := edit.Run(); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kubectl", "apply", "-k", "testdata/edited").Run(); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "git", "restore", "testdata/edited/kustomization.yaml").Run(); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kubectl", "apply", "-k", "testdata/edited").Run(); err != nil { // want `kubectl apply deploys "localhost/kubernaut/app:latest" \(testdata/edited/deployment.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
		return err
	}
	if err := exec.CommandContext(ctx, "git", "checkout", "--", appFile).Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-f", appFile).Run() // want `kubectl apply deploys "localhost/kubernaut/app:latest" \(testdata/app.yaml:10\), not the image built and loaded \("localhost/kubernaut/app:e2e"\) \[image-mismatch\]`
}

// Negatives.

// The restore is the teardown, after the last apply: every apply
// deploys the rewritten file.
func SetupRestoreAtEnd(ctx context.Context, cluster string) error { // want SetupRestoreAtEnd:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	orig, err := os.ReadFile(appFile)
	if err != nil {
		return err
	}
	defer os.WriteFile(appFile, orig, 0o644)
	if err := setImage(orig); err != nil {
		return err
	}
	if err := os.WriteFile(appFile, []byte(strings.ReplaceAll(string(orig), "localhost/kubernaut/app:latest", image)), 0o644); err != nil {
		return err
	}
	if err := apply(ctx, "-f", appFile); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "kubectl", "apply", "-f", appFile).Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "git", "checkout", "HEAD", "--", appFile).Run()
}

// A restore that may not run (a branch the apply is not in), and a
// restore of the index only: the file may still be the rewritten one.
func SetupMaybeRestored(ctx context.Context, cluster string, keep bool) error { // want SetupMaybeRestored:"build\\(\"localhost/kubernaut/app:e2e\"\\) load\\(\"localhost/kubernaut/app:e2e\"\\) deploy\\(\"localhost/kubernaut/app:e2e\"\\) deploys opaque"
	if err := buildAndLoad(ctx, cluster); err != nil {
		return err
	}
	edit := exec.CommandContext(ctx, "kustomize", "edit", "set", "image", "localhost/kubernaut/app="+image)
	edit.Dir = "testdata/edited"
	if err := edit.Run(); err != nil {
		return err
	}
	if !keep {
		if err := exec.CommandContext(ctx, "git", "restore", "testdata/edited").Run(); err != nil {
			return err
		}
	}
	if err := exec.CommandContext(ctx, "git", "restore", "--staged", "testdata/edited").Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", "apply", "-k", "testdata/edited").Run()
}
