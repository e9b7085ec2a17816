package ginkgo

import (
	"os/exec"

	. "github.com/onsi/ginkgo/v2"
)

// The ordered container deploys in BeforeAll what BeforeSuite built and
// loaded: silent.
var _ = Describe("operator", Ordered, func() {
	BeforeAll(func() {
		_ = exec.Command("kubectl", "run", "operator", "--image="+projectImage).Run()
	})
	It("runs a public image beside it", func() {
		_ = exec.Command("kubectl", "run", "curl", "--image=curlimages/curl:8.5.0").Run()
	})
})

// Another tag of the image BeforeSuite loaded.
var _ = Describe("upgrade", Ordered, func() {
	BeforeAll(func() {
		_ = exec.Command("kubectl", "run", "operator", "--image=example.com/operator:v0.2.0").Run() // want `deployed image "example.com/operator:v0.2.0" is not the image built and loaded here \("example.com/operator:v0.1.0"\)`
	})
})

// Sibling specs of an unordered container run in any order, each alone:
// what one loads is not what the other deploys.
var _ = Describe("siblings", func() {
	It("loads", func() {
		_ = exec.Command("kind", "load", "docker-image", "example.com/sibling:v1").Run()
	})
	It("deploys", func() {
		_ = exec.Command("kubectl", "run", "sibling", "--image=example.com/sibling:v2").Run()
	})
})

// The specs of an ordered container run in sequence: the second deploys
// another tag of what the first loaded.
var _ = Describe("sequence", Ordered, func() {
	It("loads", func() {
		_ = exec.Command("kind", "load", "docker-image", "example.com/sequence:v1").Run()
	})
	Context("later", func() {
		It("deploys", func() {
			_ = exec.Command("kubectl", "run", "sequence", "--image=example.com/sequence:v2").Run() // want `deployed image "example.com/sequence:v2" is not the image built and loaded here \("example.com/sequence:v1"\)`
		})
	})
})

// BeforeEach and JustBeforeEach run before each spec of their container,
// the outer container's first.
var _ = Describe("each", func() {
	BeforeEach(func() {
		_ = exec.Command("kind", "load", "docker-image", "example.com/each:v1").Run()
	})
	Context("inner", func() {
		JustBeforeEach(func() {
			_ = exec.Command("kubectl", "run", "each", "--image=example.com/each:v1").Run()
		})
		It("deploys another tag", func() {
			_ = exec.Command("kubectl", "run", "each2", "--image=example.com/each:v3").Run() // want `deployed image "example.com/each:v3" is not the image built and loaded here \("example.com/each:v1"\)`
		})
		It("deploys nothing", func() {})
	})
	AfterEach(func() {
		_ = exec.Command("kubectl", "delete", "pod", "each").Run()
	})
})

// Pending specs never run: what they would deploy pairs with nothing.
var _ = Describe("pending", func() {
	PIt("deploys another tag", func() {
		_ = exec.Command("kubectl", "run", "operator", "--image=example.com/operator:v0.3.0").Run()
	})
})

var _ = PDescribe("pending container", func() {
	It("deploys another tag", func() {
		_ = exec.Command("kubectl", "run", "operator", "--image=example.com/operator:v0.4.0").Run()
	})
})

// When is a container like Describe; with Ordered its specs follow its
// BeforeAll, and AfterAll's delete afterwards deploys nothing.
var _ = When("ordered when", Ordered, func() {
	BeforeAll(func() {
		_ = exec.Command("kind", "load", "docker-image", "example.com/when:v1").Run()
	})
	It("deploys the loaded tag", func() {
		_ = exec.Command("kubectl", "run", "when", "--image=example.com/when:v1").Run()
	})
	It("deploys another tag", func() {
		_ = exec.Command("kubectl", "run", "when2", "--image=example.com/when:v2").Run() // want `deployed image "example.com/when:v2" is not the image built and loaded here \("example.com/when:v1"\)`
	})
	AfterAll(func() {
		_ = exec.Command("kubectl", "delete", "pod", "when").Run()
	})
})
