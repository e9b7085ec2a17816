package flowmap

import (
	"bytes"
	"fmt"
	"strings"
)

// dotNodeAttrs styles the node kinds like mermaidClasses.
var dotNodeAttrs = map[nodeKind]string{
	nodeStep:    `shape=box, style="rounded"`,
	nodeFinding: `shape=box, style="rounded,filled", fillcolor="#fde2e1", color="#c62828", penwidth=2`,
	nodeImage:   `shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#4a6fa5"`,
	nodeUnknown: `shape=hexagon, style="dashed,filled", fillcolor="#fff8e1", color="#f9a825"`,
	nodeNote:    `shape=plaintext`,
}

var dotEdgeAttrs = [...]string{
	edgeOrder:   "",
	edgeImage:   ` [style=dashed, color="#4a6fa5", fontcolor="#4a6fa5", label=%s]`,
	edgeUnknown: ` [style=dotted, arrowhead=none, color="#f9a825"]`,
}

// renderDOT writes a digraph with a cluster per flow.
func renderDOT(b *bytes.Buffer, m *Map) error {
	fmt.Fprintf(b, "// imagetaglint image flows, format version %d\n", Version)
	b.WriteString("digraph flows {\n")
	b.WriteString("  graph [fontname=\"sans-serif\", fontsize=11];\n")
	b.WriteString("  node [fontname=\"sans-serif\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"sans-serif\", fontsize=9];\n")
	g := buildGraph(m)
	if len(g.clusters) == 0 {
		dotNode(b, "  ", emptyMapNode)
	}
	for _, c := range g.clusters {
		fmt.Fprintf(b, "  subgraph cluster_%s {\n", c.id)
		fmt.Fprintf(b, "    label=%s;\n    style=\"rounded\";\n    color=\"#9e9e9e\";\n", dotString(c.title))
		for _, n := range c.nodes {
			dotNode(b, "    ", n)
		}
		for _, e := range c.edges {
			attrs := dotEdgeAttrs[e.kind]
			if e.kind == edgeImage {
				attrs = fmt.Sprintf(attrs, dotString([]string{e.label}))
			}
			fmt.Fprintf(b, "    %s -> %s%s;\n", e.from, e.to, attrs)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return nil
}

func dotNode(b *bytes.Buffer, indent string, n node) {
	fmt.Fprintf(b, "%s%s [label=%s, %s];\n", indent, n.id, dotString(n.lines), dotNodeAttrs[n.kind])
}

// dotEscapes keep a quoted string's text as it is: a backslash would
// start an escape such as \N (the node's name) or \l, and graphviz
// decodes HTML entities such as &amp; in labels.
var dotEscapes = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "&", "&amp;")

// dotString is a quoted DOT string of the printable lines, centred.
func dotString(lines []string) string {
	escaped := make([]string, len(lines))
	for i, l := range lines {
		escaped[i] = dotEscapes.Replace(l)
	}
	return `"` + strings.Join(escaped, `\n`) + `"`
}
