package infra

import (
	"context"
	"errors"
	"io"
)

// Image is a reference that a [Builder] built, loaded into a Kind cluster
// and found in every node. Code outside this package cannot make a
// non-zero Image, so a string literal or a regenerated tag cannot reach a
// deploy function in its place.
type Image struct{ ref string }

// String returns the reference, e.g. "localhost/datastorage:gateway-1a2b3c4d5e6f7a8b".
func (i Image) String() string { return i.ref }

// Source says how to build an image.
type Source struct {
	// ContextDir is the build context.
	ContextDir string
	// Containerfile is the Containerfile or Dockerfile; empty lets the
	// engine look for one in ContextDir.
	Containerfile string
	// BuildArgs are KEY=VALUE pairs passed as --build-arg, in order.
	BuildArgs []string
}

// ImageSpec describes one image a suite needs.
type ImageSpec struct {
	// Name is the image's repository, e.g. "datastorage" or
	// "kubernaut/datastorage", made to fit the reference grammar as
	// [GenerateInfraImageName] describes.
	Name string
	Source
}

// E2EImageConfig says what [BuildAndLoadImageToKind] builds and where it
// loads it.
type E2EImageConfig struct {
	// Infrastructure names the repository, e.g. "datastorage".
	Infrastructure string
	// Consumer names the suite using the image, e.g. "gateway".
	Consumer string
	Source
	// ClusterName is the Kind cluster to load into.
	ClusterName string
	// Engine and Runner are those of [Builder].
	Engine string
	Runner Runner
}

// BuildAndLoadImageToKind builds one image and loads it into a Kind
// cluster: it is [Builder.BuildAndLoad] for a single image, under the name
// the incident reports use. It generates the reference itself (phase 0),
// builds with it (phase 1), loads it and checks every node for it
// (phase 3), and returns it as the only Image to deploy.
//
// It belongs in the suite's setup, once per image and before any deploy.
// Keep the Image it returns (never assign it to _) and pass that value to
// [DeployService]; generating or writing a reference beside it names an
// image that was never built. Progress goes to w.
func BuildAndLoadImageToKind(ctx context.Context, cfg E2EImageConfig, w io.Writer) (Image, error) {
	if cfg.Infrastructure == "" || cfg.Consumer == "" || cfg.ContextDir == "" || cfg.ClusterName == "" {
		return Image{}, errors.New("infra: E2EImageConfig needs Infrastructure, Consumer, ContextDir and ClusterName")
	}
	b := Builder{Consumer: cfg.Consumer, Cluster: cfg.ClusterName, Engine: cfg.Engine, Runner: cfg.Runner, Progress: w}
	imgs, err := b.BuildAndLoad(ctx, ImageSpec{Name: cfg.Infrastructure, Source: cfg.Source})
	if err != nil {
		return Image{}, err
	}
	return imgs[0], nil
}
