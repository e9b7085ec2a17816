package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

// relatedAnalyzer reports every call of report() with a related position
// (the function's declaration) and a fix renaming the call to reported().
var relatedAnalyzer = &analysis.Analyzer{
	Name:     "related",
	Doc:      "test analyzer",
	URL:      "https://example.com/related",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for n := range ins.PreorderSeq((*ast.CallExpr)(nil)) {
			call := n.(*ast.CallExpr)
			id, ok := call.Fun.(*ast.Ident)
			if !ok || id.Name != "report" {
				continue
			}
			decl := pass.TypesInfo.Uses[id]
			pass.Report(analysis.Diagnostic{
				Pos: call.Pos(), End: call.End(), Category: "call-report", URL: "#call-report",
				Message: "report called [call-report]",
				Related: []analysis.RelatedInformation{{Pos: decl.Pos(), Message: "report declared here"}},
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   "call reported instead",
					TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("reported")}},
				}},
			})
		}
		return nil, nil
	},
}

// writeFiles writes files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var relatedModule = map[string]string{
	"go.mod": "module example.com/rel\ngo 1.22\n",
	"b/b.go": "package b\n\nfunc report()   {}\nfunc reported() {}\n\nfunc g() {\n\treport()\n}\n",
	"a/a.go": "package a\n\nfunc report() {}\n\nfunc f() {\n\treport()\n\treport()\n}\n",
}

func runRelated(t *testing.T, format string, fix bool) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	o := &options{patterns: []string{"./..."}, format: format, context: -1, fix: fix, diff: fix}
	code := run(relatedAnalyzer, o, nil, nil, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// The output layer, on diagnostics with related positions and fixes.
func TestOutputLayer(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, relatedModule)
	t.Chdir(dir)

	out, errOut, code := runRelated(t, "text", false)
	want := `a/a.go:6:2: report called [call-report]
	a/a.go:3:6: report declared here
a/a.go:7:2: report called [call-report]
	a/a.go:3:6: report declared here
b/b.go:7:2: report called [call-report]
	b/b.go:3:6: report declared here
`
	if code != exitFindings || out != want {
		t.Errorf("text: exit %d, output\n%s\nwant\n%s", code, out, want)
	}
	if !strings.Contains(errOut, "related: 3 findings: call-report 3\n") || !strings.Contains(errOut, "https://example.com/related#call-report") {
		t.Errorf("text: summary\n%s", errOut)
	}

	out, _, code = runRelated(t, "json", false)
	var got jsonOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if len(got.Findings) != 3 || got.Counts["call-report"] != 3 {
		t.Fatalf("json: %+v", got)
	}
	f := got.Findings[0]
	if f.Posn != "a/a.go:6:2" || f.End != "a/a.go:6:10" || f.URL != "https://example.com/related#call-report" ||
		len(f.Related) != 1 || f.Related[0].Posn != "a/a.go:3:6" || f.Related[0].Message != "report declared here" ||
		len(f.SuggestedFixes) != 1 || f.SuggestedFixes[0].Edits[0] != (jsonEdit{"a/a.go", 41, 47, "reported"}) {
		t.Errorf("json finding: %+v", f)
	}

	out, _, code = runRelated(t, "sarif", false)
	if code != exitFindings {
		t.Errorf("sarif: exit %d", code)
	}
	validateSARIF(t, out)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, HelpURI string }
				}
			}
			Results []struct {
				RuleID           string
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
					Message struct{ Text string }
				}
				Fixes []struct {
					ArtifactChanges []struct {
						Replacements []struct {
							DeletedRegion   struct{ StartLine, StartColumn, EndLine, EndColumn int }
							InsertedContent struct{ Text string }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run0 := log.Runs[0]
	if len(run0.Results) != 3 {
		t.Fatalf("sarif: %d results", len(run0.Results))
	}
	r := run0.Results[2]
	rel := r.RelatedLocations[0]
	rep := r.Fixes[0].ArtifactChanges[0].Replacements[0]
	if r.RuleID != "call-report" || rel.PhysicalLocation.ArtifactLocation.URI != "b/b.go" || rel.PhysicalLocation.Region.StartLine != 3 ||
		rel.Message.Text != "report declared here" || rep.DeletedRegion.StartLine != 7 || rep.DeletedRegion.EndColumn != 8 ||
		rep.InsertedContent.Text != "reported" {
		t.Errorf("sarif result: %+v", r)
	}
	i := slices.IndexFunc(run0.Tool.Driver.Rules, func(r struct{ ID, HelpURI string }) bool { return r.ID == "call-report" })
	if i < 0 || run0.Tool.Driver.Rules[i].HelpURI != "https://example.com/related#call-report" {
		t.Errorf("sarif rules: %+v", run0.Tool.Driver.Rules)
	}

	// -fix -diff prints the fixes, overlapping duplicates once, and writes nothing.
	out, _, code = runRelated(t, "text", true)
	if code != exitFindings || strings.Count(out, "+\treported()") != 3 {
		t.Errorf("-fix -diff: exit %d\n%s", code, out)
	}
	if data, _ := os.ReadFile("a/a.go"); string(data) != relatedModule["a/a.go"] {
		t.Error("-fix -diff wrote a file")
	}
	var stdout, stderr bytes.Buffer
	code = run(relatedAnalyzer, &options{patterns: []string{"./..."}, format: "text", context: -1, fix: true}, nil, nil, &stdout, &stderr)
	if data, _ := os.ReadFile("a/a.go"); code != exitClean || strings.Count(string(data), "\treported()") != 2 {
		t.Errorf("-fix: exit %d, a.go:\n%s\n%s", code, data, stderr.String())
	}
}

// exampleSARIF returns the analyzer newAnalyzer makes and the SARIF log it
// prints for the bundled broken example, validated against the schema.
func exampleSARIF(t *testing.T, newAnalyzer func(analyzer.Config) (*analysis.Analyzer, error)) (*analysis.Analyzer, string) {
	t.Helper()
	t.Chdir(filepath.Join(cmdDir, "..", "..", "testdata"))
	a, err := newAnalyzer(analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(a, &options{patterns: []string{"./example/broken/..."}, tests: true, format: "sarif", context: -1}, nil, nil, &stdout, &stderr)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	validateSARIF(t, stdout.String())
	return a, stdout.String()
}

// The real analyzer's SARIF on the bundled example: valid, a rule per check
// with its documentation, a result per finding.
func TestSARIFOfExample(t *testing.T) {
	a, sarif := exampleSARIF(t, analyzer.New)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID, HelpURI      string
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text, Markdown string }
					}
				}
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != len(analyzer.Checks) {
		t.Errorf("%d rules, want one per check", len(rules))
	}
	for i, r := range rules {
		if r.ID != analyzer.Checks[i] || r.HelpURI != analyzer.DocURL+"#"+r.ID || r.ShortDescription.Text == r.ID {
			t.Errorf("rule %+v", r)
		}
		if r.ShortDescription.Text != analyzer.CheckSummary(r.ID) || r.FullDescription.Text != analyzer.CheckDescription(r.ID) ||
			r.Help.Markdown != analyzer.CheckHelp(r.ID) || r.Help.Text == "" || r.FullDescription.Text == "" {
			t.Errorf("rule %s: descriptions and help are not its documentation", r.ID)
		}
	}
	results := log.Runs[0].Results
	var stdout, stderr bytes.Buffer
	run(a, &options{patterns: []string{"./example/broken/..."}, tests: true, format: "json", context: -1}, nil, nil, &stdout, &stderr)
	var asJSON jsonOutput
	if err := json.Unmarshal(stdout.Bytes(), &asJSON); err != nil || len(results) != len(asJSON.Findings) || len(results) < 20 {
		t.Errorf("%d results, %d findings in JSON (%v)", len(results), len(asJSON.Findings), err)
	}
	for _, r := range results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(loc.URI, "example/broken/infrastructure/") || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("result location %+v", loc)
		}
	}
}

// validateSARIF checks doc against the official SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, doc string) {
	t.Helper()
	if err := sarifSchemaError(t, doc); err != nil {
		t.Errorf("SARIF output does not validate against the 2.1.0 schema: %v\n%s", err, doc)
	}
}

// sarifSchemaError validates doc against the SARIF 2.1.0 JSON schema
// (errata 01), kept in testdata/sarif-schema-2.1.0.json.
func sarifSchemaError(t *testing.T, doc string) error {
	t.Helper()
	f, err := os.Open(filepath.Join(cmdDir, "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// cmdDir is this package's directory; tests change the working directory.
var cmdDir, _ = os.Getwd()

// The schema check can fail.
func TestSARIFSchemaRejects(t *testing.T) {
	for _, bad := range []string{
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "r"}]}]}`,  // no message
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "informationUri": "not a uri"}}}]}`, // bad format
		`{"version": "2.0.0", "runs": []}`,
	} {
		if sarifSchemaError(t, bad) == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

// findingsOf runs imagetaglint's analyzer on patterns, with or without the
// skipping of packages that cannot matter.
func findingsOf(t *testing.T, patterns []string, skip bool) []string {
	t.Helper()
	cfg := analyzer.DefaultConfig()
	a, err := analyzer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var c *analyzer.Compiled
	if skip {
		c = mustCompile(t, cfg)
	}
	var stdout, stderr bytes.Buffer
	code := run(a, &options{patterns: patterns, tests: true, format: "text", context: -1}, c, nil, &stdout, &stderr)
	if code != exitClean && code != exitFindings {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	return strings.Split(strings.TrimSpace(stdout.String()), "\n")
}

// Skipping the packages that cannot matter changes no finding: on the
// analyzer's testdata and on the benchmark's repository-scale corpus.
func TestSkippingKeepsFindings(t *testing.T) {
	t.Run("testdata", func(t *testing.T) {
		t.Chdir(filepath.Join(cmdDir, "..", "..", "testdata"))
		with, without := findingsOf(t, []string{"./..."}, true), findingsOf(t, []string{"./..."}, false)
		if len(with) < 50 || !slices.Equal(with, without) {
			t.Errorf("%d findings with skipping, %d without; diff:\n%s", len(with), len(without), lineDiff(with, without))
		}
	})
	// The repository-scale corpus: most packages have no image code.
	t.Run("bench corpus", func(t *testing.T) {
		res, _ := compareOnCorpus(t, "-repo", 30)
		if res.skipped < 15 || len(res.roots) < 3 {
			t.Errorf("%d packages analysed, %d skipped", len(res.roots), res.skipped)
		}
	})
	// The operator corpus: most packages are controllers that import the
	// core API and build pod specs from their custom resources; they are
	// skipped, but not the few with a constant sidecar image (some of them
	// findings), nor the API groups the suites import.
	t.Run("operator corpus", func(t *testing.T) {
		res, findings := compareOnCorpus(t, "-operator", 40)
		if !slices.ContainsFunc(findings, func(f string) bool { return strings.HasPrefix(f, "internal/controller/") }) {
			t.Errorf("no finding in a controller:\n%s", strings.Join(findings, "\n"))
		}
		count := func(pkgs []*packages.Package, part string) int {
			n := 0
			for _, p := range pkgs {
				if strings.Contains(p.PkgPath, part) {
					n++
				}
			}
			return n
		}
		controllers, analysed := count(res.listed, "/internal/controller/"), count(res.source, "/internal/controller/")
		if analysed == 0 || analysed > controllers/4 || count(res.source, "/api/") == 0 {
			t.Errorf("%d of %d controllers analysed, %d packages skipped", analysed, controllers, res.skipped)
		}
		// The manager imports every controller but only prints their
		// descriptions: it names no function that may carry a fact.
		if count(res.source, "/cmd/manager") > 0 {
			t.Error("cmd/manager analysed")
		}
	})
}

// A command without a trigger of its own that imports an analysed package
// is type-checked only when it names a function of one that may carry a
// fact: here a helper that deploys its image parameter, not the helper's
// constant description.
func TestSkippingInertImporters(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\ngo 1.22\n",
		"helper/helper.go": `package helper

import "os/exec"

func Deploy(image string) error {
	return exec.Command("kubectl", "set", "image", "deployment/app", "app="+image).Run()
}

func Describe() string { return "helper" }
`,
		"cmd/deploy/main.go":   "package main\n\nimport \"example.com/m/helper\"\n\nfunc main() { _ = helper.Deploy(\"localhost/app:dev\") }\n",
		"cmd/describe/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/m/helper\"\n)\n\nfunc main() { fmt.Println(helper.Describe()) }\n",
		// kueue's test/util: inert by itself (it names no function that
		// may carry a fact), but an analysed suite imports it.
		"util/util.go": "package util\n\nimport \"example.com/m/helper\"\n\nvar Label = \"e2e\"\n\nfunc init() { _ = helper.Describe() }\n",
		"e2e/e2e_test.go": `package e2e

import (
	"os/exec"
	"testing"

	"example.com/m/util"
)

func TestDeploy(t *testing.T) {
	_ = exec.Command("kubectl", "label", "ns", util.Label).Run()
	_ = exec.Command("kubectl", "set", "image", "deployment/app", "app=localhost/app:dev").Run()
}
`,
	})
	t.Chdir(dir)
	res, err := load(loadConfig{patterns: []string{"./..."}, tests: true, skip: mustCompile(t, analyzer.DefaultConfig())})
	if err != nil {
		t.Fatal(err)
	}
	var source []string
	for _, p := range res.source {
		source = append(source, p.PkgPath)
	}
	if want := []string{"example.com/m/cmd/deploy", "example.com/m/e2e", "example.com/m/helper", "example.com/m/util"}; !slices.Equal(slices.Sorted(slices.Values(source)), want) {
		t.Errorf("type-checked %q, want %q", source, want)
	}
	with, without := findingsOf(t, []string{"./..."}, true), findingsOf(t, []string{"./..."}, false)
	if !slices.Equal(with, without) {
		t.Errorf("findings with skipping differ from those without:\n%s", lineDiff(with, without))
	}
}

// compareOnCorpus generates a bench corpus of that many packages with
// bench/gen's flag, checks that its findings are the same with and
// without skipping, and returns what the skipping load analyses and the
// findings.
func compareOnCorpus(t *testing.T, flag string, packages int) (*loadResult, []string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "corpus")
	gen := exec.Command("go", "run", "./gen", flag, strconv.Itoa(packages), "-out", out)
	gen.Dir = filepath.Join(cmdDir, "..", "..", "bench")
	if msg, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("bench/gen: %v\n%s", err, msg)
	}
	t.Chdir(out)
	with, without := findingsOf(t, []string{"./..."}, true), findingsOf(t, []string{"./..."}, false)
	if len(with) < 10 || !slices.Equal(with, without) {
		t.Errorf("%d findings with skipping, %d without; diff:\n%s", len(with), len(without), lineDiff(with, without))
	}
	res, err := load(loadConfig{patterns: []string{"./..."}, tests: true, skip: mustCompile(t, analyzer.DefaultConfig())})
	if err != nil {
		t.Fatal(err)
	}
	return res, with
}

func lineDiff(a, b []string) string {
	var d []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			d = append(d, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			d = append(d, "+ "+l)
		}
	}
	return strings.Join(d, "\n")
}

// A manifest file applied by path is reported at the Go call that applies
// it, with the file and line in the message, in every output (and through
// go vet, TestManifestFileVet); the YAML line is a related position where
// the output has them.
func TestManifestFileEveryDriver(t *testing.T) {
	dir := filepath.Join(cmdDir, "..", "..", "testdata")
	t.Chdir(dir)
	a, err := analyzer.New(analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const call = "checks/files/files.go:26:9"
	const message = `kubectl apply deploys "localhost/kubernaut/app:latest" (testdata/app.yaml:10)`
	const yamlLine = "checks/files/testdata/app.yaml:10:16"
	outputs := make(map[string]string)
	for _, format := range []string{"text", "json", "sarif"} {
		var stdout, stderr bytes.Buffer
		if code := run(a, &options{patterns: []string{"./checks/files"}, tests: true, format: format, context: -1}, nil, nil, &stdout, &stderr); code != exitFindings {
			t.Fatalf("%s: exit %d\n%s", format, code, stderr.String())
		}
		outputs[format] = stdout.String()
	}
	if text := outputs["text"]; !strings.Contains(text, call+": "+message) || !strings.Contains(text, "\t"+yamlLine+": image") {
		t.Errorf("text output:\n%s", text)
	}
	var asJSON jsonOutput
	if err := json.Unmarshal([]byte(outputs["json"]), &asJSON); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range asJSON.Findings {
		if f.Posn == call && strings.HasPrefix(f.Message, message) && len(f.Related) > 0 && f.Related[0].Posn == yamlLine {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON output lacks the finding with its YAML line:\n%s", outputs["json"])
	}
	validateSARIF(t, outputs["sarif"])
	var log struct {
		Runs []struct {
			Results []struct {
				Message          struct{ Text string }
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(outputs["sarif"]), &log); err != nil {
		t.Fatal(err)
	}
	found = false
	for _, r := range log.Runs[0].Results {
		for _, rl := range r.RelatedLocations {
			if strings.HasPrefix(r.Message.Text, message) && rl.PhysicalLocation.ArtifactLocation.URI == "checks/files/testdata/app.yaml" && rl.PhysicalLocation.Region.StartLine == 10 {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("SARIF lacks the related YAML location:\n%s", outputs["sarif"])
	}
}

// TestPrintTextContext prints context lines around each finding, the
// reported lines marked in the gutter and a caret under the start column
// (tabs kept, so that it lines up), and none when the source cannot be read.
func TestPrintTextContext(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.go": "l1\nl2\n\tl3 é x\nl4\nl5\n"})
	file := filepath.Join(dir, "a.go")
	at := func(f string, line, col int) position { return position{File: f, Line: line, Column: col} }
	var buf strings.Builder
	printText(&buf, dir, []finding{
		{Posn: at(file, 2, 1), End: at(file, 2, 2), Message: "first"},
		{Posn: at(file, 3, 8), End: at(file, 4, 2), Message: "spans two lines"},
		{Posn: at(file, 5, 1), End: at(file, 5, 1), Message: "last"},
		{Posn: at(filepath.Join(dir, "gone.go"), 1, 1), End: at(filepath.Join(dir, "gone.go"), 1, 1), Message: "unreadable"},
	}, 1)
	want := `a.go:2:1: first
  1	l1
> 2	l2
  	^
  3		l3 é x
a.go:3:8: spans two lines
  2	l2
> 3		l3 é x
  		     ^
> 4	l4
  5	l5
a.go:5:1: last
  4	l4
> 5	l5
  	^
  6	
gone.go:1:1: unreadable
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func mustCompile(t *testing.T, cfg analyzer.Config) *analyzer.Compiled {
	t.Helper()
	c, err := analyzer.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
