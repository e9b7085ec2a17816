#!/bin/sh
# After "go install ./cmd/imagetaglint" (make install): says where the
# binary went and, when that directory is not on PATH, the line to add to
# the shell's profile; warns when another imagetaglint comes first on PATH.
# GO names the go command (default: go).
set -eu
go=${GO:-go}

dir=$("$go" env GOBIN)
if [ -z "$dir" ]; then
	gopath=$("$go" env GOPATH)
	dir=${gopath%%:*}/bin # go install uses the first GOPATH entry
fi
exe=$dir/imagetaglint$("$go" env GOEXE)
if [ ! -x "$exe" ]; then
	echo "make install: $exe is missing; did go install fail?" >&2
	exit 1
fi
echo "make install: installed $exe"

case ":$PATH:" in
*":$dir:"* | *":$dir/:"*)
	found=$(command -v imagetaglint || true)
	if [ "$found" != "$exe" ]; then
		echo "make install: warning: \"imagetaglint\" runs $found, which comes before $dir on PATH"
	fi
	;;
*)
	echo "make install: $dir is not on PATH; to run imagetaglint by name, add this line to your shell's profile (~/.profile, ~/.bashrc or ~/.zshrc) and open a new shell:"
	echo "	export PATH=\"\$PATH:$dir\""
	;;
esac
