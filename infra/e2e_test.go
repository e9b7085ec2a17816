//go:build e2e

package infra

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// TestKindLifecycle runs Setup against a real Kind cluster with podman and
// waits until both pods run the images that were built for them. It uses the cluster named by INFRA_E2E_CLUSTER, or creates one
// named imagetaglint-e2e and deletes it afterwards.
//
//	go test -tags e2e -run KindLifecycle -timeout 30m ./infra/
func TestKindLifecycle(t *testing.T) {
	for _, tool := range []string{"kind", "podman"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH; the Kind lifecycle test needs kind and podman", tool)
		}
	}
	if os.Getenv("KIND_EXPERIMENTAL_PROVIDER") == "" {
		t.Setenv("KIND_EXPERIMENTAL_PROVIDER", "podman")
	}
	ctx := t.Context()
	cluster := kindCluster(t)
	kubeconfig, err := exec.CommandContext(ctx, "kind", "get", "kubeconfig", "--name", cluster).Output()
	if err != nil {
		t.Fatalf("kind get kubeconfig --name %s: %v", cluster, err)
	}
	restConfig, err := clientcmd.RESTConfigFromKubeConfig(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	client, err := kubernetes.NewForConfig(restConfig)
	if err != nil {
		t.Fatal(err)
	}

	namespace := fmt.Sprintf("infra-e2e-%d", time.Now().Unix())
	t.Cleanup(func() {
		_ = client.CoreV1().Namespaces().Delete(ctx, namespace, metav1.DeleteOptions{})
	})
	src := staticBinarySource(t)
	apps := []App{
		{Service: Service{Name: "datastorage"}, Source: src},
		{Service: Service{Name: "tiny"}, Source: src},
	}
	err = Setup(ctx, SetupOptions{
		Builder:   Builder{Consumer: "infra-e2e", Cluster: cluster, Engine: "podman", Progress: t.Output()},
		Namespace: namespace,
		Client:    client,
		Apps:      apps,
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, app := range apps {
		name := app.Name
		d, err := client.AppsV1().Deployments(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := d.Spec.Template.Spec.Containers[0].Image
		err = wait.PollUntilContextTimeout(ctx, 2*time.Second, 3*time.Minute, true, func(ctx context.Context) (bool, error) {
			pods, err := client.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{LabelSelector: "app=" + name})
			if err != nil || len(pods.Items) == 0 {
				return false, err
			}
			for _, s := range pods.Items[0].Status.ContainerStatuses {
				if w := s.State.Waiting; w != nil && slices.Contains([]string{"ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff"}, w.Reason) {
					return false, fmt.Errorf("%s: %s: %s", name, w.Reason, w.Message)
				}
				// The runtime may report the reference normalised, with a
				// "docker.io/" in front.
				if s.Ready && (s.Image == want || strings.HasSuffix(s.Image, "/"+want)) {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			t.Fatalf("%s never ran %s: %v", name, want, err)
		}
		t.Logf("%s runs %s", name, want)
	}
}

// kindCluster returns the cluster to use, creating it if INFRA_E2E_CLUSTER
// is unset.
func kindCluster(t *testing.T) string {
	if name := os.Getenv("INFRA_E2E_CLUSTER"); name != "" {
		return name
	}
	const name = "imagetaglint-e2e"
	if out, err := exec.Command("kind", "create", "cluster", "--name", name, "--wait", "2m").CombinedOutput(); err != nil {
		t.Fatalf("kind create cluster: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("kind", "delete", "cluster", "--name", name).CombinedOutput(); err != nil {
			t.Errorf("kind delete cluster: %v\n%s", err, out)
		}
	})
	return name
}
