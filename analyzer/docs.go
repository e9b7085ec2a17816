package analyzer

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The documentation of every check lives in one place, doc/checks/NAME.md:
// a front matter with its one-line summary and suggested fix, then its
// sections (see docSections). Shared text lives beside it in doc/. The Doc
// of the analyzer, the SARIF rules, docs/checks.md, the README's tables and
// the golangci-lint plugin's package doc are made from these files; a test
// keeps the generated files in step (go test ./analyzer -run TestDocs
// -update rewrites them).
//
//go:embed doc
var docFS embed.FS

// checkDoc is the documentation of one check.
type checkDoc struct {
	Name     string    `yaml:"-"`
	Summary  string    `yaml:"summary"` // what it finds, one line
	Fix      string    `yaml:"fix"`     // what its suggested fix does, or "none"
	Body     string    `yaml:"-"`       // Markdown sections
	Sections []section `yaml:"-"`
}

// section is one titled part of a check's body: "**Rule.** text...".
type section struct {
	Title string // "Rule"
	Text  string // Markdown, the title's lead-in removed
}

// docSections are the titles a check's body may have, in order; the
// optional ones may be left out.
var docSections = []struct {
	title    string
	required bool
}{
	{"Rule", true},
	{"Why", true},
	{"Examples", true},
	{"Suggested fix", false},
	{"Not flagged", true},
	{"Configuration", true},
}

// docOf returns the documentation of check name, parsed from its entry.
func docOf(name string) (checkDoc, error) {
	path := "doc/checks/" + name + ".md"
	data, err := docFS.ReadFile(path)
	if err != nil {
		return checkDoc{}, err
	}
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	front, body, ok2 := bytes.Cut(rest, []byte("\n---\n"))
	if !ok || !ok2 {
		return checkDoc{}, fmt.Errorf("%s: no front matter between --- lines", path)
	}
	d := checkDoc{Name: name, Body: strings.TrimSpace(string(body))}
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return checkDoc{}, fmt.Errorf("%s: %v", path, err)
	}
	switch {
	case d.Summary == "" || strings.Contains(d.Summary, "\n"):
		return checkDoc{}, fmt.Errorf("%s: the summary must be one line", path)
	case d.Fix == "" || strings.Contains(d.Fix, "\n"):
		return checkDoc{}, fmt.Errorf("%s: fix must be one line (\"none\" when there is no fix)", path)
	}
	if d.Sections, err = parseSections(d.Body); err != nil {
		return checkDoc{}, fmt.Errorf("%s: %v", path, err)
	}
	return d, nil
}

// parseSections splits a body into its sections, each starting with a
// line "**Title.** ..." outside code blocks, and checks their titles and
// order against docSections.
func parseSections(body string) ([]section, error) {
	var secs []section
	var text strings.Builder
	fenced := false
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "**") {
			if title, rest, ok := strings.Cut(line[2:], ".**"); ok {
				if len(secs) > 0 {
					secs[len(secs)-1].Text = strings.TrimSpace(text.String())
				} else if strings.TrimSpace(text.String()) != "" {
					return nil, fmt.Errorf("text before the first section")
				}
				text.Reset()
				secs = append(secs, section{Title: title})
				line = strings.TrimLeft(rest, " ")
			}
		}
		text.WriteString(line)
	}
	if len(secs) == 0 {
		return nil, fmt.Errorf("no sections (want **Rule.**, **Why.**, ...)")
	}
	secs[len(secs)-1].Text = strings.TrimSpace(text.String())
	next := 0
	for _, s := range secs {
		for next < len(docSections) && docSections[next].title != s.Title {
			if docSections[next].required {
				return nil, fmt.Errorf("section %q missing before %q", docSections[next].title, s.Title)
			}
			next++
		}
		if next == len(docSections) {
			return nil, fmt.Errorf("section %q is unknown, repeated or out of order", s.Title)
		}
		if s.Text == "" {
			return nil, fmt.Errorf("section %q is empty", s.Title)
		}
		next++
	}
	for _, s := range docSections[next:] {
		if s.required {
			return nil, fmt.Errorf("section %q missing", s.title)
		}
	}
	return secs, nil
}

// section returns the text of the section with title, or "".
func (d checkDoc) section(title string) string {
	for _, s := range d.Sections {
		if s.Title == title {
			return s.Text
		}
	}
	return ""
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

// registeredDoc is docOf for a registered check, or the zero checkDoc: an
// unknown name, or an entry that does not parse (TestDocs fails on it).
func registeredDoc(name string) checkDoc { return registeredDocs()[name] }

// registeredDocs parses every registered check's entry once.
var registeredDocs = sync.OnceValue(func() map[string]checkDoc {
	docs := make(map[string]checkDoc, len(registry))
	for _, c := range registry {
		if d, err := docOf(c.name); err == nil {
			docs[c.name] = d
		}
	}
	return docs
})

// CheckSummary returns the one-line summary of check name (what it finds),
// or "" when there is no such check.
func CheckSummary(name string) string { return registeredDoc(name).Summary }

// CheckDescription returns the rule of check name as Markdown, a paragraph
// or two, or "" when there is no such check.
func CheckDescription(name string) string { return registeredDoc(name).section("Rule") }

// CheckHelp returns the full documentation of check name as Markdown (its
// summary, suggested fix and every section), or "" when there is no such
// check. It is the check's section of docs/checks.md without its heading.
func CheckHelp(name string) string {
	d := registeredDoc(name)
	if d.Name == "" {
		return ""
	}
	return checkHelp(d)
}

func checkHelp(d checkDoc) string {
	return fmt.Sprintf("*Finds:* %s. *Suggested fix:* %s.\n\n%s\n", d.Summary, d.Fix, d.Body)
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
	width := 0
	for _, name := range Checks {
		width = max(width, len(name))
	}
	for _, name := range Checks {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, name, registeredDoc(name).Summary)
	}
	b.WriteString("\nEach check is documented at " + DocURL + "#NAME.")
	return b.String()
}
