// Command imagetaglint finds image references lost between the build, load
// and deploy steps of Kind-based end-to-end test infrastructure.
//
// Run it on packages directly or as a vet tool:
//
//	imagetaglint ./...
//	go vet -vettool=$(which imagetaglint) ./...
//
// Exit codes: 0 no findings, 3 findings, 1 the packages could not be
// loaded, 2 bad flags or flag values.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/imagetaglint/imagetaglint/analyzer"
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
	if delegated(os.Args[1:]) {
		singlechecker.Main(analyzer.Analyzer)
	}
	os.Exit(lint(analyzer.Analyzer, os.Args[1:], os.Stderr))
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
