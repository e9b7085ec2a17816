package infrastructure

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	// WorkflowExecutionNamespace is where the controller runs.
	WorkflowExecutionNamespace = "kubernaut-system"
	// ExecutionNamespace is where PipelineRuns execute.
	ExecutionNamespace = "kubernaut-workflows"

	tektonPipelinesRelease = "https://storage.googleapis.com/tekton-releases/pipeline/previous/v1.7.0/release.yaml"
)

// CreateWorkflowExecutionCluster creates the Kind cluster with Tekton
// Pipelines installed.
func CreateWorkflowExecutionCluster(ctx context.Context, clusterName, kubeconfigPath string, writer io.Writer) error { // want CreateWorkflowExecutionCluster:"deploys$"
	fmt.Fprintln(writer, "☸️  Creating WorkflowExecution Kind cluster")
	if err := createKindCluster(clusterName, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to create Kind cluster: %w", err)
	}
	for _, ns := range []string{WorkflowExecutionNamespace, ExecutionNamespace} {
		if err := createTestNamespace(ctx, ns, kubeconfigPath, writer); err != nil {
			return err
		}
	}
	if err := installTektonPipelines(ctx, kubeconfigPath, writer); err != nil {
		return fmt.Errorf("failed to install Tekton: %w", err)
	}
	return applyManifest(ctx, kubeconfigPath, testWorkflowTasks, writer)
}

func installTektonPipelines(ctx context.Context, kubeconfigPath string, writer io.Writer) error {
	fmt.Fprintln(writer, "  🔧 Installing Tekton Pipelines...")
	cmd := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "apply", "-f", tektonPipelinesRelease)
	cmd.Stdout = writer
	cmd.Stderr = writer
	if err := cmd.Run(); err != nil {
		return err
	}
	wait := exec.CommandContext(ctx, "kubectl", "--kubeconfig", kubeconfigPath, "-n", "tekton-pipelines",
		"wait", "--for=condition=Available", "deployment", "--all", "--timeout=300s")
	wait.Stdout = writer
	wait.Stderr = writer
	return wait.Run()
}

// deployWorkflowExecutionController deploys the controller running imageName.
func deployWorkflowExecutionController(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying WorkflowExecution controller (%s)...\n", imageName)
	if err := applyManifest(ctx, kubeconfigPath, workflowExecutionCRDManifest, writer); err != nil {
		return fmt.Errorf("failed to install WorkflowExecution CRD: %w", err)
	}
	replicas := int32(1)
	labels := map[string]string{"app": "workflowexecution-controller"}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "workflowexecution-controller", Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					ServiceAccountName: "workflowexecution-controller",
					Containers: []corev1.Container{{
						Name:            "manager",
						Image:           imageName,
						ImagePullPolicy: corev1.PullNever,
						Args: []string{
							"--execution-namespace=" + ExecutionNamespace,
							"--datastorage-url=http://datastorage." + namespace + ".svc.cluster.local:8080",
						},
						Env: []corev1.EnvVar{{Name: "GOCOVERDIR", Value: "/coverdata"}},
					}},
				},
			},
		},
	}
	if err := applyObjects(ctx, kubeconfigPath, writer, deployment); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "workflowexecution-controller", 2*time.Minute, writer)
}

// deployDataStorageForWorkflowExecution deploys the audit DataStorage used by
// the WorkflowExecution suite, running imageName.
func deployDataStorageForWorkflowExecution(ctx context.Context, namespace, kubeconfigPath, imageName string, writer io.Writer) error {
	fmt.Fprintf(writer, "  📦 Deploying Data Storage for WorkflowExecution in %s (%s)...\n", namespace, imageName)
	manifest := fmt.Sprintf(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: datastorage
  namespace: %[1]s
  labels:
    app: datastorage
spec:
  replicas: 1
  selector:
    matchLabels:
      app: datastorage
  template:
    metadata:
      labels:
        app: datastorage
    spec:
      containers:
      - name: datastorage
        image: %[2]s
        imagePullPolicy: Never
        ports:
        - containerPort: 8080
        env:
        - name: POSTGRES_HOST
          value: postgresql.%[1]s.svc.cluster.local
        - name: REDIS_ADDR
          value: redis.%[1]s.svc.cluster.local:6379
        readinessProbe:
          httpGet:
            path: /health/ready
            port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: datastorage
  namespace: %[1]s
spec:
  selector:
    app: datastorage
  ports:
  - port: 8080
    targetPort: 8080
`, namespace, imageName)
	if err := applyManifest(ctx, kubeconfigPath, manifest, writer); err != nil {
		return err
	}
	return waitForDeploymentReady(ctx, kubeconfigPath, namespace, "datastorage", 3*time.Minute, writer)
}

const workflowExecutionCRDManifest = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: workflowexecutions.kubernaut.ai
spec:
  group: kubernaut.ai
  names:
    kind: WorkflowExecution
    plural: workflowexecutions
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`

// testWorkflowTasks are the Tekton tasks the E2E workflows run. Their step
// images are pulled from registries: nothing here is built locally.
const testWorkflowTasks = `
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello-world
  namespace: kubernaut-workflows
spec:
  params:
  - name: MESSAGE
    default: hello
  steps:
  - name: echo
    image: registry.access.redhat.com/ubi9/ubi-minimal:latest
    script: |
      echo "$(params.MESSAGE)"
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: failing-task
  namespace: kubernaut-workflows
spec:
  steps:
  - name: fail
    image: busybox
    script: exit 1
`
