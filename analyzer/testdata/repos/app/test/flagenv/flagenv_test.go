// Package flagenv names its image by flags that default to IMG, which the
// workflow sets to ghcr.io/o/app:e2e and passes no flag: the flags are
// that image.
package flagenv

import (
	"flag"
	"os"
	"os/exec"
	"testing"
)

var img = flag.String("img", os.Getenv("IMG"), "the image under test")

var image string

func init() { flag.StringVar(&image, "image", os.Getenv("IMG"), "the image under test") }

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func TestString(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", *img))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev")) // want `deployed image "ghcr.io/o/app:dev" is not the image built and loaded here \(\$IMG: "ghcr.io/o/app:e2e"\)`
}

func TestStringVar(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", image))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev")) // want `deployed image "ghcr.io/o/app:dev" is not the image built and loaded here \(\$IMG: "ghcr.io/o/app:e2e"\)`
}

// The flag and the variable are one image.
func TestSame(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", *img))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image="+os.Getenv("IMG")))
	run(exec.Command("kubectl", "create", "deployment", "app2", "--image=ghcr.io/o/app:e2e"))
}
