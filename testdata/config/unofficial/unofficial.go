// Package unofficial runs with -unofficial-local=false: an unqualified
// name is no longer local by itself; a local registry or pull policy Never
// still is.
package unofficial

import corev1 "k8s.io/api/core/v1"

func containers() []corev1.Container {
	return []corev1.Container{
		{Name: "datastorage", Image: "datastorage:e2e"},
		{Name: "gateway", Image: "gateway:e2e", ImagePullPolicy: corev1.PullNever}, // want `hardcoded image "gateway:e2e" in container spec`
		{Name: "notification", Image: "localhost/notification:e2e"},                // want `hardcoded image "localhost/notification:e2e" in container spec`
	}
}
