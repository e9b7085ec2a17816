#!/usr/bin/env bash
# Benchmarks imagetaglint against a no-op analyzer (bench/noop, in the bench module) on generated
# E2E infrastructure modules. Usage: bench/run.sh [scale...]   (default: 1 4 16)
# Then the repository-scale cases: a module of REPO_PACKAGES packages, most
# without image code, some importing the E2E helpers; and an operator
# repository of OPERATOR_PACKAGES packages, most of them controllers that
# import k8s.io/api/core/v1 and build pod specs without any image flow.
#
# Environment:
#   RUNS=3                        measured runs per tool and scale
#   REPO_PACKAGES=250             packages of the repository-scale module (0: skip it)
#   REPO_RUNS=5                   measured runs per tool at repository scale
#   OPERATOR_PACKAGES=273         packages of the operator repository (0: skip it)
#   OPERATOR_RUNS=5               measured runs per tool on the operator repository
#   LINTER_PKG=./cmd/imagetaglint package measured against the baseline
#   BENCH_STRICT=1                exit 1 when a target is missed
#   BENCH_GOCACHE=DIR             build cache for the measured runs
#                                 (default: a fresh one in the temporary directory)
#   KEEP=1                        keep the temporary directory
set -euo pipefail

readonly WALL_TARGET=1.25 MEM_TARGET=1.5
readonly REPO_WALL_TARGET=1.10 REPO_MEM_TARGET=1.15
readonly OPERATOR_WALL_TARGET=0.90 OPERATOR_MEM_TARGET=1.00
RUNS=${RUNS:-3}
LINTER_PKG=${LINTER_PKG:-./cmd/imagetaglint}
scales=("$@")
[[ ${#scales[@]} -gt 0 ]] || scales=(1 4 16)

if [[ ! -x /usr/bin/time ]]; then
	echo "run.sh: /usr/bin/time not found; install GNU time (Debian/Ubuntu: apt-get install time)" >&2
	exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
[[ ${KEEP:-} == 1 ]] && echo "keeping $tmp" >&2 || trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "building $LINTER_PKG, bench/noop and bench/gen" >&2
go build -o "$tmp/linter" "$LINTER_PKG"
(cd bench && go build -o "$tmp/noop" ./noop && go build -o "$tmp/gen" ./gen)
# The generated modules need no network and must not see a go.work. A
# private build cache keeps concurrent "go clean -cache" runs from turning
# warm runs cold.
export GOWORK=off GOPROXY=off GOCACHE=${BENCH_GOCACHE:-$tmp/gocache}

# measure TOOL MOD appends "wall_seconds peak_kib" to $tmp/TOOL.samples.
# Exit 3 means imagetaglint reported findings, which the input is built to have.
measure() {
	local tool=$1 mod=$2 rc=0
	(cd "$mod" && /usr/bin/time -o "$tmp/time.out" -f '%e %M' "$tmp/$tool" ./... >/dev/null 2>"$tmp/stderr") || rc=$?
	if [[ $rc -ne 0 && $rc -ne 3 ]]; then
		echo "run.sh: $tool failed on $mod with exit status $rc:" >&2
		tail -n 20 "$tmp/stderr" >&2
		exit 1
	fi
	# GNU time prefixes a "Command exited with non-zero status" line.
	tail -n 1 "$tmp/time.out" >>"$tmp/$tool.samples"
}

# median FILE COLUMN
median() {
	sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR [FORMAT] evaluates a floating-point awk expression.
# The parentheses stop awk from reading ">" as output redirection.
calc() { awk -v f="${2:-%.2f}" "BEGIN { printf f, ($1) }"; }

# compare MOD RUNS: one warm-up run of each tool, then RUNS runs in
# alternating order; sets nw lw (median wall seconds) and nm lm (median
# peak KiB) of the no-op and the linter.
compare() {
	local mod=$1 runs=$2 i
	rm -f "$tmp"/*.samples
	# Warm-up: fills the build cache with the module's export data.
	measure noop "$mod"
	measure linter "$mod"
	rm -f "$tmp"/*.samples
	for ((i = 0; i < runs; i++)); do
		if ((i % 2 == 0)); then
			measure noop "$mod"
			measure linter "$mod"
		else
			measure linter "$mod"
			measure noop "$mod"
		fi
	done
	nw=$(median "$tmp/noop.samples" 1) lw=$(median "$tmp/linter.samples" 1)
	nm=$(median "$tmp/noop.samples" 2) lm=$(median "$tmp/linter.samples" 2)
}

results=() linearity=() prev_lines=0 prev_wall=0
fail=0
printf '%5s %8s %7s %7s %6s %8s %8s %6s %8s\n' \
	scale lines noop_s lint_s wall_x noop_MiB lint_MiB mem_x lines/s
for scale in "${scales[@]}"; do
	mod=$tmp/mod$scale
	"$tmp/gen" -scale "$scale" -out "$mod" 2>/dev/null
	lines=$(find "$mod" -path "$mod/stubs" -prune -o -name '*.go' -print0 | xargs -0 cat | wc -l)
	compare "$mod" "$RUNS"
	wr=$(calc "$lw / ($nw > 0 ? $nw : 0.01)") mr=$(calc "$lm / $nm")
	missed=$(calc "$lw > $WALL_TARGET * $nw || $lm > $MEM_TARGET * $nm" %d)
	printf '%5s %8d %7.2f %7.2f %6.2f %8.1f %8.1f %6.2f %8d\n' \
		"$scale" "$lines" "$nw" "$lw" "$wr" "$(calc "$nm / 1024")" "$(calc "$lm / 1024")" "$mr" \
		"$(calc "$lines / ($lw > 0 ? $lw : 0.01)" %d)"
	verdict=PASS
	if ((missed)); then verdict=FAIL fail=1; fi
	results+=("scale $scale: wall ${wr}x (target <= $WALL_TARGET), memory ${mr}x (target <= $MEM_TARGET): $verdict")
	entry="${scale}x=$(calc "$lw * 1e6 / $lines" %.1f)ms"
	# The marginal cost since the previous scale excludes fixed start-up
	# cost, which dominates small scales.
	if ((prev_lines)); then
		entry+=" (marginal $(calc "($lw - $prev_wall) * 1e6 / ($lines - $prev_lines)" %.1f)ms)"
	fi
	linearity+=("$entry")
	prev_lines=$lines prev_wall=$lw
done

echo
echo "linearity, linter wall per 1k lines: ${linearity[*]}"

# --- repository scale -------------------------------------------------------------
# Standalone imagetaglint type-checks only packages that may matter; the no-op
# type-checks every package. Medians of RUNS runs.

# repo_case NAME GEN_FLAG PACKAGES RUNS WALL_TARGET MEM_TARGET
repo_case() {
	local name=$1 flag=$2 packages=$3 runs=$4 wall_target=$5 mem_target=$6 mod lines wr mr verdict
	mod=$tmp/${name// /-}
	"$tmp/gen" "$flag" "$packages" -out "$mod" 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
	lines=$(find "$mod" -path "$mod/stubs" -prune -o -name '*.go' -print0 | xargs -0 cat | wc -l)
	compare "$mod" "$runs"
	wr=$(calc "$lw / ($nw > 0 ? $nw : 0.01)") mr=$(calc "$lm / $nm")
	echo "$name: $packages packages, $lines lines: noop $(calc "$nw")s $(calc "$nm / 1024" %.1f)MiB, imagetaglint $(calc "$lw")s $(calc "$lm / 1024" %.1f)MiB"
	verdict=PASS
	if (($(calc "$lw > $wall_target * $nw || $lm > $mem_target * $nm" %d))); then verdict=FAIL fail=1; fi
	results+=("$name: wall ${wr}x (target <= $wall_target), memory ${mr}x (target <= $mem_target): $verdict")
}

repo_packages=${REPO_PACKAGES:-250}
if ((repo_packages > 0)); then
	repo_case "repository scale" -repo "$repo_packages" "${REPO_RUNS:-5}" "$REPO_WALL_TARGET" "$REPO_MEM_TARGET"
fi
# The operator repository requires the real k8s.io/api from the module
# cache (bench/gen runs "go get" with GOPROXY=off).
operator_packages=${OPERATOR_PACKAGES:-273}
if ((operator_packages > 0)); then
	repo_case "operator repository" -operator "$operator_packages" "${OPERATOR_RUNS:-5}" "$OPERATOR_WALL_TARGET" "$OPERATOR_MEM_TARGET"
fi

printf '%s\n' "${results[@]}"
if ((fail)); then echo "RESULT: FAIL"; else echo "RESULT: PASS"; fi
echo "total time: ${SECONDS}s"
if ((fail)) && [[ ${BENCH_STRICT:-} == 1 ]]; then exit 1; fi
exit 0
