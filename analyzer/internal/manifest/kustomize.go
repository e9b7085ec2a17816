package manifest

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Kustomization is what a kustomization.yaml says about images: where its
// resources are and how it rewrites image references. Fields follow
// sigs.k8s.io/kustomize/api/types. That module is not imported: it brings
// in some 80 packages, and newer kube-openapi and go-openapi than
// k8s.io/client-go here, for these few fields.
type Kustomization struct {
	Resources []string         // resources/bases entries as written
	Images    []KustomizeImage // images: entries
}

// KustomizeImage is an entry of a kustomization's images: list.
type KustomizeImage struct {
	Name      string `yaml:"name"`
	NewName   string `yaml:"newName"`
	NewTag    string `yaml:"newTag"`
	TagSuffix string `yaml:"tagSuffix"` // appended to the tag
	Digest    string `yaml:"digest"`
	Line      int    `yaml:"-"` // 1-based line of the entry
}

// ParseKustomization parses a kustomization file, reading only what
// concerns images. Like kustomize, it takes the deprecated bases after
// resources and imageTags after images.
func ParseKustomization(data []byte) (Kustomization, error) {
	if len(data) > maxSize {
		return Kustomization{}, fmt.Errorf("kustomization of %d bytes: more than %d", len(data), maxSize)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Kustomization{}, fmt.Errorf("kustomization: %w", err)
	}
	if len(doc.Content) == 0 {
		return Kustomization{}, nil // an empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Kustomization{}, fmt.Errorf("kustomization: line %d: not a mapping", root.Line)
	}
	var k Kustomization
	var bases []string
	var imageTags []KustomizeImage
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		var err error
		switch key.Value {
		case "resources":
			err = value.Decode(&k.Resources)
		case "bases":
			err = value.Decode(&bases)
		case "images":
			k.Images, err = decodeImages(value)
		case "imageTags":
			imageTags, err = decodeImages(value)
		}
		if err != nil {
			return Kustomization{}, fmt.Errorf("kustomization: %s: %w", key.Value, err)
		}
	}
	k.Resources = append(k.Resources, bases...)
	k.Images = append(k.Images, imageTags...)
	if len(k.Images) > 0 {
		// yaml.v3 breaks lines at more than "\n".
		yt, lines := newYAMLText(string(data)), lineStarts(string(data))
		for i := range k.Images {
			k.Images[i].Line, _ = lineCol(lines, yt.offset(k.Images[i].Line, 1))
		}
	}
	return k, nil
}

// decodeImages decodes a list of images, with the yaml.v3 line of each.
func decodeImages(list *yaml.Node) ([]KustomizeImage, error) {
	var images []KustomizeImage
	if err := list.Decode(&images); err != nil {
		return nil, err
	}
	if list.Kind == yaml.AliasNode {
		list = list.Alias
	}
	if len(images) != len(list.Content) {
		return nil, fmt.Errorf("line %d: not a list of images", list.Line)
	}
	for i := range images {
		images[i].Line = list.Content[i].Line
		if images[i].Name == "" {
			return nil, fmt.Errorf("line %d: an image without a name", images[i].Line)
		}
	}
	return images, nil
}
