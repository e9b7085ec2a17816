// Package argv holds command lines assembled indirectly, as real setup code
// writes them: the checks see through slices and appends, Sprintf scripts
// run by a shell, strings.Join, wrappers that forward to os/exec, and a
// program name held in a variable.
package argv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// run forwards its arguments to os/exec: its callers' argv is analysed as
// if they called exec.Command themselves.
func run(name string, args ...string) error {
	return exec.Command(name, args...).Run()
}

// kubectl forwards a spread list of words to one program.
func kubectl(ctx context.Context, args ...string) error {
	return exec.CommandContext(ctx, "kubectl", args...).Run()
}

func retagThroughSlice(node, shared, fresh string) error {
	args := []string{"exec", node, "ctr", "-n", "k8s.io", "images", "tag"}
	args = append(args, shared, fresh)
	return exec.Command("docker", args...).Run() // want `re-tags an image inside the Kind node`
}

func retagThroughScript(node, shared, fresh string) error {
	script := fmt.Sprintf("ctr -n k8s.io images tag %s %s && ctr -n k8s.io images ls", shared, fresh)
	return exec.Command("docker", "exec", node, "sh", "-c", script).Run() // want `re-tags an image inside the Kind node`
}

func retagThroughJoin(node, shared, fresh string) error {
	words := []string{"ctr", "-n", "k8s.io", "images", "tag", shared, fresh}
	return exec.Command("podman", "exec", node, "bash", "-c", strings.Join(words, " ")).Run() // want `re-tags an image inside the Kind node`
}

func retagThroughWrapper(node, shared, fresh string) error {
	return run("docker", "exec", node, "ctr", "-n", "k8s.io", "images", "tag", shared, fresh) // want `re-tags an image inside the Kind node`
}

// The kind binary may come from the environment; "kind" is its name.
func loadWithProgramInVariable(cluster, image string) error {
	kind := "kind"
	if v, ok := os.LookupEnv("KIND"); ok {
		kind = v
	}
	options := []string{"load", "docker-image", image, "--name", cluster}
	return exec.Command(kind, options...).Run()
}

// SetupWithWrappers builds and loads a fresh image through the wrappers and
// deploys a fixed one: the fresh image is never used.
func SetupWithWrappers(ctx context.Context, cluster string) error { // want SetupWithWrappers:"deploy\\(\"localhost/kubernaut/gateway:latest\"\\) deploys$"
	image := fmt.Sprintf("localhost/kubernaut/gateway:%d", os.Getpid())
	if err := run("podman", "build", "-t", image, "."); err != nil {
		return err
	}
	if err := loadWithProgramInVariable(cluster, image); err != nil {
		return err
	}
	return kubectl(ctx, "set", "image", "deployment/gateway", "gateway=localhost/kubernaut/gateway:latest") // want `deployed image "localhost/kubernaut/gateway:latest" is not the image built and loaded here \("localhost/kubernaut/gateway:<run-time tag>"\)`
}

// Negatives.

// A wrapper used for something other than images.
func status() error { return run("git", "status", "--short") }

// The deployed image is the one built and loaded, through the same
// wrappers.
func SetupConsistent(ctx context.Context, cluster, tag string) error { // want SetupConsistent:"p2:build\\+load\\+deploy deploys$"
	image := "localhost/kubernaut/notification:" + tag
	if err := run("podman", "build", "-t", image, "."); err != nil {
		return err
	}
	if err := loadWithProgramInVariable(cluster, image); err != nil {
		return err
	}
	return kubectl(ctx, "set", "image", "deployment/notification", "notification="+image)
}
