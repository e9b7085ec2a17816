// Command imagetaglint finds image references lost between the build, load
// and deploy steps of Kind-based end-to-end test infrastructure.
//
// Run it on packages directly or as a vet tool:
//
//	imagetaglint ./...
//	go vet -vettool=$(which imagetaglint) ./...
//
// Exit codes, the same in every output mode: 0 no findings, 3 findings
// (with -fix: findings left unfixed), 1 packages could not be loaded or
// type-checked (findings or not), 2 bad flags or configuration.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() {
	// "-V=full" belongs to go vet's protocol and stays with singlechecker;
	// a bare -V or --version is a person asking which version this is.
	if len(os.Args) == 2 {
		switch os.Args[1] {
		case "-V", "--V", "-version", "--version":
			fmt.Println("imagetaglint", version())
			return
		}
	}
	// The analysis allocates short-lived index data on top of the type
	// checker's: collecting garbage half as often costs about a tenth more
	// memory and saves about a tenth of the time (bench/README.md). A GOGC
	// the user sets wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if vetProtocol(os.Args[1:]) {
		singlechecker.Main(vetAnalyzer())
	}
	os.Exit(lint(os.Args[1:], os.Stdout, os.Stderr))
}

// vetProtocol reports whether args are go vet's: a unit of work (a .cfg
// file), or the queries go vet makes of a vet tool (-V=full, -flags).
func vetProtocol(args []string) bool {
	for _, arg := range args {
		if arg == "-V=full" || arg == "-flags" || !strings.HasPrefix(arg, "-") && strings.HasSuffix(arg, ".cfg") {
			return true
		}
	}
	return false
}

// vetAnalyzer is the analyzer go vet runs, configured by the nearest
// configuration file; go vet passes the user's flags on top.
func vetAnalyzer() *analysis.Analyzer {
	cfg := analyzer.DefaultConfig()
	wd, err := os.Getwd()
	if err == nil {
		var path string
		if path, err = analyzer.FindConfigFile(wd); err == nil && path != "" {
			cfg, _, err = analyzer.LoadConfigFile(path)
		}
	}
	var a *analysis.Analyzer
	if err == nil {
		a, err = analyzer.NewFlagged(cfg)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "imagetaglint: %v\n", err)
		os.Exit(exitUsage)
	}
	return a
}

// version is the module version go install recorded, or the VCS revision
// of a local build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel " + rev
}
