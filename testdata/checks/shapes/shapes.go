// Package shapes holds code shapes that are not the incident reports' but
// appear in real infrastructure code: method values, function literals and
// generics as producers and generators.
package shapes

import (
	"context"
	"fmt"
	"io"
	"time"

	"imagetaglint.test/e2e/kit"
)

type E2EImageConfig struct{ ServiceName, ImageName string }

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:generated"
	return fmt.Sprintf("localhost/%s:%x", cfg.ImageName, time.Now().UnixNano()), nil
}

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func deployService(ctx context.Context, namespace, image string) error {
	return kit.Deploy(ctx, namespace, "service", image)
}

// Builder wraps the producer: its method is a producer by fact.
type Builder struct{ writer io.Writer }

func (b *Builder) Build(cfg E2EImageConfig) (string, error) { // want Build:"r0:produced"
	return BuildAndLoadImageToKind(cfg, b.writer)
}

func methodValue(b *Builder) error {
	build := b.Build
	_, err := build(E2EImageConfig{ServiceName: "gateway"}) // want `the image returned by Build is assigned to _`
	return err
}

func functionLiteralGenerator(ctx context.Context) error {
	tagFor := func(consumer string) string {
		return GenerateInfraImageName("datastorage", consumer)
	}
	return deployService(ctx, "sp-e2e", tagFor("signalprocessing")) // want `called while deploying \(deployService\)`
}

// Generic wrappers are producers and generators like any other.
func firstOf[T any](items []T, build func(T) (string, error)) (string, error) {
	return build(items[0])
}

func tagOf[T fmt.Stringer](consumer T) string {
	return GenerateInfraImageName("datastorage", consumer.String())
}

type consumer string

func (c consumer) String() string { return string(c) }

func generics(ctx context.Context, writer io.Writer) error {
	if err := deployService(ctx, "aa-e2e", tagOf(consumer("aianalysis"))); err != nil { // want `tagOf called while deploying \(deployService\)`
		return err
	}
	_, err := firstOf([]E2EImageConfig{{ServiceName: "x"}}, func(cfg E2EImageConfig) (string, error) {
		return BuildAndLoadImageToKind(cfg, writer)
	})
	return err
}

// Deeply nested normalisation still resolves, within a bound.
func nested(ctx context.Context) error {
	_ = buildImage("localhost/other:1")
	tag := GenerateInfraImageName("datastorage", "nested")
	image := fmt.Sprintf("%s", fmt.Sprintf("%s", fmt.Sprintf("localhost/%s", fmt.Sprintf("%s", tag))))
	return deployService(ctx, "nested-e2e", image) // want `deployed image comes from GenerateInfraImageName`
}

func buildImage(name string) error { return kit.Build(name, io.Discard) }
