// Package regeneratedtag holds regenerated-tag cases: the generator runs
// twice for one image in one setup flow.
package regeneratedtag

import (
	"context"
	"fmt"
	"io"
	"time"

	"imagetaglint.test/e2e/kit"
)

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func buildDataStorageImageWithTag(imageName string, writer io.Writer) error {
	return kit.Build(imageName, writer)
}

func loadDataStorageImageWithTag(clusterName, imageName string, writer io.Writer) error {
	return kit.Load(clusterName, imageName, writer)
}

func deployDataStorageServiceInNamespace(ctx context.Context, namespace, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "deploying %s in %s\n", imageName, namespace)
	return kit.Deploy(ctx, namespace, "datastorage", imageName)
}

// SetupWorkflowExecutionBefore is the Dec 26 WorkflowExecution report's
// "before": the image name is generated at phase 3 and again at phase 4.
func SetupWorkflowExecutionBefore(ctx context.Context, clusterName string, writer io.Writer) error { // want SetupWorkflowExecutionBefore:"deploys$"
	fmt.Fprintln(writer, "Phase 3: loading images")
	dataStorageImageName := GenerateInfraImageName("datastorage", "workflowexecution")
	if err := buildDataStorageImageWithTag(dataStorageImageName, writer); err != nil {
		return err
	}
	if err := loadDataStorageImageWithTag(clusterName, dataStorageImageName, writer); err != nil {
		return err
	}

	fmt.Fprintln(writer, "Phase 4: deploying")
	deployImage := GenerateInfraImageName("datastorage", "workflowexecution") // want `GenerateInfraImageName called again for the same image \(first at line 35\); reuse the first result so build, load and deploy see one tag \[regenerated-tag\]`
	return deployDataStorageServiceInNamespace(ctx, "workflowexecution-e2e", deployImage, writer)
}

func replacedAfterBuild(ctx context.Context, clusterName, consumer string, writer io.Writer) error {
	tag := GenerateInfraImageName("datastorage", consumer)
	if err := buildDataStorageImageWithTag(tag, writer); err != nil {
		return err
	}
	tag = GenerateInfraImageName("datastorage", "retry-"+consumer) // want `GenerateInfraImageName called again replaces the tag in tag, which already reached buildDataStorageImageWithTag at line 50; reuse that tag`
	if err := loadDataStorageImageWithTag(clusterName, tag, writer); err != nil {
		return err
	}
	return deployDataStorageServiceInNamespace(ctx, "e2e", tag, writer)
}

func inGoroutines(ctx context.Context, clusterName string, writer io.Writer) error {
	done := make(chan error, 2)
	go func() {
		done <- buildDataStorageImageWithTag(GenerateInfraImageName("datastorage", "gateway"), writer)
	}()
	go func() {
		done <- loadDataStorageImageWithTag(clusterName, GenerateInfraImageName("datastorage", "gateway"), writer) // want `GenerateInfraImageName called again for the same image`
	}()
	return <-done
}

// A function literal's return does not end the flow.
func throughLiteral(ctx context.Context, writer io.Writer) error {
	tagFor := func() string { return GenerateInfraImageName("datastorage", "toolset") }
	built := tagFor()
	if err := buildDataStorageImageWithTag(built, writer); err != nil {
		return err
	}
	deployed := GenerateInfraImageName("datastorage", "toolset") // want `GenerateInfraImageName called again for the same image \(first at line 73\)`
	return deployDataStorageServiceInNamespace(ctx, "toolset-e2e", deployed, writer)
}

// Negatives.

// Two different images generated in one flow.
func twoImages(ctx context.Context, clusterName string, writer io.Writer) error {
	dataStorage := GenerateInfraImageName("datastorage", "aianalysis")
	holmes := GenerateInfraImageName("holmesgpt-api", "aianalysis")
	for _, image := range []string{dataStorage, holmes} {
		if err := buildDataStorageImageWithTag(image, writer); err != nil {
			return err
		}
		if err := loadDataStorageImageWithTag(clusterName, image, writer); err != nil {
			return err
		}
	}
	if err := deployDataStorageServiceInNamespace(ctx, "aianalysis-e2e", dataStorage, writer); err != nil {
		return err
	}
	return deployDataStorageServiceInNamespace(ctx, "aianalysis-e2e", holmes, writer)
}

// Exclusive branches generate once per run.
func eitherBranch(parallel bool) string {
	var image string
	if parallel {
		image = GenerateInfraImageName("datastorage", "notification")
	} else {
		image = GenerateInfraImageName("datastorage", "notification")
	}
	return image
}

func perCase(kind string) string {
	switch kind {
	case "hybrid":
		return GenerateInfraImageName("datastorage", "remediationorchestrator")
	default:
		return GenerateInfraImageName("datastorage", "remediationorchestrator")
	}
}

// The first call returns: the second runs only when the first did not.
func earlyReturn(fast bool) string {
	if fast {
		return GenerateInfraImageName("datastorage", "gateway-fast")
	}
	return GenerateInfraImageName("datastorage", "gateway-fast")
}

// One call site in a loop, a different consumer each time.
func perConsumer(consumers []string, writer io.Writer) error {
	for _, consumer := range consumers {
		if err := buildDataStorageImageWithTag(GenerateInfraImageName("datastorage", consumer), writer); err != nil {
			return err
		}
	}
	return nil
}

// Separate flows may each generate their own tag.
func setupA() string { return GenerateInfraImageName("datastorage", "signalprocessing") }
func setupB() string { return GenerateInfraImageName("datastorage", "signalprocessing") }
