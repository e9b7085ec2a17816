// Command imagetaglint finds image references lost between the build, load
// and deploy steps of Kind-based end-to-end test infrastructure.
//
// Run it on packages directly or as a vet tool:
//
//	imagetaglint ./...
//	go vet -vettool=$(which imagetaglint) ./...
package main

import (
	"github.com/imagetaglint/imagetaglint/analyzer"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
