// Package wrappers is a shared E2E infrastructure package: its wrappers
// are producers, generators, deploy sinks and re-tag helpers for the
// packages that use them.
package wrappers

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"

	corev1 "k8s.io/api/core/v1"
)

type E2EImageConfig struct {
	ServiceName string
	ImageName   string
}

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", cfg.ImageName, cfg.ServiceName, time.Now().UnixNano()), nil
}

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

// BuildDataStorage wraps the producer.
func BuildDataStorage(consumer string, writer io.Writer) (string, error) { // want BuildDataStorage:"p0:store r0:produced"
	return BuildAndLoadImageToKind(E2EImageConfig{ServiceName: consumer, ImageName: "kubernaut/datastorage"}, writer)
}

// GetDataStorageImageTagForSignalProcessing wraps the generator.
func GetDataStorageImageTagForSignalProcessing() string { // want GetDataStorageImageTagForSignalProcessing:"r0:generated"
	return GenerateInfraImageName("datastorage", "signalprocessing")
}

// NormalisedTag wraps a wrapper, normalising it on the way.
func NormalisedTag(consumer string) string { // want NormalisedTag:"p0:escape r0:generated"
	return fmt.Sprintf("localhost/%s", GenerateInfraImageName("datastorage", consumer))
}

// StartDataStorage has no deploy-like name, but its third parameter ends
// in a container spec: it is a deploy sink.
func StartDataStorage(ctx context.Context, namespace, image string) corev1.Container { // want StartDataStorage:"p2:deploy\\+spec deploys$"
	_ = ctx
	return corev1.Container{Name: "datastorage-" + namespace, Image: image, ImagePullPolicy: corev1.PullNever}
}

// Options is how suites hand a helper its image: a field of a struct.
type Options struct {
	Namespace string
	Image     string
}

// StartWithOptions deploys the image its options name.
func StartWithOptions(ctx context.Context, o *Options) corev1.Container { // want StartWithOptions:"p1.Image:deploy\\+spec deploys$"
	return StartDataStorage(ctx, o.Namespace, o.Image)
}

// RetagInNode is the Phase 3.5 helper.
func RetagInNode(node, source, target string) error { // want RetagInNode:"p1:node-retag p2:node-retag"
	return exec.Command("podman", "exec", node, "ctr", "-n", "k8s.io", "images", "tag", source, target).Run() // want `re-tags an image inside the Kind node`
}
