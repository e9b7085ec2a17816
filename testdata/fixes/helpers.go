// Package fixes holds the suggested fixes of imagetaglint, each file with
// its .golden result.
package fixes

import (
	"context"
	"fmt"
	"io"
	"time"

	"imagetaglint.test/e2e/kit"
)

type E2EImageConfig struct{ ServiceName, ImageName string }

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) { // want BuildAndLoadImageToKind:"r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", cfg.ImageName, cfg.ServiceName, time.Now().UnixNano()), nil
}

func GenerateInfraImageName(infrastructure, consumer string) string { // want GenerateInfraImageName:"p0:escape p1:escape r0:generated"
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func buildDataStorageImageWithTag(imageName string, writer io.Writer) error {
	return kit.Build(imageName, writer)
}

func deployDataStorageServiceInNamespace(ctx context.Context, namespace, imageName string, writer io.Writer) error {
	return kit.Deploy(ctx, namespace, "datastorage", imageName)
}
