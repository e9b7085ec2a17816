#!/usr/bin/env bash
# Runs imagetaglint over large public modules fetched through the Go module
# proxy, with their tests, and fails on a panic or a package that does not
# load. The findings are printed for review; they do not fail the run.
#
# Needs: go on PATH, bin/imagetaglint (make build). Env:
#   SMOKE_MODULES  modules to lint (default: sigs.k8s.io/e2e-framework and
#                  sigs.k8s.io/kind, pinned)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/bin/imagetaglint
[[ -x $bin ]] || { echo "smoke: build $bin first (make build)" >&2; exit 2; }
read -r -a modules <<<"${SMOKE_MODULES:-sigs.k8s.io/e2e-framework@v0.6.0 sigs.k8s.io/kind@v0.29.0}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
go mod init smoke >/dev/null 2>&1
patterns=()
for m in "${modules[@]}"; do
	mod=${m%@*}
	# -t: the dependencies of the packages' tests too, since tests are linted.
	if ! go get -t "$mod/...@${m#*@}" >"$tmp/get.log" 2>&1; then
		echo "smoke: go get $m failed:" >&2; cat "$tmp/get.log" >&2; exit 1
	fi
	patterns+=("$mod/...")
done

npkgs=$(go list "${patterns[@]}" 2>/dev/null | wc -l)
echo "== imagetaglint over ${modules[*]} ($npkgs packages, with tests)"
start=$SECONDS
set +e
"$bin" "${patterns[@]}" >"$tmp/out" 2>&1
code=$?
set -e
elapsed=$((SECONDS - start))
echo "   exit $code in ${elapsed}s"

findings=$(grep -cE '\[[a-z-]+\]$' "$tmp/out" || true)
echo "== findings ($findings)"
grep -E '\[[a-z-]+\]$' "$tmp/out" | sed "s|$(go env GOMODCACHE)/||" || true

status=0
if grep -q -E '^panic:|goroutine [0-9]+ \[running\]' "$tmp/out"; then
	echo "FAIL: imagetaglint panicked"; status=1
fi
if ((code != 0 && code != 3)); then
	echo "FAIL: exit code $code (load or analysis failure):"
	grep -vE '\[[a-z-]+\]$' "$tmp/out" | head -40
	status=1
fi
((status == 0)) && echo "PASS: no panic, every package loaded ($npkgs packages)"
exit $status
