// Package manifest finds the container images of Kubernetes manifests held
// in Go strings: YAML or JSON, possibly a printf format or a text/template
// template, returning each value as typed segments.
package manifest

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// Syntax tells how a text is turned into a manifest. Printf and Template
// combine.
type Syntax int

const (
	Printf   Syntax = 1 << iota // the text is a fmt format: verbs take arguments, "%%" is "%"
	Template                    // the text is a text/template template: {{ }} actions

	Plain Syntax = 0 // YAML or JSON as is
)

// Container is the image of one container of a manifest.
type Container struct {
	Image      Value
	PullPolicy Value // nil when the container sets none
	Offset     int   // byte offset of the image value in the input
	End        int   // byte offset just past it: its closing quote, placeholder or last character
	Line, Col  int   // 1-based position of the image value in the input; Col in bytes
	// List is "containers", "initContainers" or "ephemeralContainers";
	// "" for an image key of a custom resource outside those lists, whose
	// document's Group and Kind say which resource: the caller decides
	// whether that resource's image is one its operator runs.
	List        string
	Group, Kind string
}

const (
	// maxSize bounds the input: no manifest in Go source comes near it.
	maxSize = 8 << 20
	// maxDepth bounds the walk of the YAML tree; a pod template sits
	// about ten levels down.
	maxDepth = 64
)

// Containers returns the containers of the manifests in text, in order.
// The position of an image value is that of its first character, or of the
// quote, indicator, tag or anchor in front of it. The text may hold several
// YAML documents, be JSON, and be indented as a whole, as Go code indents a
// raw string. Precision comes first: the scan stops at the first document
// that is not YAML, and returns nothing for a text that is not a valid
// format or template of its syntax, or larger than 8 MiB.
func Containers(text string, syntax Syntax) []Container {
	if len(text) > maxSize || !strings.Contains(text, "image") {
		return nil
	}
	pieces, ok := lex(text, syntax)
	if !ok {
		return nil
	}
	m := newMarkers(text, pieces)
	marked := m.toYAML()
	dedented := dedent(marked.text)

	s := &scan{markers: m}
	dec := yaml.NewDecoder(strings.NewReader(dedented.text))
	for {
		var doc yaml.Node
		// At the end, or at a document that is not YAML: what follows
		// it is not trusted either.
		if err := dec.Decode(&doc); err != nil {
			break
		}
		s.group, s.kind = customKind(&doc)
		s.walk(&doc, 0)
	}
	if len(s.found) == 0 {
		return nil
	}

	yt, lines := newYAMLText(dedented.text), lineStarts(text)
	for i := range s.found {
		c := &s.found[i]
		at := yt.offset(c.Line, c.Col)
		c.Offset = marked.origin(dedented.origin(at))
		c.End = max(c.Offset, marked.originEnd(dedented.originEnd(valueEnd(dedented.text, at))))
		c.Line, c.Col = lineCol(lines, c.Offset)
	}
	return s.found
}

// scan collects containers. Their Line and Col hold yaml.v3's position
// until Containers maps them back to the input.
type scan struct {
	markers *markers
	found   []Container
	// group and kind are the current document's when it is a custom
	// resource: an apiVersion whose group has a dot, and a kind.
	group, kind string
}

// customKind returns the group and kind of a document that is an object
// of a custom resource: "apps.example.com/v1", "App". Built-in groups
// without a dot ("v1", "apps/v1") hold images only in container lists.
func customKind(doc *yaml.Node) (group, kind string) {
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return "", ""
	}
	var apiVersion string
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if v := m.Content[i+1]; v.Kind == yaml.ScalarNode {
			switch m.Content[i].Value {
			case "apiVersion":
				apiVersion = v.Value
			case "kind":
				kind = v.Value
			}
		}
	}
	group, _, ok := strings.Cut(apiVersion, "/")
	if !ok || !strings.Contains(group, ".") || kind == "" {
		return "", ""
	}
	return group, kind
}

// walk looks for container lists under n. Aliases are not followed: a
// container list is written where it is used, and following them could
// take exponential time.
func (s *scan) walk(n *yaml.Node, depth int) {
	if depth > maxDepth {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			s.walk(c, depth+1)
		}
	case yaml.MappingNode:
		if s.kind != "" {
			s.custom(n)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if key.Kind == yaml.ScalarNode && key.Value == "metadata" {
				continue // labels and annotations: never an image that runs
			}
			if list := key.Value; key.Kind == yaml.ScalarNode && value.Kind == yaml.SequenceNode &&
				(list == "containers" || list == "initContainers" || list == "ephemeralContainers") {
				for _, c := range value.Content {
					s.container(c, list)
				}
				continue
			}
			s.walk(value, depth+1)
		}
	}
}

// custom records the image key of a mapping of a custom resource, outside
// container lists: spec.image, spec.runner.image. A value written out
// must be a reference; "image: true" or "image: {repository: ...}" is not.
func (s *scan) custom(n *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], scalar(n.Content[i+1])
		if key.Kind != yaml.ScalarNode || key.Value != "image" || value == nil {
			continue
		}
		if lit, ok := s.markers.value(value.Value).Literal(); ok {
			if _, err := imageref.Parse(lit); err != nil {
				return
			}
		}
		n0 := len(s.found)
		s.container(n, "")
		if len(s.found) > n0 {
			s.found[n0].Group, s.found[n0].Kind = s.group, s.kind
		}
		return
	}
}

// container records the image of a container mapping, if it has one.
func (s *scan) container(n *yaml.Node, list string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	c := Container{List: list}
	found := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], scalar(n.Content[i+1])
		if key.Kind != yaml.ScalarNode || value == nil {
			continue
		}
		switch key.Value {
		case "image":
			found = true
			c.Image = s.markers.value(value.Value)
			// The position of the value as written, also when it is an
			// alias of a scalar defined elsewhere.
			c.Line, c.Col = n.Content[i+1].Line, n.Content[i+1].Column
		case "imagePullPolicy":
			c.PullPolicy = s.markers.value(value.Value)
		}
	}
	if found {
		s.found = append(s.found, c)
	}
}

// scalar returns n, or what n is an alias of, when that is a scalar.
func scalar(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	return n
}
