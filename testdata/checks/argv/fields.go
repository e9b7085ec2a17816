package argv

import (
	"context"
	"os/exec"
	"strings"
)

// A command line written as one string and split with strings.Fields.
func SetupWithFields(ctx context.Context, cluster, tag string) error { // want SetupWithFields:"p2:build\\+load deploy\\(\"localhost/kubernaut/audit:latest\"\\) deploys$"
	image := "localhost/kubernaut/audit:" + tag
	if err := exec.Command("podman", strings.Fields("build -t "+image+" .")...).Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", strings.Fields("load docker-image "+image+" --name "+cluster)...).Run(); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "kubectl", strings.Fields("set image deployment/audit audit=localhost/kubernaut/audit:latest")...).Run() // want `deployed image "localhost/kubernaut/audit:latest" is not the image built and loaded here`
}

// Negative: a run-time part standing alone may hold several words: the
// command line is not known.
func runExtra(extra string) error {
	return exec.Command("kubectl", strings.Fields("set image "+extra)...).Run()
}
