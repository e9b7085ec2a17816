// Package flagset's -img flag defaults to IMG, but the workflow sets the
// flag: its value is the flag's, not IMG's, so the deploy of another tag
// is not compared with IMG's value.
package flagset

import (
	"flag"
	"os"
	"os/exec"
	"testing"
)

var img = flag.String("img", os.Getenv("IMG"), "the image under test")

func run(cmd *exec.Cmd) { _ = cmd.Run() }

func TestString(t *testing.T) {
	run(exec.Command("kind", "load", "docker-image", *img))
	run(exec.Command("kubectl", "create", "deployment", "app", "--image=ghcr.io/o/app:dev"))
}
