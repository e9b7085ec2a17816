package chart

import (
	"path"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// Default is an image a chart runs when no value overrides it, as its
// values.yaml writes it.
type Default struct {
	Key        []string // the values key of the image: ["controller", "image"]
	Repository string   // with the registry when the chart writes it apart
	Tag        string   // "" when the chart leaves it to appVersion or a template
	File       string   // values.yaml, in the chart's file system
	Line       int
	mapping    bool // written as repository (registry, tag) keys, not one string
}

// maxDefaultsDepth bounds the walk of values.yaml.
const maxDefaultsDepth = 32

// DefaultImages returns the images values.yaml of c (not of its subcharts)
// names in the layouts charts use: a mapping with a repository (and
// registry, tag) under any key, or a string value under a key named image.
func (c *Chart) DefaultImages() []Default {
	if c == nil || c.values == nil {
		return nil
	}
	file := path.Join(c.Dir, "values.yaml")
	var out []Default
	WalkValues(c.values, maxDefaultsDepth, func(n *yaml.Node, key []string) bool {
		switch n.Kind {
		case yaml.MappingNode:
			if _, repo := entry(n, "repository"); repo != nil && resolve(repo).Kind == yaml.ScalarNode && resolve(repo).Value != "" {
				d := Default{Key: key, Repository: resolve(repo).Value, File: file, Line: repo.Line, mapping: true}
				if _, reg := entry(n, "registry"); reg != nil && resolve(reg).Kind == yaml.ScalarNode && resolve(reg).Value != "" {
					d.Repository = resolve(reg).Value + "/" + d.Repository
				}
				if _, tag := entry(n, "tag"); tag != nil && resolve(tag).Kind == yaml.ScalarNode {
					d.Tag = resolve(tag).Value
				}
				out = append(out, d)
				return false
			}
			return true
		case yaml.ScalarNode:
			if len(key) > 0 && key[len(key)-1] == "image" && n.Value != "" {
				out = append(out, Default{Key: key, Repository: n.Value, File: file, Line: n.Line})
			}
		}
		return false
	})
	return out
}

// WithDefaultRepository returns im with the repository values.yaml gives
// at its path when the sets give only its tag or digest: helm merges --set
// keys into the chart's values, so "image.tag=e2e" runs the default
// repository at tag e2e. Otherwise, im as it is.
func (c *Chart) WithDefaultRepository(im Image) Image {
	if im.Ref != nil || im.Repository != nil || im.Registry != nil || im.Tag == nil && im.Digest == nil {
		return im
	}
	for _, d := range c.DefaultImages() {
		if slices.Equal(d.Key, im.Path) && d.mapping {
			im.Repository = command.Lit(d.Repository)
		}
	}
	return im
}

// WalkValues calls visit on each node of a values tree, aliases resolved,
// with the keys that lead to it, and walks on into the entries of a
// mapping for which visit returns true; at most maxDepth levels deep.
// Sequences are leaves: helm values keys do not index into lists.
func WalkValues(root *yaml.Node, maxDepth int, visit func(n *yaml.Node, key []string) bool) {
	var walk func(n *yaml.Node, key []string, depth int)
	walk = func(n *yaml.Node, key []string, depth int) {
		n = resolve(n)
		if n == nil || depth > maxDepth || !visit(n, key) || n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			walk(n.Content[i+1], append(slices.Clone(key), n.Content[i].Value), depth+1)
		}
	}
	walk(root, nil, 0)
}
