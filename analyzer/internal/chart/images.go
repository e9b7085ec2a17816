package chart

import (
	"slices"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// Image is an image that --set keys sharing a path give: image.repository
// and image.tag make one, controller.image another.
type Image struct {
	// Path is the key the parts share: ["image"] for image.repository and
	// image.tag; ["controller"] for controller.image.
	Path []string
	// The parts set, nil when not set; Ref is a whole reference given to a
	// key named image. When a key is set twice, the last value wins, as in helm.
	Registry, Repository, Tag, Digest, Ref command.Value
	// Keys are the keys that set it, in command-line order.
	Keys [][]string
}

// ImageKeys groups the sets that give an image: keys ending in repository,
// tag, registry or digest, image.name, or a key named image. Other sets are
// left out.
func ImageKeys(sets []command.Set) []Image {
	var images []Image
	for _, s := range sets {
		n := len(s.Key)
		if n == 0 {
			continue
		}
		path, part := s.Key[:n-1], s.Key[n-1]
		if part == "name" && n >= 2 && s.Key[n-2] == "image" {
			part = "repository"
		}
		if !slices.Contains([]string{"registry", "repository", "tag", "digest", "image"}, part) {
			continue
		}
		i := slices.IndexFunc(images, func(im Image) bool { return slices.Equal(im.Path, path) })
		if i < 0 {
			images = append(images, Image{Path: path})
			i = len(images) - 1
		}
		im := &images[i]
		switch part {
		case "registry":
			im.Registry = s.Value
		case "repository":
			im.Repository = s.Value
		case "tag":
			im.Tag = s.Value
		case "digest":
			im.Digest = s.Value
		case "image":
			im.Ref = s.Value
		}
		im.Keys = append(im.Keys, s.Key)
	}
	return images
}

// Reference returns the image as a chart usually composes it,
// [registry/]repository[:tag][@digest], or Ref; nil when the sets leave the
// repository to the chart. Charts differ: a missing tag is often the
// chart's appVersion.
func (im Image) Reference() command.Value {
	if im.Ref != nil {
		return im.Ref
	}
	if im.Repository == nil {
		return nil
	}
	var parts []command.Word
	if im.Registry != nil {
		parts = append(parts, im.Registry, command.Lit("/"))
	}
	parts = append(parts, im.Repository)
	if im.Tag != nil {
		parts = append(parts, command.Lit(":"), im.Tag)
	}
	if im.Digest != nil {
		parts = append(parts, command.Lit("@"), im.Digest)
	}
	return command.Concat(parts...)
}
