package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/imagetaglint/imagetaglint/analyzer"
)

// go vet -vettool runs the tool three ways, and shows its stderr in two:
//   - "-flags" lists the flags go vet accepts for the tool. go vet discards
//     the tool's stderr there and says only "-flags failed", so this query
//     never fails on a bad configuration file: flag names do not depend on it.
//   - "-V=full" identifies the tool for go vet's cache, once per go vet run.
//     The identity covers the executable and the configuration file found
//     from go vet's directory, so that editing the file invalidates cached
//     results; a bad file is reported here, once, on stderr, which go vet
//     shows before "error obtaining buildID".
//   - "-flag... unit.cfg" analyses one package, in its directory; go vet
//     shows the output under a "# package" header.

// vetMode is how go vet runs the tool, if it does.
type vetMode int

const (
	notVet     vetMode = iota
	vetFlags           // -flags
	vetUnit            // a unit of work: args end in a .cfg file
	vetVersion         // -V=full
)

// vetModeOf returns how args run the tool, but for -V=full, which main
// finds with the other version requests (versionRequest).
func vetModeOf(args []string) vetMode {
	for _, arg := range args {
		if arg == "-flags" || arg == "--flags" {
			return vetFlags
		}
	}
	if n := len(args); n > 0 && !strings.HasPrefix(args[n-1], "-") && strings.HasSuffix(args[n-1], ".cfg") {
		return vetUnit
	}
	return notVet
}

// vetMain answers go vet and exits.
func vetMain(mode vetMode, args []string) {
	switch mode {
	case vetVersion:
		id, err := toolID()
		if err != nil {
			fmt.Fprintf(os.Stderr, "imagetaglint: %v\n", err)
			os.Exit(exitUsage)
		}
		// cmd/go reads "<name> version devel ... buildID=<id>" and keys its
		// cache on <id>; what lies between is for people.
		fmt.Printf("imagetaglint version devel %sbuildID=%x\n", versionFields(), id)
		os.Exit(exitClean)
	case vetFlags:
		cfg, _ := configFromDir() // the flags are the same for every configuration
		singlechecker.Main(flaggedOrExit(cfg))
	case vetUnit:
		vetxOnly := isVetxOnly(args[len(args)-1])
		cfg, err := configFromDir()
		if err != nil {
			fmt.Fprintf(os.Stderr, "imagetaglint: %v\n", err)
			os.Exit(exitUsage)
		}
		quietFlagErrors(flag.CommandLine, os.Stderr, vetxOnly)
		singlechecker.Main(flaggedOrExit(cfg))
	}
	panic("unreachable: singlechecker.Main exits")
}

// configFromDir returns the configuration of the working directory: the
// nearest configuration file, or the defaults.
func configFromDir() (analyzer.Config, error) {
	path, err := configPath()
	if err != nil || path == "" {
		return analyzer.DefaultConfig(), err
	}
	cfg, _, err := analyzer.LoadConfigFile(path)
	if err != nil {
		return analyzer.DefaultConfig(), err
	}
	return cfg, nil
}

func configPath() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return analyzer.FindConfigFile(wd)
}

func flaggedOrExit(cfg analyzer.Config) *analysis.Analyzer {
	a, err := analyzer.NewFlagged(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "imagetaglint: %v\n", err)
		os.Exit(exitUsage)
	}
	return a
}

// toolID hashes the executable, as x/tools' -V=full does, and the
// configuration file that applies in the working directory, which must be
// valid.
func toolID() ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if err := hashFile(h, exe); err != nil {
		return nil, err
	}
	path, err := configPath()
	if err != nil || path == "" {
		return h.Sum(nil), err
	}
	if _, _, err := analyzer.LoadConfigFile(path); err != nil {
		return nil, err
	}
	fmt.Fprintf(h, "\x00config %s\x00", path)
	if err := hashFile(h, path); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// isVetxOnly reports whether the unit described by the file at path is a
// dependency's, run for its facts only. A file that cannot be read is left
// to unitchecker to report.
func isVetxOnly(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var cfg unitchecker.Config
	return json.Unmarshal(data, &cfg) == nil && cfg.VetxOnly
}

// quietFlagErrors makes a flag error of fs one line on stderr, worded as
// the standalone command words it, instead of the error and the whole
// help. A dependency's unit (vetxOnly) exits successfully and silently:
// go vet would print the same error once per dependency, and the units of
// the packages it was asked about report it anyway.
func quietFlagErrors(fs *flag.FlagSet, stderr io.Writer, vetxOnly bool) {
	var msg bytes.Buffer
	fs.SetOutput(&msg) // the flag package writes the error there, then calls Usage
	fs.Usage = func() {
		if vetxOnly {
			os.Exit(exitClean)
		}
		if text := strings.TrimSpace(msg.String()); text != "" {
			fmt.Fprintln(stderr, flagErrorLine(text))
		}
		os.Exit(exitUsage)
	}
}

// flagErrorLine is the one line that reports a flag error.
func flagErrorLine(err string) string {
	return "imagetaglint: " + err + " (see imagetaglint -h)"
}
