package fixes

import (
	"context"
	"io"
)

func setupGateway(ctx context.Context, writer io.Writer) error {
	dataStorageImageName := GenerateInfraImageName("datastorage", "gateway")
	if err := buildDataStorageImageWithTag(dataStorageImageName, writer); err != nil {
		return err
	}
	return deployDataStorageServiceInNamespace(ctx, "gateway-e2e", GenerateInfraImageName("datastorage", "gateway"), writer) // want `GenerateInfraImageName called while deploying`
}

// The one candidate holds another image: no fix is offered.
func setupOther(ctx context.Context, writer io.Writer) error {
	holmes := GenerateInfraImageName("holmesgpt-api", "aianalysis")
	_ = buildDataStorageImageWithTag(holmes, writer)
	return deployDataStorageServiceInNamespace(ctx, "aa-e2e", GenerateInfraImageName("datastorage", "aianalysis"), writer) // want `GenerateInfraImageName called while deploying`
}

// Two candidates with other arguments: no fix is offered.
func setupAmbiguous(ctx context.Context, writer io.Writer) error {
	a := GenerateInfraImageName("datastorage", "a")
	b := GenerateInfraImageName("datastorage", "b")
	_ = buildDataStorageImageWithTag(a, writer)
	_ = buildDataStorageImageWithTag(b, writer)
	return deployDataStorageServiceInNamespace(ctx, "c-e2e", GenerateInfraImageName("datastorage", "c"), writer) // want `GenerateInfraImageName called while deploying`
}
