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
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

func main() {
	args := os.Args[1:]
	if full, ok := versionRequest(args); ok {
		if full {
			vetMain(vetVersion, args)
		}
		fmt.Println("imagetaglint", version())
		return
	}
	if len(args) > 0 && args[0] == "help" {
		os.Exit(help(os.Stdout, os.Stderr, args[1:]))
	}
	// The analysis allocates short-lived index data on top of the type
	// checker's: collecting garbage half as often costs about a tenth more
	// memory and saves about a tenth of the time (bench/README.md). A GOGC
	// the user sets wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if mode := vetModeOf(args); mode != notVet {
		vetMain(mode, args)
	}
	os.Exit(lint(args, os.Stdout, os.Stderr))
}

// versionRequest reports whether args ask for the version, and whether in
// go vet's format (-V=full). It runs before the configuration file is
// read, which must not stand in the way.
func versionRequest(args []string) (full, ok bool) {
	for _, arg := range args {
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		if name != "V" && name != "version" {
			continue
		}
		switch value {
		case "", "true":
			ok = true
		case "full":
			return true, true
		}
	}
	return false, ok
}

// help prints the usage, or the documentation of the checks args name: go
// vet points its users to "imagetaglint help".
func help(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		usage(stdout, newFlagSet(&options{cfg: analyzer.DefaultConfig()}))
		return exitClean
	}
	code := exitClean
	for _, name := range args {
		doc := analyzer.CheckHelp(name)
		if doc == "" {
			fmt.Fprintf(stderr, "imagetaglint: unknown check %q (checks: %s)\n", name, strings.Join(analyzer.Checks, ", "))
			code = exitUsage
			continue
		}
		fmt.Fprintf(stdout, "%s\n\n%s\n\n%s#%s\n", name, strings.TrimSpace(doc), analyzer.DocURL, name)
	}
	return code
}

// version is the module version go install recorded, or the VCS revision
// of a local build.
func version() string {
	v, rev := buildVersion()
	switch {
	case v != "":
		return v
	case rev != "":
		return "devel " + rev
	}
	return "devel"
}

// versionFields is what -V=full says of the version between "devel" and
// the build ID, each field followed by a space: the module version, and the
// revision unless the version (a pseudo-version) holds it already.
func versionFields() string {
	v, rev := buildVersion()
	var s string
	if v != "" {
		s += v + " "
	}
	if rev != "" && !strings.Contains(v, strings.TrimSuffix(rev, "-dirty")) {
		s += rev + " "
	}
	return s
}

// buildVersion returns the module version go install recorded and the VCS
// revision of a local build (12 digits, "-dirty" when modified), each ""
// when unknown.
func buildVersion() (v, rev string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	if info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty && rev != "" {
		rev += "-dirty"
	}
	return v, rev
}
