// Package flows checks imagetaglint's flow maps with the tools that read
// them: every map of flowmap's golden tests and of the command's (the
// bundled example's) is rendered as DOT and laid out by graphviz's dot,
// and rendered as Mermaid and parsed by Mermaid itself
// (check-mermaid.mjs, under Node with jsdom). What each tool read
// must be the map: the same nodes, edges, clusters and classes, and
// every word of the map's text in the label where it belongs.
//
// The tools come from scripts/install-deps.sh (make deps): Debian's
// graphviz, Node.js, and this directory's npm packages (npm ci). A
// missing tool fails the test, unless IMAGETAGLINT_SKIP_TOOLS=1 says to
// skip it.
package flows

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/imagetaglint/imagetaglint/flowmap"
)

// toolTimeout bounds one run of dot or node.
const toolTimeout = 2 * time.Minute

// need ends the test unless tool, a command on PATH or a file, is
// there: skipped when IMAGETAGLINT_SKIP_TOOLS=1, failed otherwise.
func need(t *testing.T, tool, missing string) {
	t.Helper()
	if _, err := os.Stat(tool); err == nil {
		return
	}
	if _, err := exec.LookPath(tool); err == nil {
		return
	}
	if os.Getenv("IMAGETAGLINT_SKIP_TOOLS") == "1" {
		t.Skipf("%s (IMAGETAGLINT_SKIP_TOOLS=1)", missing)
	}
	t.Fatalf("%s: run scripts/install-deps.sh (make deps), or set IMAGETAGLINT_SKIP_TOOLS=1 to skip this test", missing)
}

// goldenMap is a map of flowmap's golden tests with its renderings.
type goldenMap struct {
	name string
	m    *flowmap.Map
	file map[string]string // rendering by format, in a temporary directory
}

// goldenMaps reads the maps of flowmap/testdata/*.json and renders each as
// DOT and Mermaid into a temporary directory.
func goldenMaps(t *testing.T) []goldenMap {
	t.Helper()
	paths, err := filepath.Glob("../../flowmap/testdata/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden maps in flowmap/testdata (%v)", err)
	}
	// And the maps the command draws of the bundled example.
	examples, err := filepath.Glob("../../cmd/imagetaglint/testdata/flows/*.json")
	if err != nil || len(examples) == 0 {
		t.Fatalf("no golden maps in cmd/imagetaglint/testdata/flows (%v)", err)
	}
	paths = append(paths, examples...)
	dir := t.TempDir()
	var golden []goldenMap
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		g := goldenMap{name: strings.TrimSuffix(filepath.Base(p), ".json"), m: new(flowmap.Map), file: map[string]string{}}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(g.m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for format, ext := range map[string]string{"dot": ".dot", "mermaid": ".mmd"} {
			var b bytes.Buffer
			if err := flowmap.Render(&b, format, g.m); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			g.file[format] = filepath.Join(dir, g.name+ext)
			if err := os.WriteFile(g.file[format], b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		golden = append(golden, g)
	}
	return golden
}

// run runs a tool and returns its standard output; the test fails when it
// fails or writes to its standard error.
func run(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, stderr.Bytes(), stdout.Bytes())
	}
	return stdout.Bytes()
}

// A drawing is what a tool read from a rendering: nodes by ID with their
// shown text, edges as "from->to" with their labels, clusters by flow
// (f1, f2, ...) with their titles and nodes.
type drawing struct {
	nodes    map[string]drawnNode
	edges    map[string][]string // labels of the edges between two nodes
	clusters map[string]drawnCluster
}

type drawnNode struct {
	text    string
	classes []string // Mermaid only
}

type drawnCluster struct {
	title string
	nodes []string // Mermaid only
}

func TestDOT(t *testing.T) {
	need(t, "dot", "graphviz's dot is not on PATH")
	for _, g := range goldenMaps(t) {
		t.Run(g.name, func(t *testing.T) {
			svg := run(t, ".", "dot", "-Tsvg", g.file["dot"])
			d, err := readSVG(svg)
			if err != nil {
				t.Fatalf("dot's SVG: %v", err)
			}
			compare(t, g.m, d, false)
		})
	}
}

// readSVG reads graphviz's SVG: each node, edge and cluster is a <g>
// whose class says which, whose <title> is its name ("a->b" for an
// edge), and whose <text> elements are the lines of its label.
func readSVG(svg []byte) (*drawing, error) {
	var doc struct {
		Groups []struct {
			Class string   `xml:"class,attr"`
			Title string   `xml:"title"`
			Texts []string `xml:"text"`
		} `xml:"g>g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		return nil, err
	}
	d := &drawing{nodes: map[string]drawnNode{}, edges: map[string][]string{}, clusters: map[string]drawnCluster{}}
	for _, g := range doc.Groups {
		text := strings.Join(g.Texts, "\n")
		switch g.Class {
		case "node":
			d.nodes[g.Title] = drawnNode{text: text}
		case "edge":
			d.edges[g.Title] = append(d.edges[g.Title], text)
		case "cluster":
			d.clusters[strings.TrimPrefix(g.Title, "cluster_")] = drawnCluster{title: text}
		default:
			return nil, fmt.Errorf("a group of class %q", g.Class)
		}
	}
	return d, nil
}

func TestMermaid(t *testing.T) {
	need(t, "node", "node is not on PATH")
	need(t, "node_modules/mermaid/package.json", "Mermaid is not installed in integration/flows")
	golden := goldenMaps(t)
	files := make([]string, len(golden))
	for i, g := range golden {
		files[i] = g.file["mermaid"]
	}
	// One run for all files: loading Mermaid and jsdom takes seconds.
	var reports []struct {
		File  string
		Error string
		Type  string
		Nodes []struct {
			ID      string
			Shown   string
			Classes []string
		}
		Edges []struct {
			From, To, Shown string
		}
		Subgraphs []struct {
			ID, Shown string
			Nodes     []string
		}
	}
	out := run(t, ".", "node", append([]string{"check-mermaid.mjs"}, files...)...)
	if err := json.Unmarshal(out, &reports); err != nil || len(reports) != len(golden) {
		t.Fatalf("check-mermaid.mjs: %v, %d reports for %d files:\n%s", err, len(reports), len(golden), out)
	}
	for i, g := range golden {
		t.Run(g.name, func(t *testing.T) {
			r := reports[i]
			if r.Error != "" || r.Type != "flowchart-v2" {
				t.Fatalf("Mermaid reads %s as %q: %s", r.File, r.Type, r.Error)
			}
			d := &drawing{nodes: map[string]drawnNode{}, edges: map[string][]string{}, clusters: map[string]drawnCluster{}}
			for _, n := range r.Nodes {
				d.nodes[n.ID] = drawnNode{text: n.Shown, classes: n.Classes}
			}
			for _, e := range r.Edges {
				d.edges[e.From+"->"+e.To] = append(d.edges[e.From+"->"+e.To], e.Shown)
			}
			for _, s := range r.Subgraphs {
				d.clusters[s.ID] = drawnCluster{title: s.Shown, nodes: s.Nodes}
			}
			compare(t, g.m, d, true)
		})
	}
}

// compare checks that d draws m: a cluster per flow titled with its name;
// a node per image, step and unknown (or a note for an empty flow or
// map) whose label holds every word of what it stands for; the edges of
// the order of the steps, of each image's path (labelled with the
// image's ID) and from each unknown to its step, and no other. With
// classes, nodes are classed as images, findings and unknowns.
func compare(t *testing.T, m *flowmap.Map, d *drawing, classes bool) {
	t.Helper()
	want := expect(m)
	if got, wantIDs := slices.Sorted(maps.Keys(d.nodes)), slices.Sorted(maps.Keys(want.nodes)); !slices.Equal(got, wantIDs) {
		t.Errorf("nodes %q, want %q", got, wantIDs)
	}
	for id, w := range want.nodes {
		n, ok := d.nodes[id]
		if !ok {
			continue
		}
		if missing := missingWords(n.text, w.texts); len(missing) > 0 {
			t.Errorf("node %s reads %q: the words %q are missing", id, n.text, missing)
		}
		if classes && !slices.Equal(n.classes, w.classes) {
			t.Errorf("node %s has the classes %q, want %q", id, n.classes, w.classes)
		}
	}
	if got, wantEdges := slices.Sorted(maps.Keys(d.edges)), slices.Sorted(maps.Keys(want.edges)); !slices.Equal(got, wantEdges) {
		t.Errorf("edges %q, want %q", got, wantEdges)
	}
	for e, labels := range want.edges {
		for _, l := range labels {
			if !slices.Contains(d.edges[e], l) {
				t.Errorf("edge %s has the labels %q, want one %q", e, d.edges[e], l)
			}
		}
	}
	if got, wantIDs := slices.Sorted(maps.Keys(d.clusters)), slices.Sorted(maps.Keys(want.clusters)); !slices.Equal(got, wantIDs) {
		t.Errorf("clusters %q, want %q", got, wantIDs)
	}
	for id, w := range want.clusters {
		c := d.clusters[id]
		if missing := missingWords(c.title, []string{w.name}); len(missing) > 0 {
			t.Errorf("cluster %s is titled %q: the words %q are missing", id, c.title, missing)
		}
		if classes && !slices.Equal(c.nodes, w.nodes) {
			t.Errorf("cluster %s holds %q, want %q", id, c.nodes, w.nodes)
		}
	}
}

type expected struct {
	nodes    map[string]expectedNode
	edges    map[string][]string // the labels each edge must have, "" for none
	clusters map[string]expectedCluster
}

type expectedNode struct {
	texts   []string
	classes []string
}

type expectedCluster struct {
	name  string
	nodes []string
}

// expect is the drawing of m as the flowmap package documents it: node
// IDs f<flow>_i<image>, f<flow>_s<step>, f<flow>_u<unknown>.
func expect(m *flowmap.Map) *expected {
	e := &expected{nodes: map[string]expectedNode{}, edges: map[string][]string{}, clusters: map[string]expectedCluster{}}
	if len(m.Flows) == 0 {
		e.nodes["empty"] = expectedNode{classes: []string{"note"}}
	}
	for fi, fl := range m.Flows {
		flowID := fmt.Sprintf("f%d", fi+1)
		var nodes []string
		add := func(id string, n expectedNode) {
			e.nodes[id] = n
			nodes = append(nodes, id)
		}
		imageNode := map[string]string{}
		imageRef := map[string]string{}
		for i, im := range fl.Images {
			id := fmt.Sprintf("%s_i%d", flowID, i+1)
			imageNode[im.ID], imageRef[im.ID] = id, im.Ref.Text
			add(id, expectedNode{texts: []string{im.ID, im.Ref.Text}, classes: []string{"image"}})
		}
		stepNode := map[string]string{}
		for i, st := range fl.Steps {
			id := fmt.Sprintf("%s_s%d", flowID, i+1)
			stepNode[st.ID] = id
			n := expectedNode{texts: []string{string(st.Kind), st.Where, st.Command, st.Pos.String()}, classes: []string{}}
			for _, si := range st.Images {
				n.texts = append(n.texts, imageRef[si.ID], si.Ref.Text)
			}
			for _, c := range st.Via {
				n.texts = append(n.texts, c.Callee, c.Pos.String())
			}
			for _, f := range st.Findings {
				n.texts = append(n.texts, f.Check, f.Message)
				n.classes = []string{"finding"}
			}
			add(id, n)
			if i > 0 {
				e.edges[stepNode[fl.Steps[i-1].ID]+"->"+id] = nil
			}
		}
		for _, im := range fl.Images {
			prev := imageNode[im.ID]
			for _, st := range fl.Steps {
				if slices.ContainsFunc(st.Images, func(si flowmap.StepImage) bool { return si.ID == im.ID }) {
					edge := prev + "->" + stepNode[st.ID]
					e.edges[edge] = append(e.edges[edge], im.ID)
					prev = stepNode[st.ID]
				}
			}
		}
		for i, u := range fl.Unknowns {
			id := fmt.Sprintf("%s_u%d", flowID, i+1)
			add(id, expectedNode{texts: []string{u.What, u.Reason, u.Pos.String()}, classes: []string{"unknown"}})
			if u.Step != "" {
				e.edges[id+"->"+stepNode[u.Step]] = nil
			}
		}
		if len(nodes) == 0 {
			add(flowID+"_none", expectedNode{classes: []string{"note"}})
		}
		e.clusters[flowID] = expectedCluster{name: fl.Name, nodes: nodes}
	}
	return e
}

// missingWords returns the words of texts that shown lacks. Words with a
// character that is not printable are left out: the renderers show those
// as escapes.
func missingWords(shown string, texts []string) []string {
	shown = strings.Join(strings.Fields(shown), " ")
	var missing []string
	for _, text := range texts {
		for w := range strings.FieldsSeq(text) {
			if printable(w) && !strings.Contains(shown, w) {
				missing = append(missing, w)
			}
		}
	}
	return missing
}

func printable(word string) bool {
	for _, r := range word {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
