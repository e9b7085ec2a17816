package infra

import (
	"context"
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// Service describes the Deployment of one image.
type Service struct {
	// Name names the Deployment and its container, and is the "app" label
	// its pods are selected by. [Setup] also uses it as the repository of
	// the image it builds for the service.
	Name string
	// Port is the container port; 0 declares none.
	Port int32
	Env  []corev1.EnvVar
	Args []string
}

// DeployService creates svc's Deployment running img, or updates it to
// img. The pull policy is Never: img exists only in the Kind nodes, where
// the Builder loaded it, and a pull would fail or, worse, find a stale
// image of the same name.
func DeployService(ctx context.Context, client kubernetes.Interface, namespace string, svc Service, img Image) error {
	if img.ref == "" {
		return errors.New("infra: deploy " + svc.Name + ": zero Image; deploy an Image that a Builder returned")
	}
	labels := map[string]string{"app": svc.Name}
	container := corev1.Container{
		Name:            svc.Name,
		Image:           img.String(),
		ImagePullPolicy: corev1.PullNever,
		Env:             svc.Env,
		Args:            svc.Args,
	}
	if svc.Port != 0 {
		container.Ports = []corev1.ContainerPort{{ContainerPort: svc.Port}}
	}
	replicas := int32(1)
	want := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: svc.Name, Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{container}},
			},
		},
	}
	if err := createOrUpdate(ctx, client, want); err != nil {
		return fmt.Errorf("infra: deploy %s/%s (%s): %w", namespace, svc.Name, img, err)
	}
	return nil
}

// createOrUpdate creates want, or replaces the spec of the Deployment of
// that name, so that a rerun against a kept cluster deploys the new image.
func createOrUpdate(ctx context.Context, client kubernetes.Interface, want *appsv1.Deployment) error {
	deployments := client.AppsV1().Deployments(want.Namespace)
	_, err := deployments.Create(ctx, want, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		got, err := deployments.Get(ctx, want.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		got.Labels = want.Labels
		got.Spec = want.Spec
		_, err = deployments.Update(ctx, got, metav1.UpdateOptions{})
		return err
	})
}
