package analyzer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// loadTestdata loads packages of the testdata module (or of dir) with
// their dependencies from source, as analysistest does.
func loadTestdata(t *testing.T, dir string, patterns ...string) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("testdata does not load")
	}
	return pkgs
}

// found is a reported finding, comparable across runs.
type found struct{ check, pos, message string }

func (f found) String() string { return f.pos + ": " + f.message }

// analyze runs a on pkgs and returns the findings of the roots, sorted.
func analyze(t *testing.T, a *analysis.Analyzer, pkgs []*packages.Package) []found {
	t.Helper()
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []found
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatal(act.Err)
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, found{d.Category, fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column), d.Message})
		}
	}
	slices.SortFunc(out, func(a, b found) int { return strings.Compare(a.String(), b.String()) })
	return out
}

func newAnalyzerFor(t *testing.T, edit func(*Config)) *analysis.Analyzer {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func onlyChecks(fs []found, keep func(string) bool) []found {
	var out []found
	for _, f := range fs {
		if keep(f.check) {
			out = append(out, f)
		}
	}
	return out
}

// TestChecksIndependent runs every check alone and all of them together
// in shuffled orders: the findings are the same, less what precedence
// drops, and precedence drops a finding only in favour of one that is
// reported.
func TestChecksIndependent(t *testing.T) {
	pkgs := loadTestdata(t, testdataDir(t), "./example/...", "./checks/...", "./negatives/...")
	var dropped []string
	defer func(h func(dropped, by finding)) { precedenceHook = h }(precedenceHook)
	precedenceHook = func(d, by finding) {
		dropped = append(dropped, d.check+"@"+fmt.Sprint(d.pos))
		if by.check == d.check || checkNamed(by.check).rank <= checkNamed(d.check).rank {
			t.Errorf("%s finding dropped in favour of %s, which does not outrank it", d.check, by.check)
		}
	}
	all := analyze(t, newAnalyzerFor(t, nil), pkgs)
	droppedOf := make(map[string]int)
	for _, d := range dropped {
		check, _, _ := strings.Cut(d, "@")
		droppedOf[check]++
	}
	saved := slices.Clone(registry)
	defer func() { registry = saved }()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3 {
		r.Shuffle(len(registry), func(i, j int) { registry[i], registry[j] = registry[j], registry[i] })
		if got := analyze(t, newAnalyzerFor(t, nil), pkgs); !slices.Equal(got, all) {
			t.Errorf("shuffle %d: findings differ from the registry order:\n%s", i, diff(all, got))
		}
	}
	registry = slices.Clone(saved)
	for _, c := range registry {
		alone := analyze(t, newAnalyzerFor(t, func(cfg *Config) {
			for _, other := range Checks {
				if other != c.name {
					cfg.Disable = append(cfg.Disable, other)
				}
			}
		}), pkgs)
		alone = onlyChecks(alone, func(name string) bool { return name == c.name })
		together := onlyChecks(all, func(name string) bool { return name == c.name })
		for _, f := range together {
			if !slices.Contains(alone, f) {
				t.Errorf("%s reports %s only beside other checks", c.name, f)
			}
		}
		if extra := len(alone) - len(together); extra != droppedOf[c.name] {
			t.Errorf("%s: %d findings alone, %d together, of which precedence dropped %d", c.name, len(alone), len(together), droppedOf[c.name])
		}
	}
	if len(dropped) == 0 {
		t.Error("precedence dropped nothing on the testdata: the test cannot see it work")
	}
}

func diff(want, got []found) string {
	var b strings.Builder
	for _, f := range want {
		if !slices.Contains(got, f) {
			fmt.Fprintf(&b, "- %s\n", f)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			fmt.Fprintf(&b, "+ %s\n", f)
		}
	}
	return b.String()
}

func testdataDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSuppressionMatchesDisable checks, for every check X reporting on the
// bundled example, that suppressing each of X's findings with a directive
// and disabling X leave the same findings of the other checks.
func TestSuppressionMatchesDisable(t *testing.T) {
	src := copyExample(t, t.TempDir())
	base := analyze(t, newAnalyzerFor(t, nil), loadTestdata(t, src, "./example/broken/..."))
	checked := 0
	for _, c := range registry {
		var mine []found
		for _, f := range base {
			if f.check == c.name {
				mine = append(mine, f)
			}
		}
		if len(mine) == 0 {
			continue
		}
		checked++
		t.Run(c.name, func(t *testing.T) {
			disabled := analyze(t, newAnalyzerFor(t, func(cfg *Config) { cfg.Disable = []string{c.name} }), loadTestdata(t, src, "./example/broken/..."))
			dir := copyExample(t, t.TempDir())
			suppressAll(t, dir, c.name, mine)
			suppressed := analyze(t, newAnalyzerFor(t, nil), loadTestdata(t, dir, "./example/broken/..."))
			for _, f := range suppressed {
				if f.check == c.name || f.check == checkDirective {
					t.Errorf("left after suppression: %s [%s]", f, f.check)
				}
			}
			if got, want := normalised(suppressed, c.name), normalised(disabled, c.name); !slices.Equal(got, want) {
				t.Errorf("suppressing and disabling %s leave different findings:\nsuppressed: %q\ndisabled:   %q", c.name, got, want)
			}
		})
	}
	if checked < 5 {
		t.Errorf("only %d checks report on the example", checked)
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// normalised returns the findings of checks other than skip as file, check
// and message without numbers: directives move lines.
func normalised(fs []found, skip string) []string {
	var out []string
	for _, f := range fs {
		if f.check == skip || f.check == checkDirective {
			continue
		}
		file, _, _ := strings.Cut(f.pos, ":")
		msg := digits.ReplaceAllString(f.message, "#")
		out = append(out, file+" "+msg)
	}
	slices.Sort(out)
	return out
}

// copyExample copies the testdata module's go.mod, stubs, kit and the
// broken example into dir.
func copyExample(t *testing.T, dir string) string {
	t.Helper()
	root := testdataDir(t)
	for _, rel := range []string{"go.mod", "stubs", "kit", "example/broken"} {
		if err := os.CopyFS(filepath.Join(dir, rel), os.DirFS(filepath.Join(root, rel))); err != nil {
			// go.mod is a file: CopyFS copies directories.
			data, rerr := os.ReadFile(filepath.Join(root, rel))
			if rerr != nil {
				t.Fatal(err)
			}
			if werr := os.WriteFile(filepath.Join(dir, rel), data, 0o644); werr != nil {
				t.Fatal(werr)
			}
		}
	}
	return dir
}

// suppressAll adds "//imagetaglint:ignore check reason" for each finding:
// on a line of its own above the finding's line, or above the string
// literal a finding inside a multi-line string sits in.
func suppressAll(t *testing.T, dir, check string, fs []found) {
	t.Helper()
	lines := make(map[string][]int) // file -> lines to suppress
	for _, f := range fs {
		parts := strings.Split(f.pos, ":")
		var line int
		fmt.Sscan(parts[1], &line)
		lines[parts[0]] = append(lines[parts[0]], line)
	}
	for file, ls := range lines {
		path := filepath.Join(dir, "example", "broken", "infrastructure", file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := strings.Split(string(data), "\n")
		at := make(map[int]bool)
		for _, l := range ls {
			at[stringStart(src, l)] = true
		}
		var out []string
		for i, line := range src {
			if at[i+1] {
				out = append(out, "//imagetaglint:ignore "+check+" testing that suppression equals disabling")
			}
			out = append(out, line)
		}
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// stringStart returns the line where the raw string holding line l starts,
// or l when l is outside raw strings.
func stringStart(src []string, l int) int {
	open, start := false, 0
	for i := 0; i < l-1; i++ {
		if strings.Count(src[i], "`")%2 == 1 {
			open = !open
			if open {
				start = i + 1
			}
		}
	}
	if open {
		return start
	}
	return l
}
