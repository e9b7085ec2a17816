// Package templates fills manifest templates with image variables: "%s",
// "%[2]s" and text/template actions are placeholders, not hardcoded images.
package templates

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"text/template"

	"imagetaglint.test/e2e/negatives/kindutil"
)

const controllerTemplate = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  namespace: kubernaut-system
spec:
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
    spec:
      containers:
      - name: manager
        image: %s
        imagePullPolicy: Never
`

// deployController: positional %s verbs.
func deployController(ctx context.Context, kubeconfig, name, image string, w io.Writer) error {
	return kindutil.Apply(ctx, kubeconfig, fmt.Sprintf(controllerTemplate, name, name, name, image), w)
}

// deployWithIndexedVerbs: explicit argument indexes.
func deployWithIndexedVerbs(ctx context.Context, kubeconfig, namespace, image string, w io.Writer) error {
	manifest := fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata:
  name: datastorage
  namespace: %[1]s
spec:
  containers:
  - name: datastorage
    image: %[2]s
    env:
    - name: NAMESPACE
      value: %[1]s
`, namespace, image)
	return kindutil.Apply(ctx, kubeconfig, manifest, w)
}

var podTemplate = template.Must(template.New("pod").Parse(`
apiVersion: v1
kind: Pod
metadata:
  name: {{.Name}}
spec:
  containers:
  - name: {{.Name}}
    image: {{.Image}}
    imagePullPolicy: {{.PullPolicy}}
  - name: sidecar
    image: "{{ .SidecarImage }}"
`))

type podValues struct {
	Name, Image, PullPolicy, SidecarImage string
}

// deployFromTextTemplate: text/template actions.
func deployFromTextTemplate(ctx context.Context, kubeconfig string, values podValues, w io.Writer) error {
	var buf bytes.Buffer
	if err := podTemplate.Execute(&buf, values); err != nil {
		return err
	}
	return kindutil.Apply(ctx, kubeconfig, buf.String(), w)
}

// helmStyle: a chart template with a values reference.
const helmStyle = `
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: gateway
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`

// envsubstStyle: a manifest filled by envsubst in CI.
const envsubstStyle = `
apiVersion: v1
kind: Pod
spec:
  containers:
  - name: notification
    image: ${NOTIFICATION_IMAGE}
`

// Setup builds and deploys through every template.
func Setup(ctx context.Context, cluster, kubeconfig string, w io.Writer) error { // want Setup:"p1:store deploys$"
	image, err := kindutil.BuildAndLoadImageToKind(kindutil.E2EImageConfig{
		ServiceName: "remediationorchestrator", ImageName: "remediationorchestrator",
		DockerfilePath: "docker/ro.Dockerfile", KindClusterName: cluster,
	}, w)
	if err != nil {
		return err
	}
	if err := deployController(ctx, kubeconfig, "remediationorchestrator", image, w); err != nil {
		return err
	}
	dsImage := kindutil.GenerateInfraImageName("datastorage", "remediationorchestrator")
	if err := kindutil.BuildImageWithTag(dsImage, "docker/data-storage.Dockerfile", false, w); err != nil {
		return err
	}
	if err := kindutil.LoadImageWithTag(cluster, dsImage, w); err != nil {
		return err
	}
	if err := deployWithIndexedVerbs(ctx, kubeconfig, "kubernaut-system", dsImage, w); err != nil {
		return err
	}
	values := podValues{Name: "ro-debug", Image: image, PullPolicy: "Never", SidecarImage: dsImage}
	if err := deployFromTextTemplate(ctx, kubeconfig, values, w); err != nil {
		return err
	}
	fmt.Fprintf(w, "templates: %d and %d bytes\n", len(helmStyle), len(envsubstStyle))
	return nil
}
