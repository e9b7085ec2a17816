package analyzer

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// manifestImage is the image: value of one container in a YAML or JSON
// manifest held in a Go string.
type manifestImage struct {
	value     string // as written; printf arguments appear as argument markers
	offset    int    // byte offset of the value in the scanned text
	pullNever bool   // the container sets imagePullPolicy: Never
	args      []int  // printf arguments that fill the value, by index after the format
	dynamic   bool   // filled at run time by something other than a printf argument
}

// literal reports whether the value is written out in full in the text.
func (m manifestImage) literal() bool { return len(m.args) == 0 && !m.dynamic }

const (
	argMarkerPrefix = "ITLARG"
	markerSuffix    = "ZZ"
	dynamicMarker   = "ITLDYN" + markerSuffix
)

var argMarker = regexp.MustCompile(argMarkerPrefix + `([0-9]+)` + markerSuffix)

// scanManifest returns the container images of the manifests in text. Text
// that is a printf or text/template template is made YAML first: each
// placeholder becomes a marker that is a valid plain scalar. Scanning stops
// at the first document that is not YAML: precision before recall.
func scanManifest(text string) []manifestImage {
	if !strings.Contains(text, "image") {
		return nil
	}
	yamlText := dedent(markPlaceholders(text))
	dec := yaml.NewDecoder(strings.NewReader(yamlText))
	var images []manifestImage
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || err != nil {
			break
		}
		collectImages(&doc, 0, &images)
	}
	lines := lineOffsets(text)
	for i := range images {
		images[i].offset = valueOffset(text, lines, images[i].offset)
	}
	return images
}

// maxYAMLDepth bounds the walk of pathological nesting.
const maxYAMLDepth = 64

// collectImages appends the images of the container lists under n. While
// collecting, offset holds the 1-based line of the value.
func collectImages(n *yaml.Node, depth int, images *[]manifestImage) {
	if depth > maxYAMLDepth {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			collectImages(c, depth+1, images)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			switch key.Value {
			case "containers", "initContainers", "ephemeralContainers":
				if value.Kind == yaml.SequenceNode {
					for _, c := range value.Content {
						if img, ok := containerImageOf(c); ok {
							*images = append(*images, img)
						}
					}
					continue
				}
			}
			collectImages(value, depth+1, images)
		}
	}
}

func containerImageOf(c *yaml.Node) (manifestImage, bool) {
	if c.Kind != yaml.MappingNode {
		return manifestImage{}, false
	}
	var img manifestImage
	found := false
	for i := 0; i+1 < len(c.Content); i += 2 {
		key, value := c.Content[i], c.Content[i+1]
		if value.Kind != yaml.ScalarNode {
			continue
		}
		switch key.Value {
		case "image":
			found = true
			img.value = value.Value
			img.offset = value.Line
		case "imagePullPolicy":
			img.pullNever = value.Value == "Never"
		}
	}
	if !found {
		return img, false
	}
	for _, m := range argMarker.FindAllStringSubmatch(img.value, -1) {
		n, _ := strconv.Atoi(m[1])
		img.args = append(img.args, n)
	}
	img.dynamic = strings.Contains(img.value, dynamicMarker)
	return img, true
}

// markPlaceholders replaces printf verbs with argument markers and
// text/template actions with a dynamic marker. Lines stay where they are.
func markPlaceholders(text string) string {
	if !strings.ContainsAny(text, "%{") {
		return text
	}
	var b strings.Builder
	arg := 0
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '{' && strings.HasPrefix(text[i:], "{{"):
			end := strings.Index(text[i:], "}}")
			if end < 0 {
				b.WriteString(text[i:])
				return b.String()
			}
			b.WriteString(dynamicMarker)
			// keep the action's newlines so that line numbers hold
			b.WriteString(strings.Repeat("\n", strings.Count(text[i:i+end], "\n")))
			i += end + 1
		case text[i] == '%' && i+1 < len(text):
			n, used, next := parseVerb(text, i+1, arg)
			if n < 0 { // "%%"
				b.WriteByte('%')
			} else {
				b.WriteString(argMarkerPrefix + strconv.Itoa(n) + markerSuffix)
			}
			arg = used
			i = next - 1
		default:
			b.WriteByte(text[i])
		}
	}
	return b.String()
}

// parseVerb parses the printf verb starting after the '%' at text[i:]. arg
// is the next argument index. It returns the argument the verb formats (-1
// for "%%"), the next argument index and where the verb ends.
func parseVerb(text string, i, arg int) (n, next, end int) {
	if text[i] == '%' {
		return -1, arg, i + 1
	}
	for i < len(text) && strings.IndexByte("+-# 0", text[i]) >= 0 {
		i++
	}
	explicit := func() {
		if i < len(text) && text[i] == '[' {
			if j := strings.IndexByte(text[i:], ']'); j > 0 {
				if k, err := strconv.Atoi(text[i+1 : i+j]); err == nil && k > 0 {
					arg = k - 1
				}
				i += j + 1
			}
		}
	}
	number := func() {
		explicit()
		if i < len(text) && text[i] == '*' {
			arg++
			i++
			return
		}
		for i < len(text) && '0' <= text[i] && text[i] <= '9' {
			i++
		}
	}
	number() // width
	if i < len(text) && text[i] == '.' {
		i++
		number() // precision
	}
	explicit()
	if i < len(text) {
		i++ // the verb letter
	}
	return arg, arg + 1, i
}

// dedent removes the indentation common to all non-blank lines, so that a
// manifest indented with the Go code around it parses as YAML.
func dedent(text string) string {
	lines := strings.Split(text, "\n")
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = indent, false
			continue
		}
		for !strings.HasPrefix(indent, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if prefix == "" {
		return text
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, prefix)
	}
	return strings.Join(lines, "\n")
}

func lineOffsets(text string) []int {
	offsets := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			offsets = append(offsets, i+1)
		}
	}
	return offsets
}

// imageKey matches an image key up to its value, in block or flow style.
var imageKey = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])"?image"?\s*:\s*`)

// valueOffset returns the byte offset of the image value on the 1-based
// line of text, or of the line's first non-blank character.
func valueOffset(text string, lines []int, line int) int {
	if line < 1 || line > len(lines) {
		return 0
	}
	start := lines[line-1]
	end := len(text)
	if line < len(lines) {
		end = lines[line] - 1
	}
	l := text[start:end]
	if loc := imageKey.FindStringIndex(l); loc != nil {
		return start + loc[1]
	}
	return start + len(l) - len(strings.TrimLeft(l, " \t"))
}
