// Package heldvar keeps its images in package variables of its test
// files. One only the suite's own code assigns and reads: whatever
// happens to it, the suite's lanes see, so an image loaded in TestMain
// and deployed by no test is reported. The other is also read by a
// helper: it may go where the lanes do not see, so it is not.
package heldvar

import (
	"os"
	"os/exec"
	"testing"
)

var (
	image  = "localhost/held:e2e"
	shared = "localhost/shared:e2e"
)

func TestMain(m *testing.M) {
	_ = exec.Command("kind", "load", "docker-image", image).Run() // want `"localhost/held:e2e" is loaded here but never deployed, while this suite deploys "busybox:1.36"`
	_ = exec.Command("kind", "load", "docker-image", shared).Run()
	os.Exit(m.Run())
}

func TestPublic(t *testing.T) {
	_ = exec.Command("kubectl", "run", "box", "--image=busybox:1.36").Run()
	publish()
}

// publish hands the image on to something the suite does not see.
func publish() {
	_ = os.WriteFile("image.txt", []byte(shared), 0o644)
}
