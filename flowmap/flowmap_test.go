package flowmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aymanbagabas/go-udiff"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// extensions are the golden files' extensions by format.
var extensions = map[string]string{"text": ".txt", "mermaid": ".mmd", "dot": ".dot", "json": ".json"}

func render(t testing.TB, format string, m *Map) string {
	t.Helper()
	var b strings.Builder
	if err := Render(&b, format, m); err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, g := range goldenMaps {
		for _, format := range Formats() {
			t.Run(g.name+"/"+format, func(t *testing.T) {
				got := render(t, format, g.m())
				if again := render(t, format, g.m()); again != got {
					t.Fatal("two renderings of one map differ")
				}
				path := filepath.Join("testdata", g.name+extensions[format])
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./flowmap -run TestGolden -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s is stale (go test ./flowmap -run TestGolden -update):\n%s", path,
						udiff.Unified(path, "rendered", string(want), got))
				}
			})
		}
	}
}

// Every format is known and has a golden file.
func TestFormats(t *testing.T) {
	if Formats()[0] != "text" {
		t.Errorf("default format %q, want text", Formats()[0])
	}
	for _, f := range Formats() {
		if extensions[f] == "" {
			t.Errorf("format %q has no golden files", f)
		}
	}
	var b bytes.Buffer
	err := Render(&b, "svg", exampleMap())
	if err == nil || !strings.Contains(err.Error(), "text, mermaid, dot, json") {
		t.Errorf("Render(svg) = %v, want an error naming the formats", err)
	}
}

// The JSON golden files decode to the maps they were made from: reading
// them back and rendering again gives the same bytes.
func TestJSONRoundTrip(t *testing.T) {
	for _, g := range goldenMaps {
		want := render(t, "json", g.m())
		var m Map
		dec := json.NewDecoder(strings.NewReader(want))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		for _, format := range Formats() {
			got, orig := render(t, format, &m), render(t, format, g.m())
			if format == "json" {
				// encoding/json writes invalid UTF-8 as the escape \ufffd,
				// which reads back as the character itself.
				orig = strings.ReplaceAll(orig, `\ufffd`, "\ufffd")
			}
			if got != orig {
				t.Errorf("%s: %s of the decoded map differs from the original's", g.name, format)
			}
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateJSON(sch *jsonschema.Schema, doc string) error {
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

func TestSchema(t *testing.T) {
	sch := compileSchema(t)
	raw, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Schema     string `json:"$schema"`
		Properties struct {
			Version struct {
				Const int `json:"const"`
			} `json:"version"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Schema != "https://json-schema.org/draft/2020-12/schema" || meta.Properties.Version.Const != Version {
		t.Errorf("schema.json: $schema %q, version const %d; want draft 2020-12 and %d", meta.Schema, meta.Properties.Version.Const, Version)
	}
	for _, g := range goldenMaps {
		if err := validateJSON(sch, render(t, "json", g.m())); err != nil {
			t.Errorf("%s: %v", g.name, err)
		}
	}
	// The schema is no rubber stamp.
	for _, bad := range []string{
		`{"version": 2, "flows": []}`,
		`{"version": 1}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "job"}]}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "func", "extra": 1}]}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "func", "steps": [{"id": "s1", "kind": "retag", "images": [{"id": "i1"}]}]}]}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "func", "images": [{"id": "i1", "ref": {"text": ""}}]}]}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "func", "pos": {"file": "a.go", "line": 0}}]}`,
		`{"version": 1, "flows": [{"name": "f", "kind": "func", "unknowns": [{"what": "x"}]}]}`,
	} {
		if validateJSON(sch, bad) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

// The schema's enumerations are the kinds Validate accepts.
func TestSchemaKinds(t *testing.T) {
	raw, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type kind struct {
		Enum []string `json:"enum"`
	}
	var schema struct {
		Defs struct {
			Flow, Step, Part struct {
				Properties struct {
					Kind kind `json:"kind"`
				} `json:"properties"`
			}
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		enum  []string
		kinds []string
	}{
		{"flow", schema.Defs.Flow.Properties.Kind.Enum, strs(flowKinds)},
		{"step", schema.Defs.Step.Properties.Kind.Enum, strs(stepKinds)},
		{"part", schema.Defs.Part.Properties.Kind.Enum, strs(partKinds)},
	} {
		if !slices.Equal(tc.enum, tc.kinds) {
			t.Errorf("schema.json's %s kinds %q, want %q", tc.name, tc.enum, tc.kinds)
		}
	}
}

func strs[S ~string](kinds []S) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// docs/flows.md has a table row for every kind, and its JSON example is
// valid.
func TestDocs(t *testing.T) {
	raw, err := os.ReadFile("../docs/flows.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, k := range slices.Concat(strs(flowKinds), strs(stepKinds), strs(partKinds)) {
		if !strings.Contains(doc, "\n| `"+k+"` |") {
			t.Errorf("docs/flows.md: no table row for the kind %q", k)
		}
	}
	_, rest, ok := strings.Cut(doc, "```json\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("docs/flows.md: no JSON example")
	}
	if err := validateJSON(compileSchema(t), example); err != nil {
		t.Errorf("docs/flows.md: the JSON example does not validate: %v", err)
	}
}

func TestValidate(t *testing.T) {
	valid := func() *Map { return exampleMap() }
	for _, tc := range []struct {
		name   string
		change func(*Map)
		want   string
	}{
		{"version", func(m *Map) { m.Version = 0 }, "version 0, want 1"},
		{"flow name", func(m *Map) { m.Flows[0].Name = "" }, "no name"},
		{"flow kind", func(m *Map) { m.Flows[0].Kind = "job" }, `unknown kind "job"`},
		{"image id", func(m *Map) { m.Flows[0].Images[1].ID = "i1" }, `duplicate id "i1"`},
		{"image ref", func(m *Map) { m.Flows[0].Images[0].Ref.Text = "" }, "reference without text"},
		{"part kind", func(m *Map) { m.Flows[0].Images[0].Ref.Parts[0].Kind = "literal" }, `unknown kind "literal"`},
		{"step id", func(m *Map) { m.Flows[0].Steps[2].ID = "" }, "empty id"},
		{"step kind", func(m *Map) { m.Flows[0].Steps[0].Kind = "tag" }, `unknown kind "tag"`},
		{"step image", func(m *Map) { m.Flows[0].Steps[0].Images[0].ID = "i9" }, `no image "i9" in the flow`},
		{"retag images", func(m *Map) { m.Flows[1].Steps[6].Images = m.Flows[1].Steps[6].Images[:1] }, "a node-retag has 2 images"},
		{"finding", func(m *Map) { m.Flows[0].Steps[2].Findings[0].Check = "" }, "finding without check"},
		{"via", func(m *Map) { m.Flows[0].Steps[0].Via[0].Pos = Position{} }, "call without position"},
		{"position", func(m *Map) { m.Flows[0].Pos.Line = 0 }, "bad position"},
		{"position file", func(m *Map) { m.Flows[0].Steps[0].Pos.File = "" }, "without file"},
		{"unknown step", func(m *Map) {
			m.Flows[0].Unknowns = []Unknown{{What: "x", Reason: "y", Step: "s9"}}
		}, `no step "s9"`},
		{"unknown reason", func(m *Map) { m.Flows[0].Unknowns = []Unknown{{What: "x"}} }, "no what or no reason"},
	} {
		m := valid()
		tc.change(m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error with %q", tc.name, err, tc.want)
		}
		var b bytes.Buffer
		if Render(&b, "text", m) == nil || b.Len() > 0 {
			t.Errorf("%s: Render writes an invalid map", tc.name)
		}
	}
	if err := (*Map)(nil).Validate(); err == nil {
		t.Error("a nil map is valid")
	}
	for _, g := range goldenMaps {
		if err := g.m().Validate(); err != nil {
			t.Errorf("%s: %v", g.name, err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderWriteError(t *testing.T) {
	if err := Render(failingWriter{}, "dot", exampleMap()); err == nil || err.Error() != "disk full" {
		t.Errorf("Render = %v, want the writer's error", err)
	}
}

func TestPartString(t *testing.T) {
	for _, tc := range []struct {
		p    Part
		want string
	}{
		{Part{Kind: PartText, Text: "localhost/app:"}, "localhost/app:"},
		{Part{Kind: PartEnv, Text: "IMG", Default: "x"}, "$IMG"},
		{Part{Kind: PartMake, Text: "IMG"}, "$(IMG)"},
		{Part{Kind: PartFlag, Text: "image"}, "<flag image>"},
		{Part{Kind: PartParam, Text: "imageName"}, "<param imageName>"},
		{Part{Kind: PartField, Text: "cfg.Image"}, "<field cfg.Image>"},
		{Part{Kind: PartGenerated, Text: "newTag"}, "<generated by newTag>"},
		{Part{Kind: PartGenerated}, "<generated by>"},
		{Part{Kind: PartProduced, Text: "BuildAndLoad"}, "<produced by BuildAndLoad>"},
		{Part{Kind: PartChartDefault, Text: "image.tag"}, "<chart default image.tag>"},
		{Part{Kind: PartChartDefault}, "<chart default>"},
		{Part{Kind: PartUnknown, Text: "path computed at run time"}, "<path computed at run time>"},
		{Part{Kind: PartUnknown}, "<unknown>"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
	r := NewRef(Part{Kind: PartText, Text: "localhost/app:"}, Part{Kind: PartEnv, Text: "TAG"})
	if r.String() != "localhost/app:$TAG" || len(r.Parts) != 2 {
		t.Errorf("NewRef = %+v", r)
	}
}

func TestPositionString(t *testing.T) {
	for _, tc := range []struct {
		p    Position
		want string
	}{
		{Position{}, ""},
		{Position{File: "Makefile"}, "Makefile"},
		{Position{File: "Makefile", Line: 12}, "Makefile:12"},
		{Position{File: "a.go", Line: 3, Col: 7}, "a.go:3:7"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain ü 🚀":        "plain ü 🚀",
		"a\nb\tc\r":        `a\nb\tc\x0d`,
		"\x1b[31mred":      `\x1b[31mred`,
		"\u202eevil":       `\u202eevil`,
		"bad \xff byte":    "bad \ufffd byte",
		"real \ufffd kept": "real \ufffd kept",
		"\u0085next line":  `\x85next line`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"a b c", 3, []string{"a b", "c"}},
		{"short", 10, []string{"short"}},
		{"averyveryverylongword x", 5, []string{"averyveryverylongword", "x"}},
		{"  spaced   out  ", 20, []string{"spaced out"}},
		{"ü ü ü", 3, []string{"ü ü", "ü"}},
	} {
		if got := wrap(tc.in, tc.width); !slices.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// The grammar of what renderMermaid writes: every line is one of these,
// and a label holds no character Mermaid reads as syntax.
var mermaidLine = func() *regexp.Regexp {
	label := `"(?:[^"<>&#%` + "`" + `\n]|#(?:quot|lt|gt|amp|35|37|96);|<br/>)*"`
	id := `(?:f\d+_[isu]\d+|f\d+_none|empty)`
	return regexp.MustCompile(`^(?:%% .*|flowchart TB|  classDef \w+ [^"\n]*|  class [\w,]+ \w+|  subgraph f\d+\[` + label + `\]|    direction TB|  end|` +
		` +` + id + `(?:\[` + label + `\]|\(\[` + label + `\]\)|\{\{` + label + `\}\})|` +
		`    ` + id + ` (?:-->|-\.->\|` + label + `\||-\.-) ` + id + `)$`)
}()

// The grammar of what renderDOT writes.
var dotLine = func() *regexp.Regexp {
	str := `"(?:[^"\\\n]|\\.)*"`
	id := `(?:f\d+_[isu]\d+|f\d+_none|empty)`
	attrs := `(?:\w+=(?:` + str + `|\w+)(?:, )?)*`
	return regexp.MustCompile(`^(?://.*|digraph flows \{|  (?:graph|node|edge) \[` + attrs + `\];|  subgraph cluster_f\d+ \{|    label=` + str + `;|    (?:style|color)=` + str + `;|  \}|\}|` +
		` +` + id + ` \[` + attrs + `\];|    ` + id + ` -> ` + id + `(?: \[` + attrs + `\])?;)$`)
}()

// checkSyntax fails unless a JSON rendering is valid JSON, and every line
// of a mermaid or dot rendering is in its grammar; the others are valid
// UTF-8 without control characters but newlines.
func checkSyntax(t *testing.T, format, out string) {
	t.Helper()
	if format == "json" {
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON: %s", out)
		}
		return
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%s: invalid UTF-8", format)
	}
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Fatalf("%s: control character %U in output", format, r)
		}
	}
	grammar := map[string]*regexp.Regexp{"mermaid": mermaidLine, "dot": dotLine}[format]
	if grammar == nil {
		return
	}
	for l := range strings.Lines(out) {
		if !grammar.MatchString(strings.TrimSuffix(l, "\n")) {
			t.Fatalf("%s line out of grammar: %q", format, l)
		}
	}
}

func TestSyntax(t *testing.T) {
	for _, g := range goldenMaps {
		for _, format := range []string{"text", "mermaid", "dot"} {
			checkSyntax(t, format, render(t, format, g.m()))
		}
	}
}

// FuzzRender puts arbitrary text in every string of a map: rendering
// never fails on a valid map, and its output stays in each format's
// grammar.
func FuzzRender(f *testing.F) {
	f.Add("name", "i1", "localhost/app:v1", "podman build", "a.go", "check", "message")
	f.Add("\"]\n", "end", "<br/>#quot;", "`x`&amp;", "%%{init}%%", "\\N\\l", "\x1b\u202e\xff")
	f.Fuzz(func(t *testing.T, name, id, ref, where, file, check, message string) {
		m := &Map{Version: Version, Flows: []Flow{{
			Name: name, Kind: FlowFunc, Pos: Position{File: file, Line: 1},
			Images: []Image{
				{ID: id, Ref: Ref{Text: ref, Parts: []Part{{Kind: PartUnknown, Text: where, Reason: message, Default: check}}}},
				{ID: id + "2", Ref: Ref{Text: ref + "2"}},
			},
			Steps: []Step{
				{ID: "s1", Kind: StepBuild, Pos: Position{File: file}, Where: where, Command: message, Images: []StepImage{{ID: id, Ref: Ref{Text: where}}},
					Via: []Call{{Pos: Position{File: file, Line: 2, Col: 3}, Callee: name}}},
				{ID: "s2", Kind: StepRetag, Images: []StepImage{{ID: id}, {ID: id + "2"}},
					Findings: []Finding{{Check: check, Message: message, Pos: Position{File: file}}}},
			},
			Unknowns: []Unknown{{What: where, Reason: message, Step: "s2"}},
		}}}
		if m.Validate() != nil {
			return
		}
		for _, format := range Formats() {
			checkSyntax(t, format, render(t, format, m))
		}
	})
}
