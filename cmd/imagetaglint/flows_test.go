package main_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagetaglint/imagetaglint/flowmap"
)

var update = flag.Bool("update", false, "rewrite the golden flow maps in testdata/flows")

// flowExt is the golden file extension of each -flows format.
var flowExt = map[string]string{"text": "txt", "mermaid": "mmd", "dot": "dot", "json": "json"}

// The flow maps of the bundled example and of a kubebuilder scaffold
// whose suite builds with make docker-build and deploys with make deploy
// without IMG= (a flow from Go into the Makefile, with unknowns) in every
// format, compared with the golden files in testdata/flows; the JSON also
// against its schema.
func TestFlowsGolden(t *testing.T) {
	dir := testdata(t)
	for _, c := range []struct{ name, dir, pattern, tags string }{
		{"broken", dir, "./example/broken/...", ""},
		{"fixed", dir, "./example/fixed/...", ""},
		{"scaffold-noimg", filepath.Join(dir, "scaffold", "memcached-operator"), "./test/planted/noimg/...", "e2e"},
	} {
		for _, format := range flowmap.Formats() {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				stdout, stderr, code := runSplit(t, c.dir, "-tags="+c.tags, "-flows="+format, c.pattern)
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d, stderr:\n%s", code, stderr)
				}
				golden := filepath.Join("testdata", "flows", c.name+"."+flowExt[format])
				if *update {
					if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if stdout != string(want) {
					t.Errorf("-flows=%s differs from %s (go test -run TestFlowsGolden -update rewrites it):\n%s", format, golden, stdout)
				}
				if format == "json" {
					validateFlowJSON(t, stdout)
				}
			})
		}
	}
}

func validateFlowJSON(t *testing.T, doc string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(filepath.Join("..", "..", "flowmap", "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("the flow map does not match flowmap/schema.json: %v", err)
	}
}

var mapFinding = regexp.MustCompile(`(?m)^ +finding \[([a-z-]+)\] .*  (\S+\.go:\d+:\d+)$`)

// Every finding on the broken example, the incidents of the three
// reports, sits on a step of a flow of its map; the fixed twin has the
// same flows, the helpers the broken one leaves uncalled aside, and no
// finding.
func TestFlowsShowFindings(t *testing.T) {
	dir := testdata(t)
	lint, _, code := runSplit(t, dir, "./example/broken/...")
	if code != 3 {
		t.Fatalf("exit %d", code)
	}
	var want []string
	for _, m := range findingLine.FindAllStringSubmatch(lint, -1) {
		want = append(want, m[1]+":"+m[2]+":"+m[3]+" ["+m[4]+"]")
	}
	broken, _, _ := runSplit(t, dir, "-flows", "./example/broken/...")
	var got []string
	for _, m := range mapFinding.FindAllStringSubmatch(broken, -1) {
		if f := m[2] + " [" + m[1] + "]"; !slices.Contains(got, f) {
			got = append(got, f)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) < 20 || !slices.Equal(got, want) {
		t.Errorf("findings on the map's steps:\n%s\nwant the %d findings:\n%s", strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}

	fixed, _, _ := runSplit(t, dir, "-flows", "./example/fixed/...")
	if strings.Contains(fixed, "finding [") {
		t.Errorf("the fixed example's map has findings:\n%s", fixed)
	}
	names := func(m string) []string {
		var ns []string
		for _, line := range strings.Split(m, "\n") {
			if f, ok := strings.CutPrefix(line, "flow "); ok {
				ns = append(ns, strings.Fields(f)[0])
			}
		}
		return ns
	}
	unused := []string{"infrastructure.buildDataStorageImageWithTag", "infrastructure.loadDataStorageImageWithTag"}
	b := slices.DeleteFunc(names(broken), func(n string) bool { return slices.Contains(unused, n) })
	if f := names(fixed); !slices.Equal(b, f) {
		t.Errorf("flows of broken %v\nand of fixed %v differ", b, f)
	}
}

// -explain says what a function does with images and what its callers
// pass; a name no function has is a one-line error.
func TestExplain(t *testing.T) {
	dir := testdata(t)
	stdout, stderr, code := runSplit(t, dir, "-explain", "deployDataStorageServiceInNamespace", "./example/broken/...")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"infrastructure.deployDataStorageServiceInNamespace  (imagetaglint.test/e2e/example/broken/infrastructure)  example/broken/infrastructure/datastorage.go:",
		"  parameter imageName: deploys it in a container spec or manifest",
		"  deploy <param imageName>: container spec at datastorage.go:152",
		"  called by infrastructure.SetupToolsetInfrastructure at toolset.go:53, passing namespace = toolset-e2e, kubeconfigPath = <param kubeconfigPath>, imageName = <generated by GenerateInfraImageName>",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("-explain output lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"infrastructure.deployDataStorageServiceInNamespace",
		"imagetaglint.test/e2e/example/broken/infrastructure.deployDataStorageServiceInNamespace"} {
		if other, _, _ := runSplit(t, dir, "-explain="+name, "./example/broken/..."); other != stdout {
			t.Errorf("-explain=%s differs from -explain=deployDataStorageServiceInNamespace:\n%s", name, other)
		}
	}

	// A helper of another package hears of its callers from theirs.
	scaffold := filepath.Join(dir, "scaffold", "memcached-operator")
	stdout, stderr, code = runSplit(t, scaffold, "-tags=e2e", "-explain", "LoadImageToKindClusterWithName", "./test/e2e/...", "./test/utils/...")
	if want := "  called by package-level declarations at e2e_suite_test.go:62, passing name = example.com/memcached-operator:v0.0.1\n"; code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("-explain of a helper called from another package: exit %d, stderr %q, lacks %q:\n%s", code, stderr, want, stdout)
	}

	stdout, stderr, code = runSplit(t, dir, "-explain", "noSuchFunc", "./example/broken/...")
	if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "noSuchFunc") {
		t.Errorf("unknown function: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// Bad uses of -flows and -explain are one-line errors with exit 2.
func TestFlowsFlagErrors(t *testing.T) {
	dir := testdata(t)
	for _, args := range [][]string{
		{"-flows=svg"},
		{"-flows", "-json"},
		{"-flows", "-sarif"},
		{"-explain", "F", "-fix"},
		{"-flows", "-explain", "F"},
		{"-explain="},
	} {
		stdout, stderr, code := runSplit(t, dir, append(args, "./example/fixed/...")...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// svgWords are the titles and texts of an SVG graphviz drew, in order:
// what it shows, without the coordinates another graphviz version may
// choose.
var svgWords = regexp.MustCompile(`<(?:title|text)[^>]*>([^<]*)</(?:title|text)>`)

// The README's picture is the bundled broken example's map: docs/flows.dot
// is what -flows=dot draws of it now, and docs/flows.svg is what graphviz
// lays out of that (make flows-svg rewrites both).
func TestReadmePicture(t *testing.T) {
	dir := testdata(t)
	stdout, stderr, code := runSplit(t, dir, "-flows=dot", "./example/broken/...")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	docs := filepath.Join("..", "..", "docs")
	checked, err := os.ReadFile(filepath.Join(docs, "flows.dot"))
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(checked) {
		t.Fatalf("docs/flows.dot is stale: run make flows-svg")
	}
	if _, err := exec.LookPath("dot"); err != nil {
		if os.Getenv("IMAGETAGLINT_SKIP_TOOLS") == "1" {
			t.Skip("graphviz's dot is not installed (IMAGETAGLINT_SKIP_TOOLS=1)")
		}
		t.Fatal("graphviz's dot is not installed: run scripts/install-deps.sh (make deps), or set IMAGETAGLINT_SKIP_TOOLS=1 to skip this test")
	}
	// make flows-svg's flags: the flows packed in four columns.
	drawn, err := exec.Command("dot", "-Tsvg", "-Gpack=true", "-Gpackmode=array_c4", filepath.Join(docs, "flows.dot")).Output()
	if err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(docs, "flows.svg"))
	if err != nil {
		t.Fatal(err)
	}
	words := func(b []byte) []string {
		var ws []string
		for _, m := range svgWords.FindAllSubmatch(b, -1) {
			ws = append(ws, string(m[1]))
		}
		return ws
	}
	if want, got := words(drawn), words(svg); len(want) < 100 || !slices.Equal(got, want) {
		t.Errorf("docs/flows.svg is not docs/flows.dot drawn (%d words, want %d): run make flows-svg", len(got), len(want))
	}
}
