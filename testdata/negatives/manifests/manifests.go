// Package manifests has YAML and JSON with image: keys that are not container
// images of a pod: configuration data, Helm values, kustomize image
// overrides. Nothing here may be reported.
package manifests

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"imagetaglint.test/e2e/negatives/kindutil"
)

// configMapWithImageData: the tested service reads an image reference as
// configuration (it launches remediation jobs with it).
const configMapWithImageData = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: workflowexecution-config
  namespace: kubernaut-system
data:
  config.yaml: |
    defaults:
      image: localhost/kubernaut-datastorage:e2e-test-datastorage
      pullPolicy: Never
  runner:
    image: localhost/kubernaut-runner:e2e
`

// helmValuesMap: Helm values with an image mapping.
const helmValuesMap = `
image:
  repository: localhost/kubernaut-datastorage
  tag: e2e-test-datastorage
  pullPolicy: Never
postgresql:
  image: {repository: postgres, tag: 16-alpine}
`

// helmValuesScalar: Helm values with an image string outside any pod spec.
const helmValuesScalar = `
datastorage:
  image: localhost/kubernaut-datastorage:latest
  replicas: 1
gateway:
  image: localhost/kubernaut-gateway:latest
`

// kustomization overrides images by name.
const kustomization = `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../config/default
images:
- name: controller
  newName: localhost/kubernaut-signalprocessing
  newTag: e2e
`

// customResource: a CR whose spec names an image the controller will run.
const customResource = `
apiVersion: kubernaut.ai/v1alpha1
kind: WorkflowExecution
metadata:
  name: restart-pod
spec:
  workflowRef:
    image: quay.io/jordigilh/test-workflows/restart-pod:v1.0.0
  executionImage: localhost/kubernaut-runner:e2e
`

// jsonPatch: a JSON manifest with external images only.
const jsonPatch = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "redis"},
  "spec": {"template": {"spec": {
    "containers": [{"name": "redis", "image": "quay.io/jordigilh/redis:7"}],
    "initContainers": [{"name": "sysctl", "image": "busybox", "command": ["sysctl", "-w", "net.core.somaxconn=1024"]}]
  }}}
}`

// Setup applies the manifests and renders the values.
func Setup(ctx context.Context, kubeconfig string, w io.Writer) error { // want Setup:"deploys opaque"
	for _, m := range []string{configMapWithImageData, customResource, jsonPatch} {
		if err := kindutil.Apply(ctx, kubeconfig, m, w); err != nil {
			return err
		}
	}
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: "helm-values", Namespace: "kubernaut-system"},
		Data: map[string]string{
			"values.yaml":        helmValuesMap,
			"values-legacy.yaml": helmValuesScalar,
			"image":              "localhost/kubernaut-datastorage:e2e-test-datastorage",
		},
	}
	if err := kindutil.ApplyObjects(ctx, kubeconfig, w, cm); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "kustomize-e2e")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o600); err != nil {
		return err
	}
	apply := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfig, "apply", "-k", dir)
	apply.Stdout = w
	apply.Stderr = w
	if err := apply.Run(); err != nil {
		return fmt.Errorf("kubectl apply -k: %w", err)
	}
	return nil
}
