// Package e2eframework adapts infra to sigs.k8s.io/e2e-framework: env.Func
// steps that build and load a suite's images, check that every Kind node
// has them, and deploy them, passing infra.Image values from step to step
// through the context.
//
//	steps := e2eframework.Steps{Builder: infra.Builder{Consumer: "gateway", Cluster: kindClusterName}}
//	testenv.Setup(
//		envfuncs.CreateCluster(kind.NewProvider(), kindClusterName),
//		envfuncs.CreateNamespace(namespace),
//		steps.BuildAndLoad(
//			infra.ImageSpec{Name: "datastorage", Source: infra.Source{ContextDir: "../datastorage"}},
//			infra.ImageSpec{Name: "gateway", Source: infra.Source{ContextDir: ".."}},
//		),
//		steps.Deploy("datastorage", infra.Service{Name: "datastorage", Port: 8080}),
//		steps.Deploy("gateway", infra.Service{Name: "gateway", Port: 8080}),
//	)
//
// A step that needs an image a previous step did not store fails with an
// error naming it, before any command runs.
package e2eframework

import (
	"context"
	"fmt"

	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/e2e-framework/pkg/env"
	"sigs.k8s.io/e2e-framework/pkg/envconf"

	"github.com/imagetaglint/imagetaglint/infra"
)

// Steps makes env.Funcs for one suite.
type Steps struct {
	// Builder builds, loads and checks the images. Its Cluster is the name
	// given to envfuncs.CreateCluster.
	Builder infra.Builder
	// Clientset returns the client Deploy uses; nil makes one from the
	// environment's REST config.
	Clientset func(*envconf.Config) (kubernetes.Interface, error)
}

// imageKey keys an Image in the context by its ImageSpec's Name.
type imageKey string

// ImageFrom returns the Image that a BuildAndLoad step stored under name.
func ImageFrom(ctx context.Context, name string) (infra.Image, bool) {
	img, ok := ctx.Value(imageKey(name)).(infra.Image)
	return img, ok
}

// BuildAndLoad returns an env.Func that builds each image, loads it into
// the Kind cluster and checks every node for it (infra.Builder.BuildAndLoad),
// then stores each Image in the context under its spec's Name. Commands
// run under the environment's context, so its deadline bounds them.
func (s Steps) BuildAndLoad(specs ...infra.ImageSpec) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		imgs, err := s.Builder.BuildAndLoad(ctx, specs...)
		if err != nil {
			return ctx, err
		}
		for i, img := range imgs {
			ctx = context.WithValue(ctx, imageKey(specs[i].Name), img)
		}
		return ctx, nil
	}
}

// Verify returns an env.Func that checks again that every node of the Kind
// cluster has the named images, for a step that runs long after the load
// or after nodes were added or restarted.
func (s Steps) Verify(names ...string) env.Func {
	return func(ctx context.Context, _ *envconf.Config) (context.Context, error) {
		imgs := make([]infra.Image, len(names))
		for i, name := range names {
			img, err := lookup(ctx, "verify", name)
			if err != nil {
				return ctx, err
			}
			imgs[i] = img
		}
		return ctx, s.Builder.Verify(ctx, imgs...)
	}
}

// Deploy returns an env.Func that deploys the image stored under image as
// svc (infra.DeployService) into the environment's namespace, the one
// envfuncs.CreateNamespace or envconf.Config.WithNamespace set.
func (s Steps) Deploy(image string, svc infra.Service) env.Func {
	return func(ctx context.Context, cfg *envconf.Config) (context.Context, error) {
		img, err := lookup(ctx, "deploy "+svc.Name, image)
		if err != nil {
			return ctx, err
		}
		namespace := cfg.Namespace()
		if namespace == "" {
			return ctx, fmt.Errorf("e2eframework: deploy %s: the environment has no namespace; create one with envfuncs.CreateNamespace first", svc.Name)
		}
		client, err := s.clientset(cfg)
		if err != nil {
			return ctx, fmt.Errorf("e2eframework: deploy %s: %w", svc.Name, err)
		}
		return ctx, infra.DeployService(ctx, client, namespace, svc, img)
	}
}

// lookup returns the Image stored under name, or an error saying which
// step lacks it.
func lookup(ctx context.Context, step, name string) (infra.Image, error) {
	img, ok := ImageFrom(ctx, name)
	if !ok {
		return infra.Image{}, fmt.Errorf("e2eframework: %s: no image %q in the context; add a BuildAndLoad step for it before this one", step, name)
	}
	return img, nil
}

func (s Steps) clientset(cfg *envconf.Config) (kubernetes.Interface, error) {
	if s.Clientset != nil {
		return s.Clientset(cfg)
	}
	client, err := cfg.NewClient()
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(client.RESTConfig())
}
