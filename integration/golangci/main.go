// Command golangci-lint is golangci-lint v2 with the imagetaglint module
// plugin compiled in: the binary "golangci-lint custom" would build from
// .custom-gcl.yml, made from the Go module proxy alone (golangci-lint
// custom clones its sources with git).
//
// Its main mirrors cmd/golangci-lint of the pinned golangci-lint release; the
// blank import of gclplugin is the file "golangci-lint custom" adds.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/imagetaglint/imagetaglint/gclplugin"
)

// Set with -ldflags "-X main.version=... -X main.date=..." by run.sh.
var (
	version = ""
	commit  = "?"
	date    = "(unknown)"
)

func main() {
	info := commands.BuildInfo{Version: version, Commit: commit, Date: date, GoVersion: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
		if info.Version == "" {
			for _, dep := range bi.Deps {
				if dep.Path == "github.com/golangci/golangci-lint/v2" {
					info.Version = strings.TrimPrefix(dep.Version, "v") + "-imagetaglint"
				}
			}
		}
	}
	if err := commands.Execute(info); err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
