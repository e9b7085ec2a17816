package workflow

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// maxExpandedNodes bounds the YAML nodes a document holds once its aliases
// are expanded. actionlint resolves aliases by sharing nodes and then walks
// the tree, so nested aliases ("billion laughs") would make it walk an
// exponential number of nodes; real workflows have a few thousand.
const maxExpandedNodes = 200000

// aliasBomb reports a document whose aliases expand past maxExpandedNodes.
// Only a file with both an anchor (&) and an alias (*) can have one, so
// others are not parsed twice.
func aliasBomb(data []byte) (Problem, bool) {
	if !bytes.Contains(data, []byte("&")) || !bytes.Contains(data, []byte("*")) {
		return Problem{}, true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Problem{}, true // actionlint reports it
	}
	sizes := map[*yaml.Node]int{}
	if n := expandedSize(&doc, sizes, 0); n > maxExpandedNodes {
		return Problem{Pos{1, 1}, fmt.Sprintf("YAML aliases expand to over %d nodes", maxExpandedNodes)}, false
	}
	return Problem{}, true
}

// expandedSize counts the nodes under n with aliases expanded, memoised per
// node, and saturating at maxExpandedNodes+1. An alias cycle counts as
// too large.
func expandedSize(n *yaml.Node, sizes map[*yaml.Node]int, depth int) int {
	if n == nil {
		return 0
	}
	if s, ok := sizes[n]; ok {
		if s < 0 {
			return maxExpandedNodes + 1 // a cycle
		}
		return s
	}
	if depth > 10000 {
		return maxExpandedNodes + 1
	}
	sizes[n] = -1
	total := 1
	if n.Kind == yaml.AliasNode {
		total += expandedSize(n.Alias, sizes, depth+1)
	}
	for _, c := range n.Content {
		total += expandedSize(c, sizes, depth+1)
		if total > maxExpandedNodes {
			total = maxExpandedNodes + 1
			break
		}
	}
	sizes[n] = min(total, maxExpandedNodes+1)
	return sizes[n]
}
