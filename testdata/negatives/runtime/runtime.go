// Package runtime deploys images whose names are only known at run time:
// read from the environment or files, or computed. imagetaglint cannot tell
// where they come from and must stay silent.
package runtime

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"imagetaglint.test/e2e/negatives/kindutil"
)

func pod(name, namespace, image string) *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: name, Image: image, ImagePullPolicy: corev1.PullNever}},
		},
	}
}

// fromEnv: CI passes the image it built.
func fromEnv(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	image := os.Getenv("DATASTORAGE_IMAGE")
	if image == "" {
		return fmt.Errorf("DATASTORAGE_IMAGE not set")
	}
	return kindutil.ApplyObjects(ctx, kubeconfig, w, pod("datastorage", namespace, image))
}

// fromEnvWithDefault: an override with a local default.
func fromEnvWithDefault(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	image := os.Getenv("GATEWAY_IMAGE")
	if image == "" {
		image = "localhost/kubernaut-gateway:" + os.Getenv("GIT_SHA")
	}
	return kindutil.ApplyObjects(ctx, kubeconfig, w, pod("gateway", namespace, image))
}

// fromFile: the build step wrote the image name to a file.
func fromFile(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	data, err := os.ReadFile("/tmp/kubernaut-e2e/notification.image")
	if err != nil {
		return err
	}
	return kindutil.ApplyObjects(ctx, kubeconfig, w, pod("notification", namespace, strings.TrimSpace(string(data))))
}

// replaced: a tag substituted into a base reference at run time.
func replaced(ctx context.Context, namespace, kubeconfig, tag string, w io.Writer) error {
	image := strings.ReplaceAll("localhost/kubernaut-aianalysis:TAG", "TAG", tag)
	return kindutil.ApplyObjects(ctx, kubeconfig, w, pod("aianalysis", namespace, image))
}

// placeholderManifest: a checked-in manifest whose image placeholder is
// replaced before applying.
func placeholderManifest(ctx context.Context, namespace, kubeconfig string, w io.Writer) error {
	const manifest = `
apiVersion: v1
kind: Pod
metadata:
  name: signalprocessing
spec:
  containers:
  - name: manager
    image: IMAGE_PLACEHOLDER
    imagePullPolicy: Never
`
	image := os.Getenv("SIGNALPROCESSING_IMAGE")
	return kindutil.Apply(ctx, kubeconfig, strings.ReplaceAll(manifest, "IMAGE_PLACEHOLDER", image), w)
}

// Setup runs every case.
func Setup(ctx context.Context, namespace, kubeconfig string, w io.Writer) error { // want Setup:"p1:escape\\+store p2:escape deploys$"
	for _, f := range []func(context.Context, string, string, io.Writer) error{fromEnv, fromEnvWithDefault, fromFile, placeholderManifest} {
		if err := f(ctx, namespace, kubeconfig, w); err != nil {
			return err
		}
	}
	return replaced(ctx, namespace, kubeconfig, os.Getenv("TAG"), w)
}
