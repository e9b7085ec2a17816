#!/usr/bin/env bash
# Builds golangci-lint v2 with the imagetaglint module plugin compiled in: the
# binary "golangci-lint custom" makes from .custom-gcl.yml, but from the Go
# module proxy alone (golangci-lint custom clones its sources with git).
# Usage: integration/golangci/build.sh [OUT]   (make golangci-lint: bin/golangci-lint)
#
# The binary is built in IMAGETAGLINT_GCL_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/imagetaglint-gcl), then copied to OUT if given.
# The first build takes minutes; later ones only relink what changed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${IMAGETAGLINT_GCL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/imagetaglint-gcl}
bin=$cache/golangci-lint

command -v go >/dev/null || { echo "build.sh: go is not on PATH" >&2; exit 2; }

# Build from copies of go.mod/go.sum with -mod=mod, so that a root go.mod that
# moved on (the plugin's module is replaced by ../..) cannot break the build,
# and the committed files are never rewritten.
mkdir -p "$cache"
cp "$here/go.mod" "$cache/build.mod"
cp "$here/go.sum" "$cache/build.sum"
echo "== building $bin" >&2
start=$SECONDS
(cd "$here" && go build -buildvcs=false -mod=mod -modfile="$cache/build.mod" -o "$bin" .)
echo "   built in $((SECONDS - start))s: $("$bin" version 2>&1)" >&2
if ! cmp -s "$here/go.mod" "$cache/build.mod" || ! cmp -s "$here/go.sum" "$cache/build.sum"; then
	echo "   note: integration/golangci/go.mod or go.sum is stale against the root go.mod;" >&2
	echo "         refresh it with: (cd integration/golangci && go mod tidy)" >&2
fi
if [[ -n ${1:-} ]]; then
	mkdir -p "$(dirname "$1")"
	cp "$bin" "$1"
	echo "   installed $1" >&2
fi
