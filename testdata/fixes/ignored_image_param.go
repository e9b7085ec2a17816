package fixes

import (
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
)

// setupDataStorage passes the image it built: deployDataStorageService
// receives an image.
func setupDataStorage(writer io.Writer) (corev1.PodSpec, error) {
	image, err := BuildAndLoadImageToKind(E2EImageConfig{ServiceName: "notification", ImageName: "datastorage"}, writer)
	return deployDataStorageService("notification-e2e", image, writer), err
}

func deployDataStorageService(namespace, imageName string, writer io.Writer) corev1.PodSpec { // want `deployDataStorageService receives image parameter imageName but deploys "localhost/kubernaut-datastorage:e2e-test-datastorage"`
	fmt.Fprintf(writer, "Using image: %s\n", imageName)
	return corev1.PodSpec{Containers: []corev1.Container{{
		Name:  "datastorage-" + namespace,
		Image: "localhost/kubernaut-datastorage:e2e-test-datastorage",
	}}}
}
