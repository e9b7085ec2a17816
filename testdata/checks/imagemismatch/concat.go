package imagemismatch

import "os/exec"

// The image is kept in two package variables that each hold a constant,
// and joined: the join is a constant too.
var (
	concatRepository = "localhost/joined"
	concatTag        = "e2e"
	concatImage      = concatRepository + ":" + concatTag
)

func joinedParts() {
	_ = exec.Command("kind", "load", "docker-image", concatImage).Run()
	_ = exec.Command("kubectl", "run", "joined", "--image="+concatRepository+":v2").Run() // want `deployed image "localhost/joined:v2" is not the image built and loaded here \("localhost/joined:e2e"\)`
	_ = exec.Command("kubectl", "run", "joined", "--image="+concatImage).Run()
}

// A part assigned two different constants is not one constant: silent.
var (
	movingRepository = "localhost/moving"
	movingImage      = movingRepository + ":e2e"
)

func movingParts() {
	movingRepository = "localhost/moved"
	_ = exec.Command("kind", "load", "docker-image", movingImage+"-x").Run()
	_ = exec.Command("kubectl", "run", "moving", "--image="+movingRepository+":v2").Run()
}
