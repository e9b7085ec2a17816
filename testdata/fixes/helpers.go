// Package fixes holds the suggested fixes of imagetaglint, each file with
// its .golden result.
package fixes

import (
	"context"
	"fmt"
	"io"
	"time"
)

type E2EImageConfig struct{ ServiceName, ImageName string }

func BuildAndLoadImageToKind(cfg E2EImageConfig, writer io.Writer) (string, error) {
	return fmt.Sprintf("localhost/%s:%s-%x", cfg.ImageName, cfg.ServiceName, time.Now().UnixNano()), nil
}

func GenerateInfraImageName(infrastructure, consumer string) string {
	return fmt.Sprintf("localhost/%s:%s-%x", infrastructure, consumer, time.Now().UnixNano())
}

func buildDataStorageImageWithTag(imageName string, writer io.Writer) error { return nil }

func deployDataStorageServiceInNamespace(ctx context.Context, namespace, imageName string, writer io.Writer) error {
	return nil
}
