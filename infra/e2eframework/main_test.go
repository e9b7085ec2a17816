package e2eframework_test

import (
	"bytes"
	"os"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"

	"github.com/imagetaglint/imagetaglint/infra"
	"github.com/imagetaglint/imagetaglint/infra/e2eframework"
	"github.com/imagetaglint/imagetaglint/infra/infratest"
)

// The suite's environment, set up the way a user's TestMain sets it up:
// the real env.Environment runs the steps, only the commands and the API
// server are fakes.
var (
	testenv env.Environment
	// suiteRunner answers the commands of the Setup steps.
	suiteRunner = newCluster()
	// suiteClient is the API server the Deploy steps write to.
	suiteClient = fake.NewClientset()
	// suiteProgress is what the Builder printed.
	suiteProgress bytes.Buffer
)

// suiteImages are the images the suite builds, and the Services deploying them.
var suiteImages = []struct {
	spec infra.ImageSpec
	svc  infra.Service
}{
	{infra.ImageSpec{Name: "datastorage", Source: infra.Source{ContextDir: "datastorage"}}, infra.Service{Name: "datastorage", Port: 8080}},
	{infra.ImageSpec{Name: "gateway", Source: infra.Source{ContextDir: "gateway", BuildArgs: []string{"GOFLAGS=-cover"}}}, infra.Service{Name: "gateway", Port: 8080}},
}

func TestMain(m *testing.M) {
	steps := newSteps(suiteRunner, suiteClient)
	steps.Builder.Progress = &suiteProgress
	testenv = env.NewWithConfig(envconf.New().WithNamespace("gateway-e2e"))
	testenv.Setup(
		steps.BuildAndLoad(suiteImages[0].spec, suiteImages[1].spec),
		steps.Verify(suiteImages[0].spec.Name, suiteImages[1].spec.Name),
		steps.Deploy(suiteImages[0].spec.Name, suiteImages[0].svc),
		steps.Deploy(suiteImages[1].spec.Name, suiteImages[1].svc),
	)
	os.Exit(testenv.Run(m))
}

// newCluster returns a Runner for a two-node Kind cluster gateway-e2e.
func newCluster() *infratest.Recorder {
	return &infratest.Recorder{Nodes: []string{"gateway-e2e-control-plane", "gateway-e2e-worker"}}
}

func newSteps(r infra.Runner, client kubernetes.Interface) e2eframework.Steps {
	return e2eframework.Steps{
		Builder:   infra.Builder{Consumer: "gateway", Cluster: "gateway-e2e", Engine: "podman", Runner: r},
		Clientset: func(*envconf.Config) (kubernetes.Interface, error) { return client, nil },
	}
}
