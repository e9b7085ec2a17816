package analyzer

import (
	"bytes"
	"embed"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// The documentation of every check lives in one place, doc/checks/NAME.md:
// a front matter with its one-line summary and suggested fix, then its
// sections (rule, why, examples, not flagged, configuration). The Doc of
// the analyzer, docs/checks.md, the README's table and the plugin's
// settings are made from these files, and a test keeps the generated ones
// in step (go test ./analyzer -run TestDocs -update rewrites them).
//
//go:embed doc
var docFS embed.FS

// checkDoc is the documentation of one check.
type checkDoc struct {
	Name    string `yaml:"-"`
	Summary string `yaml:"summary"` // what it finds, one line
	Fix     string `yaml:"fix"`     // what its suggested fix does, or "none"
	Body    string `yaml:"-"`       // Markdown sections
}

// docOf returns the documentation of check name, parsed from its entry.
func docOf(name string) (checkDoc, error) {
	data, err := docFS.ReadFile("doc/checks/" + name + ".md")
	if err != nil {
		return checkDoc{}, err
	}
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	front, body, ok2 := bytes.Cut(rest, []byte("\n---\n"))
	if !ok || !ok2 {
		return checkDoc{}, fmt.Errorf("doc/checks/%s.md: no front matter between --- lines", name)
	}
	d := checkDoc{Name: name, Body: strings.TrimSpace(string(body))}
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return checkDoc{}, fmt.Errorf("doc/checks/%s.md: %v", name, err)
	}
	if d.Summary == "" {
		return checkDoc{}, fmt.Errorf("doc/checks/%s.md: no summary", name)
	}
	return d, nil
}

// checkDocs returns the documentation of every registered check, in
// registry order.
func checkDocs() ([]checkDoc, error) {
	docs := make([]checkDoc, 0, len(registry))
	for _, c := range registry {
		d, err := docOf(c.name)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// analyzerDoc is the Doc of the analyzer: what go vet -help and
// golangci-lint print.
func analyzerDoc() string {
	var b strings.Builder
	b.WriteString(`find image references lost between build, load and deploy in E2E setup code

imagetaglint reports code where the image that is deployed into a Kind
cluster is not the image that was built and loaded, so pods end in
ImagePullBackOff or ErrImageNeverPull, or silently run a stale image.

Checks (each diagnostic's category; disable with -disable=NAME,...; suppress
one finding with "//imagetaglint:ignore NAME reason" on or above its line):

`)
	docs, err := checkDocs()
	if err != nil {
		panic(err) // the embedded docs are tested; a broken build is a bug
	}
	width := 0
	for _, d := range docs {
		width = max(width, len(d.Name))
	}
	for _, d := range docs {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, d.Name, d.Summary)
	}
	b.WriteString("\nEach check is documented at " + DocURL + "#NAME.")
	return b.String()
}
