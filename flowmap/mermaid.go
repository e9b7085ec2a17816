package flowmap

import (
	"bytes"
	"fmt"
	"strings"
)

// mermaidClasses styles the node kinds; the names are part of the format,
// so that a page can restyle them.
var mermaidClasses = []struct {
	kind       nodeKind
	name, defn string
}{
	{nodeImage, "image", "fill:#e8f0fe,stroke:#4a6fa5"},
	{nodeFinding, "finding", "fill:#fde2e1,stroke:#c62828,stroke-width:2px"},
	{nodeUnknown, "unknown", "fill:#fff8e1,stroke:#f9a825,stroke-dasharray:4 3"},
	{nodeNote, "note", "fill:#f5f5f5,stroke:#9e9e9e"},
}

// renderMermaid writes a flowchart with a subgraph per flow.
func renderMermaid(b *bytes.Buffer, m *Map) error {
	fmt.Fprintf(b, "%%%% imagetaglint image flows, format version %d\n", Version)
	b.WriteString("flowchart TB\n")
	for _, c := range mermaidClasses {
		fmt.Fprintf(b, "  classDef %s %s\n", c.name, c.defn)
	}
	g := buildGraph(m)
	classes := make(map[nodeKind][]string)
	if len(g.clusters) == 0 {
		mermaidNode(b, "  ", emptyMapNode)
		classes[nodeNote] = append(classes[nodeNote], emptyMapNode.id)
	}
	for _, c := range g.clusters {
		fmt.Fprintf(b, "  subgraph %s[\"%s\"]\n", c.id, mermaidLabel(c.title))
		b.WriteString("    direction TB\n")
		for _, n := range c.nodes {
			mermaidNode(b, "    ", n)
			classes[n.kind] = append(classes[n.kind], n.id)
		}
		for _, e := range c.edges {
			switch e.kind {
			case edgeOrder:
				fmt.Fprintf(b, "    %s --> %s\n", e.from, e.to)
			case edgeImage:
				fmt.Fprintf(b, "    %s -.->|\"%s\"| %s\n", e.from, mermaidLabel([]string{e.label}), e.to)
			case edgeUnknown:
				fmt.Fprintf(b, "    %s -.- %s\n", e.from, e.to)
			}
		}
		b.WriteString("  end\n")
	}
	for _, c := range mermaidClasses {
		if ids := classes[c.kind]; len(ids) > 0 {
			fmt.Fprintf(b, "  class %s %s\n", strings.Join(ids, ","), c.name)
		}
	}
	return nil
}

func mermaidNode(b *bytes.Buffer, indent string, n node) {
	open, closing := "[", "]"
	switch n.kind {
	case nodeImage:
		open, closing = "([", "])"
	case nodeUnknown:
		open, closing = "{{", "}}"
	}
	fmt.Fprintf(b, "%s%s%s\"%s\"%s\n", indent, n.id, open, mermaidLabel(n.lines), closing)
}

// mermaidEntities are the characters that end or change a quoted label,
// written as Mermaid's entity codes ("#quot;" for "). '#' itself must be
// one, or "#x;" in a label would read as an entity; '`' would start a
// Markdown string; Mermaid drops "%%{...}%%" and a '%' of "%%" anywhere.
var mermaidEntities = strings.NewReplacer(
	`"`, "#quot;",
	"#", "#35;",
	"%", "#37;",
	"<", "#lt;",
	">", "#gt;",
	"&", "#amp;",
	"`", "#96;",
)

// mermaidLabel is the text of a quoted label: the printable lines,
// escaped, joined by line breaks.
func mermaidLabel(lines []string) string {
	escaped := make([]string, len(lines))
	for i, l := range lines {
		escaped[i] = mermaidEntities.Replace(l)
	}
	return strings.Join(escaped, "<br/>")
}
