package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/parser"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

// TestSpans runs every check on the checks' testdata (and on a repository
// whose Makefile and scripts the flows follow) and holds each
// finding and related location, in JSON and in SARIF, to the span of what
// it names: not empty, and either a whole Go expression or, inside a
// string or a manifest file, the image value the message quotes as it is
// written there. A start plus the length of the image string, or a zero
// length, fails.
func TestSpans(t *testing.T) {
	seen := make(map[string]int)
	for _, tc := range []struct {
		dir      string // from this package's directory
		patterns []string
		tags     string
	}{
		{"../../testdata", []string{"./checks/...", "./example/broken/..."}, ""},
		// Steps followed into a Makefile and scripts.
		{"../../analyzer/testdata/repos/operator", []string{"./..."}, "e2e"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			t.Chdir(filepath.Join(cmdDir, tc.dir))
			checkSpans(t, tc.patterns, tc.tags, seen)
		})
	}
	for _, c := range analyzer.Checks {
		if seen[c] == 0 {
			t.Errorf("no finding of %s: its spans go untested", c)
		}
	}
}

func checkSpans(t *testing.T, patterns []string, tags string, seen map[string]int) {
	var stdout, stderr bytes.Buffer
	code := run(analyzer.Analyzer, &options{patterns: patterns, tags: tags, tests: true, format: "json", context: -1}, nil, nil, &stdout, &stderr)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	var out jsonOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Findings {
		seen[f.Category]++
		if f.Category == "ignore-directive" {
			continue // a comment, not an expression
		}
		checkSpan(t, f.Posn, f.End, f.Message)
		for _, r := range f.Related {
			checkSpan(t, r.Posn, r.End, f.Message+" "+r.Message)
		}
	}

	// SARIF regions are the same spans.
	stdout.Reset()
	run(analyzer.Analyzer, &options{patterns: patterns, tags: tags, tests: true, format: "sarif", context: -1}, nil, nil, &stdout, &stderr)
	var log sarifLog
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	results := log.Runs[0].Results
	if len(results) != len(out.Findings) {
		t.Fatalf("%d SARIF results, %d JSON findings", len(results), len(out.Findings))
	}
	for i, r := range results {
		f := out.Findings[i]
		if got, want := regionString(r.Locations[0].PhysicalLocation), f.Posn+"-"+lineCol(f.End); got != want {
			t.Errorf("SARIF region %s, JSON span %s (%s)", got, want, f.Message)
		}
		if len(r.RelatedLocations) != len(f.Related) {
			t.Errorf("%d SARIF related locations, %d in JSON (%s)", len(r.RelatedLocations), len(f.Related), f.Message)
			continue
		}
		for j, rl := range r.RelatedLocations {
			if got, want := regionString(rl.PhysicalLocation), f.Related[j].Posn+"-"+lineCol(f.Related[j].End); got != want {
				t.Errorf("SARIF related region %s, JSON span %s (%s)", got, want, f.Related[j].Message)
			}
		}
	}
}

// regionString renders a SARIF location as JSON's file:line:col-line:col.
func regionString(p sarifPhysical) string {
	r := p.Region
	return fmt.Sprintf("%s:%d:%d-%d:%d", p.ArtifactLocation.URI, r.StartLine, r.StartColumn, r.EndLine, r.EndColumn)
}

// lineCol is the line:col of a file:line:col position.
func lineCol(posn string) string {
	parts := strings.Split(posn, ":")
	if len(parts) < 3 {
		return posn
	}
	return strings.Join(parts[len(parts)-2:], ":")
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// checkSpan holds the source between posn and end to what message names.
func checkSpan(t *testing.T, posn, end, message string) {
	t.Helper()
	file, from, err := offsetOf(posn)
	if err != nil {
		t.Errorf("%s: %v (%s)", posn, err, message)
		return
	}
	endFile, to, err := offsetOf(end)
	if err != nil || endFile != file {
		t.Errorf("%s: end %s is not in the same file (%v) (%s)", posn, end, err, message)
		return
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if to <= from || to > len(src) {
		t.Errorf("%s: empty or past the file: ends at %s (%s)", posn, end, message)
		return
	}
	text := string(src[from:to])
	if strings.HasSuffix(file, ".go") {
		if _, err := parser.ParseExpr(text); err == nil {
			return
		}
	}
	// A value inside a string or a file: one the message quotes, as YAML
	// writes it.
	for _, q := range quoted.FindAllString(message, -1) {
		s, err := strconv.Unquote(q)
		if err != nil {
			continue
		}
		if text == s || text == strconv.Quote(s) || text == "'"+s+"'" {
			return
		}
	}
	// In a workflow: the entry "KEY: value" of a key the message names.
	if ext := filepath.Ext(file); (ext == ".yaml" || ext == ".yml") && !strings.Contains(text, "\n") {
		if key, _, ok := strings.Cut(text, ":"); ok && key != "" && key == strings.TrimSpace(key) && strings.Contains(message, key) {
			return
		}
	}
	// In a Makefile or a script: a line, or a variable's value, trimmed.
	if ext := filepath.Ext(file); ext != ".go" && ext != ".yaml" && ext != ".yml" &&
		!strings.Contains(text, "\n") && text == strings.TrimSpace(text) {
		return
	}
	t.Errorf("%s-%s spans %q, neither an expression nor a value the message quotes (%s)", posn, lineCol(end), text, message)
}

// offsetOf turns file:line:col into the file and a byte offset.
func offsetOf(posn string) (string, int, error) {
	i := strings.LastIndexByte(posn, ':')
	j := strings.LastIndexByte(posn[:max(i, 0)], ':')
	if i < 0 || j < 0 {
		return "", 0, fmt.Errorf("not file:line:col")
	}
	line, err1 := strconv.Atoi(posn[j+1 : i])
	col, err2 := strconv.Atoi(posn[i+1:])
	if err1 != nil || err2 != nil || line < 1 || col < 1 {
		return "", 0, fmt.Errorf("not file:line:col")
	}
	file := posn[:j]
	src, err := os.ReadFile(file)
	if err != nil {
		return "", 0, err
	}
	off := 0
	for l := 1; l < line; l++ {
		k := bytes.IndexByte(src[off:], '\n')
		if k < 0 {
			return "", 0, fmt.Errorf("line %d past the end", line)
		}
		off += k + 1
	}
	return file, off + col - 1, nil
}
