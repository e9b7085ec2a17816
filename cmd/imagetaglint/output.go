package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// The output layer: findings of every root package, deduplicated (a
// package and its test variant share files), sorted by file, line and
// column, with paths relative to the working directory, printed as text,
// JSON or SARIF. Every output carries each check's documentation link.

// finding is one diagnostic, positions resolved.
type finding struct {
	Posn    position
	End     position
	Check   string
	Message string
	URL     string
	Related []related
	Fixes   []fix
}

type position struct {
	File         string // absolute
	Line, Column int
	Offset       int
}

type related struct {
	Posn, End position
	Message   string
}

type fix struct {
	Message string
	Edits   []edit
}

type edit struct {
	Start, End position // same file
	New        string
}

func resolve(fset *token.FileSet, pos token.Pos) position {
	if !pos.IsValid() {
		return position{}
	}
	p := fset.Position(pos)
	return position{File: p.Filename, Line: p.Line, Column: p.Column, Offset: p.Offset}
}

// collect returns the deduplicated, sorted findings of the root actions of
// graph and the analysis errors.
func collect(graph *checker.Graph, a *analysis.Analyzer) ([]finding, []buildError) {
	var fs []finding
	var errs []buildError
	seen := make(map[string]bool)
	for act := range graph.All() {
		if !act.IsRoot || act.Analyzer != a {
			continue
		}
		if act.Err != nil {
			// The printf analyzer imagetaglint requires skips packages that
			// do not type-check; their type errors are reported already.
			if !act.Package.IllTyped {
				errs = append(errs, buildError{pkg: act.Package.ID, msg: act.Err.Error()})
			}
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := finding{
				Posn:    resolve(fset, d.Pos),
				End:     resolve(fset, cmp.Or(d.End, d.Pos)),
				Check:   cmp.Or(d.Category, a.Name),
				Message: d.Message,
				URL:     docURL(a, d),
			}
			key := fmt.Sprint(f.Posn, f.End, f.Check, f.Message)
			if seen[key] {
				continue
			}
			seen[key] = true
			for _, r := range d.Related {
				f.Related = append(f.Related, related{resolve(fset, r.Pos), resolve(fset, cmp.Or(r.End, r.Pos)), r.Message})
			}
			for _, sf := range d.SuggestedFixes {
				fx := fix{Message: sf.Message}
				for _, e := range sf.TextEdits {
					fx.Edits = append(fx.Edits, edit{resolve(fset, e.Pos), resolve(fset, cmp.Or(e.End, e.Pos)), string(e.NewText)})
				}
				f.Fixes = append(f.Fixes, fx)
			}
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(x, y finding) int {
		return cmp.Or(
			cmp.Compare(x.Posn.File, y.Posn.File),
			cmp.Compare(x.Posn.Line, y.Posn.Line),
			cmp.Compare(x.Posn.Column, y.Posn.Column),
			cmp.Compare(x.Check, y.Check),
			cmp.Compare(x.Message, y.Message))
	})
	return fs, errs
}

// docURL is the documentation of d's check: its URL, resolved against the
// analyzer's, or the analyzer's page with the check as anchor.
func docURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	base, err := url.Parse(a.URL)
	if err != nil || a.URL == "" {
		return d.URL
	}
	if d.URL == "" {
		if d.Category == "" {
			return a.URL
		}
		return base.ResolveReference(&url.URL{Fragment: d.Category}).String()
	}
	u, err := url.Parse(d.URL)
	if err != nil {
		return d.URL
	}
	return base.ResolveReference(u).String()
}

// relPath shortens path relative to the working directory, as go vet and
// golangci-lint print it.
func relPath(wd, path string) string {
	if rel, err := filepath.Rel(wd, path); err == nil && len(rel) < len(path) {
		return rel
	}
	return path
}

func (p position) String(wd string) string {
	if p.File == "" {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d", relPath(wd, p.File), p.Line, p.Column)
}

// printText prints each finding with its related positions indented below
// it, and with context lines of source around it when context >= 0.
func printText(w io.Writer, wd string, fs []finding, context int) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	sources := make(map[string][]string) // each file read once
	for _, f := range fs {
		fmt.Fprintf(bw, "%s: %s\n", f.Posn.String(wd), f.Message)
		if context >= 0 {
			lines, ok := sources[f.Posn.File]
			if !ok {
				if data, err := os.ReadFile(f.Posn.File); err == nil {
					lines = strings.Split(string(data), "\n")
				}
				sources[f.Posn.File] = lines
			}
			printContext(bw, lines, f.Posn, f.End, context)
		}
		for _, r := range f.Related {
			fmt.Fprintf(bw, "\t%s: %s\n", r.Posn.String(wd), r.Message)
		}
	}
}

// printContext prints the lines from..to with context lines around them,
// as compilers do: the reported lines marked with ">" in the gutter, and a
// caret under the column where the finding starts.
func printContext(w io.Writer, lines []string, from, to position, context int) {
	lastReported := max(to.Line, from.Line)
	first, last := max(from.Line-context, 1), min(lastReported+context, len(lines))
	for i := first; i <= last; i++ {
		gutter := " "
		if i >= from.Line && i <= lastReported {
			gutter = ">"
		}
		fmt.Fprintf(w, "%s %d\t%s\n", gutter, i, lines[i-1])
		if i == from.Line && from.Column > 0 {
			fmt.Fprintf(w, "  \t%s^\n", caretIndent(lines[i-1], from.Column))
		}
	}
}

// caretIndent is the blank space that puts a caret under byte column col
// of line: its tabs kept, one space for each other character.
func caretIndent(line string, col int) string {
	var b strings.Builder
	for _, r := range line[:min(col-1, len(line))] {
		if r == '\t' {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// summary prints the number of findings per check and each check's
// documentation link.
func summary(w io.Writer, name string, fs []finding) {
	if len(fs) == 0 {
		return
	}
	counts := make(map[string]int)
	urls := make(map[string]string)
	var checks []string
	for _, f := range fs {
		if counts[f.Check] == 0 {
			checks = append(checks, f.Check)
		}
		counts[f.Check]++
		urls[f.Check] = cmp.Or(urls[f.Check], f.URL)
	}
	slices.Sort(checks)
	var parts []string
	for _, c := range checks {
		parts = append(parts, fmt.Sprintf("%s %d", c, counts[c]))
	}
	noun := "findings"
	if len(fs) == 1 {
		noun = "finding"
	}
	fmt.Fprintf(w, "%s: %d %s: %s\n", name, len(fs), noun, strings.Join(parts, ", "))
	width := 0
	for _, c := range checks {
		width = max(width, len(c))
	}
	for _, c := range checks {
		if urls[c] != "" {
			fmt.Fprintf(w, "  %-*s  %s\n", width, c, urls[c])
		}
	}
}

// JSON output: one object, findings sorted, errors included, so that a CI
// step can read everything from stdout.
type jsonOutput struct {
	Findings []jsonFinding  `json:"findings"`
	Errors   []string       `json:"errors"`
	Counts   map[string]int `json:"counts"`
}

type jsonFinding struct {
	Posn           string        `json:"posn"`
	End            string        `json:"end"`
	Category       string        `json:"category"`
	Message        string        `json:"message"`
	URL            string        `json:"url"`
	Related        []jsonRelated `json:"related"`
	SuggestedFixes []jsonFix     `json:"suggested_fixes"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"` // byte offsets
	End      int    `json:"end"`
	New      string `json:"new"`
}

func printJSON(w io.Writer, wd string, fs []finding, errs []string) error {
	out := jsonOutput{Findings: []jsonFinding{}, Errors: slices.Clip(append([]string{}, errs...)), Counts: map[string]int{}}
	for _, f := range fs {
		jf := jsonFinding{Posn: f.Posn.String(wd), End: f.End.String(wd), Category: f.Check, Message: f.Message, URL: f.URL,
			Related: []jsonRelated{}, SuggestedFixes: []jsonFix{}}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{r.Posn.String(wd), r.End.String(wd), r.Message})
		}
		for _, fx := range f.Fixes {
			jx := jsonFix{Message: fx.Message, Edits: []jsonEdit{}}
			for _, e := range fx.Edits {
				jx.Edits = append(jx.Edits, jsonEdit{relPath(wd, e.Start.File), e.Start.Offset, e.End.Offset, e.New})
			}
			jf.SuggestedFixes = append(jf.SuggestedFixes, jx)
		}
		out.Findings = append(out.Findings, jf)
		out.Counts[f.Check]++
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "\t")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
