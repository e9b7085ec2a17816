package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"github.com/imagetaglint/imagetaglint/flowmap"
)

// Exit codes, the same in every output mode.
const (
	exitClean    = 0 // no findings (with -fix: none left)
	exitErrors   = 1 // packages could not be loaded or type-checked, findings or not
	exitUsage    = 2 // bad flags, flag values or configuration file
	exitFindings = 3 // findings reported (with -fix: findings left unfixed)
)

// options are the command line of the standalone driver.
type options struct {
	cfg            analyzer.Config
	set            []string // the settings the file or the flags set
	configFile     string
	patterns       []string
	tags           string // o.cfg.Tags, as go list takes them
	tests          bool
	format         string // "text", "json" or "sarif"
	jsonOut, sarif bool   // the flags that set format
	context        int
	fix, diff      bool
	progress       bool   // -progress: report progress even when stderr is not a terminal
	progressGiven  bool   // -progress or -progress=false was given
	flows          string // -flows: the format of the image-flow map, "" for none
	explain        string // -explain: the function to explain
	explainGiven   bool
}

// parseArgs reads the configuration file and the flags; flags override the
// file, and flags may follow the package patterns. A -h returns
// flag.ErrHelp after printing the usage on stderr; a flag error returns a
// flagError.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{tests: true, context: -1}
	path, explicit := configFlag(args)
	if !explicit {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if path, err = analyzer.FindConfigFile(wd); err != nil {
			return nil, err
		}
	}
	o.cfg = analyzer.DefaultConfig()
	if path != "" {
		cfg, set, err := analyzer.LoadConfigFile(path)
		if err != nil {
			return nil, err
		}
		o.cfg, o.set, o.configFile = cfg, set, path
	}

	fs := newFlagSet(o)
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stderr, fs)
				return nil, err
			}
			return nil, flagError{err}
		}
		consumed := len(rest) - len(fs.Args())
		rest = fs.Args()
		if consumed > 0 && args[len(args)-len(rest)-1] == "--" {
			o.patterns = append(o.patterns, rest...)
			break
		}
		i := slices.IndexFunc(rest, func(a string) bool { return len(a) > 1 && a[0] == '-' })
		if i < 0 {
			o.patterns = append(o.patterns, rest...)
			break
		}
		o.patterns = append(o.patterns, rest[:i]...)
		rest = rest[i:]
	}
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(analyzer.SettingKeys(), f.Name) && !slices.Contains(o.set, f.Name) {
			o.set = append(o.set, f.Name)
		}
		if f.Name == "progress" {
			o.progressGiven = true
		}
		if f.Name == "explain" {
			o.explainGiven = true
		}
	})
	switch {
	case o.jsonOut && o.sarif:
		return nil, errors.New("-json and -sarif exclude each other")
	case o.jsonOut:
		o.format = "json"
	case o.sarif:
		o.format = "sarif"
	default:
		o.format = "text"
	}
	if o.diff && !o.fix {
		return nil, errors.New("-diff needs -fix")
	}
	if o.diff && o.format != "text" {
		return nil, errors.New("-diff prints a patch; it excludes -json and -sarif")
	}
	switch {
	case o.explainGiven && o.explain == "":
		return nil, errNoExplain
	case (o.flows != "" || o.explain != "") && (o.fix || o.format != "text"):
		return nil, errors.New("-flows and -explain print no findings; they exclude -fix, -json and -sarif")
	case o.flows != "" && o.explain != "":
		return nil, errors.New("-flows and -explain exclude each other")
	}
	if len(o.patterns) == 0 {
		o.patterns = []string{"."}
	}
	o.tags = strings.Join(o.cfg.Tags, ",")
	return o, nil
}

// newFlagSet returns the command's flags, which set o; the settings'
// default to o.cfg. It prints nothing: errors are the caller's to report.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("imagetaglint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	o.cfg.RegisterFlags(fs)
	fs.String("config", "", "configuration file (default: the nearest "+analyzer.ConfigFileName+" in the working directory or above)")
	fs.BoolVar(&o.tests, "test", true, "also analyse test files")
	fs.BoolVar(&o.jsonOut, "json", false, "print findings and errors as JSON on stdout")
	fs.BoolVar(&o.sarif, "sarif", false, "print findings and errors as SARIF 2.1.0 on stdout")
	fs.IntVar(&o.context, "c", -1, "print the offending source with this many lines of context, the reported lines marked with >")
	fs.BoolVar(&o.fix, "fix", false, "apply the suggested fixes")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.Var(flowsFlag{&o.flows}, "flows", "print the image-flow map instead of the findings: text (alone), mermaid, dot or json\n(exit code 0 unless packages fail to load)")
	fs.StringVar(&o.explain, "explain", "", "print what the function `FUNC` (pkg.Func, Func or Type.Method) does with images, and what its callers pass")
	fs.BoolVar(&o.progress, "progress", false, "report progress on stderr from the start, even when it is not a terminal\n(default: after a few seconds on a terminal; -progress=false: never)")
	fs.Var(versionFlag{}, "V", "print the version and exit; -V=full prints it as go vet expects")
	return fs
}

// versionFlag is -V: main answers it before the flags are parsed
// (versionRequest), so that a bad configuration file cannot stand in the
// way; here it is listed and its values are checked.
type versionFlag struct{}

func (versionFlag) IsBoolFlag() bool { return true }
func (versionFlag) String() string   { return "" }
func (versionFlag) Set(s string) error {
	switch s {
	case "true", "false", "full":
		return nil
	}
	return errors.New("use -V, or -V=full for go vet's format")
}

// flagError is an error of the command line's flags.
type flagError struct{ error }

func (e flagError) Unwrap() error { return e.error }

// configFlag finds -config in args before the flags are parsed: the file
// supplies the defaults the other flags override.
func configFlag(args []string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasValue {
			return value, true
		}
		if i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `imagetaglint finds image references lost between build, load and deploy
in Kind-based E2E setup code.

Usage:
	imagetaglint [flags] [packages]           (default package: .)
	go vet -vettool=$(which imagetaglint) [flags] [packages]
	imagetaglint help [check...]              (a check's documentation)

Settings come from %s (the nearest in the working directory or above,
or -config), then from flags, which may also follow the packages.

Exit codes: 0 no findings, 3 findings (with -fix: findings left), 1 packages
could not be loaded or type-checked, 2 bad flags or configuration.

Flags:
`, analyzer.ConfigFileName)
	fs.SetOutput(w)
	defer fs.SetOutput(io.Discard)
	fs.PrintDefaults()
}

// lint runs the standalone command and returns its exit code.
func lint(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitClean
	case errors.As(err, new(flagError)):
		fmt.Fprintln(stderr, flagErrorLine(err.Error()))
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
		return exitUsage
	}
	c, err := analyzer.Compile(o.cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	a := c.Analyzer()
	if o.flows != "" || o.explain != "" || o.format == "sarif" {
		a = c.Describer() // SARIF carries the findings' paths
	}
	return run(a, o, c, c.Usage(), stdout, stderr)
}

// run loads, analyses and reports. It skips the packages that cannot
// matter by skip's trigger; skip nil analyses every user package. usage
// nil skips the check of configured names.
func run(a *analysis.Analyzer, o *options, skip *analyzer.Compiled, usage *analyzer.Usage, stdout, stderr io.Writer) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
		return exitErrors
	}
	prog := newProgress(stderr, o)
	lc := loadConfig{patterns: o.patterns, tests: o.tests, tags: o.tags, skip: skip, progress: prog}
	res, err := load(lc)
	if err != nil {
		prog.finish()
		fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
		return exitErrors
	}
	errs := packageErrors(wd, res.failed)
	var findings []finding
	var descs []*analyzer.Description
	if len(res.roots) > 0 {
		prog.setStage(fmt.Sprintf("analysing %d packages", len(res.roots)), 0)
		graph, err := checker.Analyze([]*analysis.Analyzer{a}, res.roots, nil)
		if err != nil {
			prog.finish()
			fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
			return exitErrors
		}
		var aerrs []buildError
		findings, aerrs = collect(graph, a)
		errs = append(errs, aerrs...)
		descs = descriptions(graph, a)
		sortErrors(errs)
	}

	prog.finish()
	printErrors(stderr, wd, errs)
	if skip != nil {
		noteExcluded(stderr, "imagetaglint", wd, excludedFiles(o.patterns, res.listed, o.tags, o.tests, skip.Trigger()))
	}
	if usage != nil {
		for _, p := range res.source {
			usage.Add(p.TypesInfo)
		}
		for _, e := range usage.Unmatched() {
			if slices.Contains(o.set, e.Key) {
				fmt.Fprintf(stderr, "imagetaglint: warning: %s entry %q matches no function of the analysed packages\n", e.Key, e.Value)
			}
		}
	}

	if o.flows != "" || o.explain != "" {
		if o.flows != "" {
			err = flowmap.Render(stdout, o.flows, flowMap(descs, wd))
		} else if err = explain(stdout, descs, o.explain, wd); errors.Is(err, errNotFound) {
			fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
			return exitUsage
		}
		if err != nil {
			fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
			return exitErrors
		}
		if len(errs) > 0 {
			return exitErrors
		}
		return exitClean
	}
	if o.fix {
		left, err := applyFixes(stdout, wd, findings, o.diff)
		if err != nil {
			fmt.Fprintf(stderr, "imagetaglint: -fix: %v\n", err)
			return exitErrors
		}
		if !o.diff {
			findings = left
		}
	}
	switch o.format {
	case "json":
		err = printJSON(stdout, wd, findings, errorStrings(wd, errs))
	case "sarif":
		err = printSARIF(stdout, wd, a.Name, version(), analyzer.DocURL, rules(), findings, errorStrings(wd, errs), findingPaths(descs))
	default:
		if !o.diff {
			printText(stdout, wd, findings, o.context)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "imagetaglint: %v\n", err)
		return exitErrors
	}
	summary(stderr, a.Name, findings)
	switch {
	case len(errs) > 0:
		return exitErrors
	case len(findings) > 0:
		return exitFindings
	}
	return exitClean
}

// rules returns a SARIF rule for each check, described by its
// documentation (analyzer/doc).
func rules() []ruleInfo {
	var rs []ruleInfo
	for _, c := range analyzer.Checks {
		rs = append(rs, ruleInfo{
			id: c, url: analyzer.DocURL + "#" + c,
			description: analyzer.CheckSummary(c), full: analyzer.CheckDescription(c), help: analyzer.CheckHelp(c),
		})
	}
	return rs
}
