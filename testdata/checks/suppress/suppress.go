// Package suppress holds the suppression directive cases.
package suppress

import (
	"os/exec"

	corev1 "k8s.io/api/core/v1"
)

func containers() []corev1.Container {
	return []corev1.Container{
		// A directive on the line above suppresses the finding below it.
		//imagetaglint:ignore hardcoded-image the mock registry image is preloaded by the suite's kind config
		{Name: "mock", Image: "localhost/mock-llm:e2e"},
		{Name: "mock2", Image: "localhost/mock-llm:e2e"}, //imagetaglint:ignore hardcoded-image preloaded as well
		{Name: "mock3", Image: "localhost/mock-llm:e2e"}, //imagetaglint:ignore deploy-time-tag wrong check named // want `imagetaglint:ignore deploy-time-tag suppresses nothing; remove it \[ignore-directive\]` `hardcoded image "localhost/mock-llm:e2e"`
		// want +1 `imagetaglint:ignore hardcoded-image needs a reason after the check name` `hardcoded image`
		{Name: "mock4", Image: "localhost/mock-llm:e2e"}, //imagetaglint:ignore hardcoded-image
		{Name: "mock5", Image: "localhost/mock-llm:e2e"}, //imagetaglint:ignore no-such-check reason // want `imagetaglint:ignore names unknown check "no-such-check"` `hardcoded image`
		{Name: "mock6", Image: "localhost/mock-llm:e2e"}, //imagetaglint:ignore hardcoded-image,image-mismatch two checks at once
	}
}

// A directive above a multi-line manifest covers the findings inside it.
//
//imagetaglint:ignore hardcoded-image the kind config preloads the mock image
const mockManifest = `spec:
  containers:
  - name: mock
    image: localhost/mock-llm:e2e
`

//imagetaglint:ignore hardcoded-image nothing below is hardcoded // want `suppresses nothing`
func clean(image string) corev1.Container {
	return corev1.Container{Name: "x", Image: image}
}

// A directive above a call whose argument holds the image, on a line of
// its own, covers the finding on that argument.
func makeDeploy(tag string) error {
	image := "localhost/operator:" + tag
	if err := exec.Command("make", "docker-build", "IMG="+image).Run(); err != nil {
		return err
	}
	if err := exec.Command("kind", "load", "docker-image", image).Run(); err != nil {
		return err
	}
	//imagetaglint:ignore image-mismatch the release tag is deployed on purpose here
	return exec.Command("make", "deploy",
		"IMG=localhost/operator:v1").Run()
}
