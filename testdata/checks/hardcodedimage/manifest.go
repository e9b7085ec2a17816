package hardcodedimage

import (
	"fmt"
	"strings"
)

// want +8 `hardcoded image "datastorage:e2e-test" in manifest; deploy the reference your build step returns \[hardcoded-image\]`
const dataStorageManifest = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: datastorage
        image: datastorage:e2e-test
        imagePullPolicy: Never
      - name: postgres
        image: postgres:16-alpine
`

func workflowExecutionManifest(namespace string) string {
	// want +11 `hardcoded image "localhost/kubernaut-datastorage:latest" in manifest`
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: datastorage
  namespace: %s
spec:
  template:
    spec:
      containers:
      - name: datastorage
        image: localhost/kubernaut-datastorage:latest
        ports:
        - containerPort: 8080
`, namespace)
}

const podHeader = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: aianalysis\n"

// The constant concatenation is reported at the literal holding the image.
const aiAnalysisPod = podHeader +
	"spec:\n  containers:\n  - name: aianalysis\n    image: localhost/kubernaut-aianalysis:e2e\n" // want `hardcoded image "localhost/kubernaut-aianalysis:e2e" in manifest`

const jsonPatch = `{"spec": {"template": {"spec": {"containers": [{"name": "gateway", "image": "localhost/kubernaut-gateway:e2e"}]}}}}` // want `hardcoded image "localhost/kubernaut-gateway:e2e" in manifest`

const deploymentTemplate = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
spec:
  template:
    spec:
      containers:
      - name: %[1]s
        image: %[2]s
        imagePullPolicy: Never
`

func templateFilledWithConstant() string {
	return fmt.Sprintf(deploymentTemplate, "notification", "localhost/kubernaut-notification:e2e") // want `hardcoded image "localhost/kubernaut-notification:e2e" in manifest`
}

// Negatives.

func templateFilledWithVariable(name, image string) string {
	return fmt.Sprintf(deploymentTemplate, name, image)
}

func partlyFilled(tag string) string {
	return fmt.Sprintf("spec:\n  containers:\n  - name: ds\n    image: localhost/kubernaut-datastorage:%s\n", tag)
}

const textTemplate = `spec:
  containers:
  - name: {{ .Name }}
    image: {{ .Image }}
`

const externalOnly = `spec:
  containers:
  - name: redis
    image: quay.io/jordigilh/redis:7
  - name: pg
    image: postgres:16-alpine
  - name: box
    image: busybox
`

// A Helm values file: "image" here is not a container image field.
const helmValues = `image:
  repository: localhost/kubernaut-datastorage
  tag: e2e
config:
  image: localhost/kubernaut-datastorage:e2e
`

const configMap = `apiVersion: v1
kind: ConfigMap
data:
  image: localhost/kubernaut-datastorage:e2e
`

func replacedAtRunTime(image string) string {
	return strings.ReplaceAll(`spec:
  containers:
  - name: ds
    image: IMAGE_PLACEHOLDER
`, "IMAGE_PLACEHOLDER", image)
}

const notYAML = `image: [localhost/x:1 unterminated`
