package fixes

import (
	"context"
	"io"
)

func setupNotification(ctx context.Context, writer io.Writer) error {
	_, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "notification", ImageName: "kubernaut/datastorage"}, writer) // want `BuildAndLoadImageToKind is assigned to _`
	if err != nil {
		return err
	}
	return deployDataStorageServiceInNamespace(ctx, "notification-e2e", "localhost/kubernaut-datastorage:e2e-test-datastorage", writer) // want `hardcoded image "localhost/kubernaut-datastorage:e2e-test-datastorage" deployed by deployDataStorageServiceInNamespace`
}

// Nothing deployed later in the function: no fix is offered.
func buildOnly(writer io.Writer) error {
	if _, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "x"}, writer); err != nil { // want `BuildAndLoadImageToKind is assigned to _`
		return err
	}
	return nil
}
