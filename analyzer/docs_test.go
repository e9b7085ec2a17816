package analyzer

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"
	"github.com/imagetaglint/imagetaglint/internal/testdiff"
)

var update = flag.Bool("update", false, "rewrite the files generated from analyzer/doc")

// The files generated from analyzer/doc, relative to the repository root,
// and what makes them: a whole file, or regions of one between
// "<!-- NAME:begin ... -->" and "<!-- NAME:end -->" lines.
const (
	checksMDPath  = "docs/checks.md"
	readmePath    = "README.md"
	usagePath     = "docs/usage.md"
	modelPath     = "docs/model.md"
	gclpluginPath = "gclplugin/doc.go"
	registryPath  = "analyzer/registry_gen.go"
)

const generatedBy = "go test ./analyzer -run TestDocs -update"

// TestDocs keeps the documentation made from analyzer/doc in step with it
// and with the code: every check has a valid entry, and the generated
// files are what the entries make. With -update it rewrites them.
func TestDocs(t *testing.T) {
	docs, err := checkDocs()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("entries", func(t *testing.T) { testEntries(t, docs) })
	t.Run("examples", func(t *testing.T) { testExamples(t, docs) })
	t.Run("analyzer", func(t *testing.T) { testAnalyzerDoc(t, docs) })

	root := filepath.Join("..")
	want := map[string]string{
		checksMDPath:  checksMD(t, docs),
		gclpluginPath: gclpluginDoc(docs),
		registryPath:  registrySource(t),
	}
	for _, r := range []struct{ file, name, content string }{
		{readmePath, "checks", checksTable(docs, "docs/checks.md")},
		{modelPath, "apis", docFile(t, "apis.md")},
		{usagePath, "settings", settingsTable()},
	} {
		if _, ok := want[r.file]; !ok {
			text, err := os.ReadFile(filepath.Join(root, r.file))
			if err != nil {
				t.Fatal(err)
			}
			want[r.file] = string(text)
		}
		var err error
		if want[r.file], err = replaceRegion(want[r.file], r.name, r.content); err != nil {
			t.Fatalf("%s: %v", r.file, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		file := filepath.Join(root, name)
		got, err := os.ReadFile(file)
		if err != nil && !(*update && os.IsNotExist(err)) {
			t.Fatal(err)
		}
		if string(got) == want[name] {
			continue
		}
		if *update {
			if err := os.WriteFile(file, []byte(want[name]), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote %s", name)
			continue
		}
		t.Errorf("%s is not what analyzer/doc makes; run %s\n%s", name, generatedBy, testdiff.FirstLine(string(got), want[name], "have", "want"))
	}

	t.Run("headings", func(t *testing.T) { testHeadings(t, docs, want[checksMDPath], want[readmePath]) })
	t.Run("links", func(t *testing.T) { testLinks(t, want[checksMDPath], want[readmePath]) })
	t.Run("apis", func(t *testing.T) { testAPIs(t, docFile(t, "apis.md")) })
}

// testEntries checks that every registered check has an entry, that no
// entry is orphaned, and the shape of each entry.
func testEntries(t *testing.T, docs []checkDoc) {
	entries, err := fs.Glob(docFS, "doc/checks/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(path.Base(e), ".md")
		if !ok || !isCheck(name) {
			t.Errorf("%s documents no registered check", e)
		}
	}
	if len(docs) != len(registry) {
		t.Errorf("%d entries for %d checks", len(docs), len(registry))
	}
	for _, d := range docs {
		switch {
		case len(d.Summary) > 90:
			t.Errorf("%s: summary of %d bytes; keep it under 90 for the tables", d.Name, len(d.Summary))
		case strings.HasSuffix(d.Summary, ".") || d.Summary != strings.TrimSpace(d.Summary):
			t.Errorf("%s: summary %q: no final period or blanks; it is set in a sentence", d.Name, d.Summary)
		case d.Summary[:1] != strings.ToLower(d.Summary[:1]):
			t.Errorf("%s: summary %q: start in lower case; it follows \"Finds\"", d.Name, d.Summary)
		}
		if d.Fix != "none" && d.section("Suggested fix") == "" {
			t.Errorf("%s: fix %q but no **Suggested fix.** section", d.Name, d.Fix)
		}
		if d.Fix == "none" && d.section("Suggested fix") != "" {
			t.Errorf("%s: fix none but a **Suggested fix.** section", d.Name)
		}
		if !strings.Contains(d.section("Rule"), "["+d.Name+"]") {
			t.Errorf("%s: the rule shows no message ending in [%s]", d.Name, d.Name)
		}
	}
	for _, body := range []string{"- x\n", "**Why.** x\n", "**Rule.** x\n**Rule.** y\n", "**Rule.** x\n**Why.** x\n**Examples.** x\n**Not flagged.** x\n",
		"**Rule.** x\n**Why.** x\n**Examples.**\n**Not flagged.** x\n**Configuration.** x\n"} {
		if _, err := parseSections(body); err == nil {
			t.Errorf("parseSections(%q) accepts a malformed body", body)
		}
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// testExamples parses every Go example of the entries, as a file or as
// statements.
func testExamples(t *testing.T, docs []checkDoc) {
	for _, d := range docs {
		blocks := goBlock.FindAllStringSubmatch(d.Body, -1)
		if len(blocks) == 0 {
			t.Errorf("%s: no Go example", d.Name)
		}
		for _, b := range blocks {
			fset := token.NewFileSet()
			if _, err := parser.ParseFile(fset, "", "package p\n"+b[1], 0); err == nil {
				continue
			}
			if _, err := parser.ParseFile(fset, "", "package p\nfunc _() {\n"+b[1]+"\n}", 0); err != nil {
				t.Errorf("%s: example is not Go: %v\n%s", d.Name, err, b[1])
			}
		}
	}
}

// testAnalyzerDoc checks the Doc go vet and golangci-lint print: short,
// and one line per check with its summary.
func testAnalyzerDoc(t *testing.T, docs []checkDoc) {
	doc := analyzerDoc()
	if n := strings.Count(doc, "\n"); n > 30 {
		t.Errorf("Doc has %d lines; keep it short, docs/checks.md has the rest", n)
	}
	for _, d := range docs {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(d.Name) + ` +` + regexp.QuoteMeta(d.Summary) + `$`).MatchString(doc) {
			t.Errorf("Doc has no line for %s with its summary", d.Name)
		}
		if CheckSummary(d.Name) != d.Summary || CheckDescription(d.Name) != d.section("Rule") || !strings.Contains(CheckHelp(d.Name), d.Body) {
			t.Errorf("%s: CheckSummary, CheckDescription or CheckHelp differ from the entry", d.Name)
		}
	}
	if CheckSummary("no-such-check") != "" || CheckHelp("no-such-check") != "" {
		t.Error("an unknown check has documentation")
	}
}

// testHeadings checks that every check is a heading of docs/checks.md and a
// row of the README's table, once.
func testHeadings(t *testing.T, docs []checkDoc, checksMD, readme string) {
	table, _, _ := strings.Cut(readme[strings.Index(readme, "<!-- checks:begin"):], "<!-- checks:end -->")
	for _, d := range docs {
		if n := strings.Count(checksMD, "\n## "+d.Name+"\n"); n != 1 {
			t.Errorf("%s: %d headings in %s, want 1", d.Name, n, checksMDPath)
		}
		if n := strings.Count(table, "| [`"+d.Name+"`]"); n != 1 {
			t.Errorf("%s: %d rows in the README's table, want 1", d.Name, n)
		}
	}
}

var (
	heading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	link    = regexp.MustCompile(`\]\(([^)\s]*)#([^)\s]+)\)`)
)

// anchors returns the anchors GitHub makes of the headings of a Markdown
// text, code blocks left out.
func anchors(md string) map[string]bool {
	set := make(map[string]bool)
	for _, m := range heading.FindAllStringSubmatch(withoutCode(md), -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				b.WriteRune(r)
			}
		}
		set[b.String()] = true
	}
	return set
}

// withoutCode drops fenced code blocks.
func withoutCode(md string) string {
	return regexp.MustCompile("(?ms)^ *```.*?^ *```").ReplaceAllString(md, "")
}

// testLinks checks the links into docs/checks.md: those the diagnostics
// carry, and those of both documents.
func testLinks(t *testing.T, checksMD, readme string) {
	docAnchors, readmeAnchors := anchors(checksMD), anchors(readme)
	for _, a := range append(slices.Clone(Checks), "suppressing-findings") {
		if !docAnchors[a] {
			t.Errorf("%s has no anchor #%s, which diagnostics link to", checksMDPath, a)
		}
	}
	for _, doc := range []struct {
		name, text string
		own        map[string]bool
	}{{checksMDPath, checksMD, docAnchors}, {readmePath, readme, readmeAnchors}} {
		for _, m := range link.FindAllStringSubmatch(withoutCode(doc.text), -1) {
			target := doc.own
			switch m[1] {
			case "":
			case "docs/checks.md":
				target = docAnchors
			default:
				continue
			}
			if !target[m[2]] {
				t.Errorf("%s: link %s#%s has no heading", doc.name, m[1], m[2])
			}
		}
	}
}

// testAPIs checks that the table of supported APIs names every package the
// knowledge table uses.
func testAPIs(t *testing.T, apis string) {
	for _, p := range knowledge.Packages() {
		if !strings.Contains(apis, "`"+p+"`") {
			t.Errorf("analyzer/doc/apis.md does not name %s, which the knowledge table uses", p)
		}
	}
}

// docFile returns a shared file of analyzer/doc.
func docFile(t *testing.T, name string) string {
	t.Helper()
	data, err := docFS.ReadFile("doc/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(data)) + "\n"
}

var placeholder = regexp.MustCompile(`(?m)^<!-- [a-z]+ -->$`)

// checksMD makes docs/checks.md: the intro, each check, the outro, with
// the placeholders "<!-- NAME -->" of the shared files filled in.
func checksMD(t *testing.T, docs []checkDoc) string {
	fill := strings.NewReplacer(
		"<!-- checks -->\n", checksTable(docs, ""),
		"<!-- apis -->\n", docFile(t, "apis.md"),
		"<!-- settings -->\n", settingsTable(),
	)
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from analyzer/doc by %s. Edit those files, not this one. -->\n\n", generatedBy)
	b.WriteString(fill.Replace(docFile(t, "intro.md")))
	for _, d := range docs {
		fmt.Fprintf(&b, "\n## %s\n\n%s", d.Name, checkHelp(d))
	}
	b.WriteString("\n")
	b.WriteString(fill.Replace(docFile(t, "outro.md")))
	if left := placeholder.FindString(b.String()); left != "" {
		t.Errorf("%s: placeholder %s is left", checksMDPath, left)
	}
	return b.String()
}

// checksTable is the table of checks, linking to their sections of the
// document at page ("" for docs/checks.md itself).
func checksTable(docs []checkDoc, page string) string {
	var b strings.Builder
	b.WriteString("| check | finds | suggested fix |\n| --- | --- | --- |\n")
	for _, d := range docs {
		fmt.Fprintf(&b, "| [`%s`](%s#%s) | %s | %s |\n", d.Name, page, d.Name, d.Summary, d.Fix)
	}
	return b.String()
}

// settingsTable is the table of settings, from Config's schema.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| flag | default | meaning |\n| --- | --- | --- |\n")
	for _, s := range settingsOfConfig() {
		help := s.help
		if s.typ == stringList {
			help = "comma-separated " + help
		}
		fmt.Fprintf(&b, "| `-%s` | %s | %s |\n", s.key, settingDefault(s, "`", "none"), strings.ReplaceAll(help, "|", `\|`))
	}
	return b.String()
}

// settingDefault renders the default of s, each value quoted by q.
func settingDefault(s setting, q, none string) string {
	v := reflect.ValueOf(DefaultConfig()).Field(s.index)
	var vals []string
	if s.typ == stringList {
		vals = v.Interface().([]string)
	} else if text := fmt.Sprint(v.Interface()); text != "" {
		vals = []string{text}
	}
	if len(vals) == 0 {
		return none
	}
	for i, val := range vals {
		if q == "`" {
			val = strings.ReplaceAll(val, "|", `\|`)
		}
		vals[i] = q + val + q
	}
	return strings.Join(vals, ", ")
}

// replaceRegion replaces the lines between the begin and end markers of
// region name in text with content.
func replaceRegion(text, name, content string) (string, error) {
	begin, end := "<!-- "+name+":begin", "<!-- "+name+":end -->"
	i := strings.Index(text, begin)
	if i < 0 || strings.Count(text, begin) != 1 {
		return "", fmt.Errorf("want one %q line", begin+" ... -->")
	}
	j := strings.Index(text[i:], "\n")
	k := strings.Index(text, end)
	if j < 0 || k < i+j || strings.Count(text, end) != 1 {
		return "", fmt.Errorf("want one %q line after %q", end, begin)
	}
	return text[:i+j+1] + content + text[k:], nil
}

// gclpluginDoc makes the package doc of gclplugin: how to enable the
// plugin, its settings and its checks.
func gclpluginDoc(docs []checkDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by %q from analyzer/doc and analyzer.Config; DO NOT EDIT.\n\n", generatedBy)
	b.WriteString(`// Package gclplugin registers imagetaglint as a golangci-lint v2 module
// plugin named "imagetaglint".
//
// Build a golangci-lint that includes it with "golangci-lint custom" and the
// .custom-gcl.yml at the root of this repository (or "make golangci-lint"),
// then enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  default: none
//	  enable: [imagetaglint]
//	  settings:
//	    custom:
//	      imagetaglint:
//	        type: module
//	        description: image references lost between build, load and deploy
//	        settings:
//	          disable: [hardcoded-image]
//
// # Settings
//
// Each setting is the command-line flag and the .imagetaglint.yaml key of
// the same name, decoded by analyzer.Decode and validated as strictly: an
// unknown key, a value of the wrong type, an invalid regexp or an unknown
// check is an error. A setting that is not given keeps its default.
//
`)
	for _, s := range settingsOfConfig() {
		if s.load {
			continue // golangci-lint loads the packages
		}
		item := fmt.Sprintf("%s (%s): %s", s.key, s.want(), s.help)
		if s.check == "checks" {
			item += ": " + strings.Join(Checks, ", ")
		}
		item += "; default " + settingDefault(s, "", "none") + "."
		b.WriteString(commentItem(item))
	}
	b.WriteString("//\n// # Checks\n//\n")
	for _, d := range docs {
		b.WriteString(commentItem(d.Name + ": " + d.Summary + "."))
	}
	b.WriteString("//\n")
	b.WriteString(commentText("Each check is documented at " + DocURL + "#NAME."))
	b.WriteString("package gclplugin\n")
	return b.String()
}

// commentItem renders a list item of a doc comment, wrapped.
func commentItem(text string) string {
	lines := wrap(text, 72)
	var b strings.Builder
	for i, l := range lines {
		if i == 0 {
			b.WriteString("//   - " + l + "\n")
		} else {
			b.WriteString("//     " + l + "\n")
		}
	}
	return b.String()
}

// commentText renders a paragraph of a doc comment, wrapped.
func commentText(text string) string {
	var b strings.Builder
	for _, l := range wrap(text, 76) {
		b.WriteString("// " + l + "\n")
	}
	return b.String()
}

// wrap breaks text into lines of at most width bytes where it can.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// checkDecl matches the declaration of a check in its file.
var checkDecl = regexp.MustCompile(`(?m)^var (\w+) = register\(&check\{`)

// registrySource is registry_gen.go: every check a file of the package
// registers, so that adding a check edits no list.
func registrySource(t *testing.T) string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var vars []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range checkDecl.FindAllSubmatch(src, -1) {
			vars = append(vars, string(m[1]))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by %s; DO NOT EDIT.\n\npackage analyzer\n\n", generatedBy)
	b.WriteString("// registry lists every check, by name: each check file's register call.\nvar registry = byName(\n")
	for _, v := range vars {
		fmt.Fprintf(&b, "\t%s,\n", v)
	}
	b.WriteString(")\n")
	return b.String()
}
