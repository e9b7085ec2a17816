#!/usr/bin/env bash
# Runs one fuzz target for FUZZTIME: scripts/fuzz.sh PKG TARGET.
# Go's fuzzer can end a run with only "context deadline exceeded" when its
# time runs out while a worker is busy (seen on the workflow reader): no
# input failed, none is saved. That one outcome is retried once; any other
# failure, and any failure that saved an input, stands.
set -uo pipefail
pkg=$1 target=$2
corpus=$pkg/testdata/fuzz/$target
run() {
	${GO:-go} test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "${FUZZTIME:-20s}" -fuzzminimizetime "${FUZZMINIMIZETIME:-2s}" 2>&1 | tee "$log"
	return "${PIPESTATUS[0]}"
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
before=$(ls "$corpus" 2>/dev/null | wc -l)
run && exit 0
after=$(ls "$corpus" 2>/dev/null | wc -l)
if [[ $after == "$before" ]] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
	echo "fuzz.sh: $target ended on the fuzzer's own deadline with no failing input; running it once more" >&2
	run
	exit
fi
exit 1
