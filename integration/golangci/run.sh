#!/usr/bin/env bash
# Builds golangci-lint v2 with the imagetaglint module plugin compiled in
# (build.sh, as make golangci-lint does) and checks the plugin end to end:
#   - the broken example reports every check, the fixed example and infra/
#     are clean;
#   - a plugin setting (disable) changes what is reported, an unknown one is
#     refused;
#   - //nolint:imagetaglint suppresses a finding;
#   - a manifest file is reported at the Go call that applies it;
#   - --output.sarif.path writes SARIF with the results.
#
# Needs: go on PATH, git, jq. Env:
#   IMAGETAGLINT_GCL_CACHE  where the binary is built (default
#                           ${XDG_CACHE_HOME:-~/.cache}/imagetaglint-gcl); the
#                           first build takes minutes, later ones only relink
#                           what changed.
#   KEEP_TMP=1              keep the temporary directory of outputs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${IMAGETAGLINT_GCL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/imagetaglint-gcl}
bin=$cache/golangci-lint
cfgdir=$here/configs
checks=(discarded-image hardcoded-image deploy-time-tag regenerated-tag retag-after-load ignored-image-param image-mismatch)

for tool in go jq; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is not on PATH" >&2; exit 2; }
done

tmp=$(mktemp -d)
if [[ -z ${KEEP_TMP:-} ]]; then trap 'rm -rf "$tmp"' EXIT; else echo "outputs kept in $tmp"; fi

# A fresh analysis cache: golangci-lint's cache keys do not cover the plugin's
# code, so a cache filled by an older build could hide a change.
export GOLANGCI_LINT_CACHE=$tmp/gcl-cache

# --- build ---------------------------------------------------------------------
bash "$here/build.sh"

# --- helpers --------------------------------------------------------------------
passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() {
	echo "FAIL: $1"
	failed=$((failed + 1))
	if [[ -n ${2:-} && -f $2 ]]; then sed 's/^/    | /' "$2"; fi
}

# lint NAME DIR CONFIG ARGS... runs golangci-lint in DIR; output goes to
# $tmp/NAME.out, the exit code to $tmp/NAME.rc. Exit codes: 0 clean, 1 issues
# found, anything else an error.
lint() {
	local name=$1 dir=$2 cfg=$3
	shift 3
	local rc=0
	(cd "$dir" && "$bin" run --config="$cfg" --color=never "$@") >"$tmp/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$tmp/$name.rc"
	echo "   [$name] golangci-lint run $* (in .${dir#"$root"}) -> exit $rc, $(grep -c '(imagetaglint)$' "$tmp/$name.out" || true) findings"
}
rc_of() { cat "$tmp/$1.rc"; }
# count NAME CHECK: number of findings of CHECK in the output of NAME.
count() { grep -c "\[$2\] (imagetaglint)\$" "$tmp/$1.out" || true; }

# --- .custom-gcl.yml pins what this module builds ------------------------------
if (cd "$here" && go test -buildvcs=false -mod=mod -modfile="$cache/build.mod" -count=1 .) >"$tmp/gotest.out" 2>&1; then
	pass ".custom-gcl.yml pins this golangci-lint version and plugin import (go test)"
else
	fail ".custom-gcl.yml and integration/golangci disagree (go test)" "$tmp/gotest.out"
fi

# --- the plugin is registered ---------------------------------------------------
(cd "$root" && "$bin" linters --config="$cfgdir/default.yml" --color=never) >"$tmp/linters.out" 2>&1 || true
if grep -q '^imagetaglint' "$tmp/linters.out"; then
	pass "golangci-lint linters lists the imagetaglint plugin as enabled"
else
	fail "golangci-lint linters does not list imagetaglint" "$tmp/linters.out"
fi

# --- broken example: every check reports ----------------------------------------
lint broken "$root/testdata" "$cfgdir/default.yml" ./example/broken/...
if [[ $(rc_of broken) == 1 ]]; then
	pass "broken example: exit code 1 (issues found)"
else
	fail "broken example: exit code $(rc_of broken), want 1" "$tmp/broken.out"
fi
for c in "${checks[@]}"; do
	n=$(count broken "$c")
	if ((n > 0)); then pass "broken example: $n [$c] finding(s)"; else fail "broken example: no [$c] finding" "$tmp/broken.out"; fi
done

# --- clean code: fixed example and infra/ ---------------------------------------
lint fixed "$root/testdata" "$cfgdir/default.yml" ./example/fixed/...
if [[ $(rc_of fixed) == 0 ]] && ! grep -q '(imagetaglint)$' "$tmp/fixed.out"; then
	pass "fixed example: clean"
else
	fail "fixed example: exit code $(rc_of fixed), want 0 and no findings" "$tmp/fixed.out"
fi
lint infra "$root" "$cfgdir/default.yml" ./infra/...
if [[ $(rc_of infra) == 0 ]] && ! grep -q '(imagetaglint)$' "$tmp/infra.out"; then
	pass "infra/: clean"
else
	fail "infra/: exit code $(rc_of infra), want 0 and no findings" "$tmp/infra.out"
fi

# --- settings change behaviour --------------------------------------------------
lint disabled "$root/testdata" "$cfgdir/disable-hardcoded.yml" ./example/broken/...
n=$(count disabled hardcoded-image)
if [[ $(rc_of disabled) == 1 ]] && ((n == 0)); then
	pass "disable: [hardcoded-image]: no [hardcoded-image] finding"
else
	fail "disable: [hardcoded-image]: exit code $(rc_of disabled), $n [hardcoded-image] finding(s), want 1 and 0" "$tmp/disabled.out"
fi
others_ok=1
for c in "${checks[@]}"; do
	[[ $c == hardcoded-image ]] && continue
	if [[ $(count disabled "$c") != $(count broken "$c") ]]; then
		others_ok=0
		echo "   [$c]: $(count disabled "$c") with hardcoded-image disabled, $(count broken "$c") with defaults"
	fi
done
if ((others_ok)); then
	pass "disable: [hardcoded-image]: every other check reports as with the defaults"
else
	fail "disable: [hardcoded-image] changed the findings of other checks" "$tmp/disabled.out"
fi

lint unknown "$root/testdata" "$cfgdir/unknown-setting.yml" ./example/broken/...
if [[ $(rc_of unknown) != 0 && $(rc_of unknown) != 1 ]] && grep -q 'unknown key "disabled"' "$tmp/unknown.out"; then
	pass "unknown setting: refused with an error naming the key (exit $(rc_of unknown))"
else
	fail "unknown setting: exit code $(rc_of unknown), want an error naming \"disabled\"" "$tmp/unknown.out"
fi

# --- manifest files ---------------------------------------------------------------
# A YAML file applied by path, or read into memory, is reported at the Go
# call that applies or reads it, with the file and line in the message.
lint files "$root/testdata" "$cfgdir/default.yml" ./checks/files/...
# As many findings as the package's // want patterns (all of these two checks).
wants=$(grep -ho '// want.*' "$root"/testdata/checks/files/*.go | grep -o '`[^`]*`' | wc -l)
if grep -q 'files.go:26:9: kubectl apply deploys "localhost/kubernaut/app:latest" (testdata/app.yaml:10), not the image built and loaded ("localhost/kubernaut/app:e2e") \[image-mismatch\] (imagetaglint)$' "$tmp/files.out" &&
	grep -q 'readfile.go:41:15: os.ReadFile deploys "localhost/kubernaut/app:latest" (testdata/app.yaml:10), not the image built and loaded ("localhost/kubernaut/app:e2e") \[image-mismatch\] (imagetaglint)$' "$tmp/files.out" &&
	(( $(count files hardcoded-image) + $(count files image-mismatch) == wants )) && [[ $(rc_of files) == 1 ]]; then
	pass "a manifest file is reported at the Go call that applies it, with its file and line"
else
	fail "manifest file findings" "$tmp/files.out"
fi

# --- //nolint:imagetaglint --------------------------------------------------------
# The fixture has a discarded-image finding on line 24 and a hardcoded-image
# finding on line 31; the same findings on lines 25 and 32 carry
# //nolint:imagetaglint.
lint nolint "$here/testdata/nolint" "$cfgdir/default.yml" ./...
got=$(grep -o '^nolint.go:[0-9]*:[0-9]*: .*\[[a-z-]*\] (imagetaglint)$' "$tmp/nolint.out" |
	sed -E 's/^nolint.go:([0-9]+):.*\[([a-z-]+)\].*/\1 \2/' | sort -n | tr '\n' ';' || true)
if [[ $(rc_of nolint) == 1 && $got == "24 discarded-image;31 hardcoded-image;" ]]; then
	pass "//nolint:imagetaglint suppresses its line only (reported: $got)"
else
	fail "//nolint:imagetaglint: exit code $(rc_of nolint), reported \"$got\", want \"24 discarded-image;31 hardcoded-image;\"" "$tmp/nolint.out"
fi

# --- SARIF ------------------------------------------------------------------------
sarif=$tmp/broken.sarif
lint sarif "$root/testdata" "$cfgdir/default.yml" ./example/broken/... --output.sarif.path="$sarif" --output.text.path=stdout
if [[ -s $sarif ]] && jq -e . "$sarif" >/dev/null 2>&1; then
	results=$(jq '[.runs[].results[]] | length' "$sarif")
	rules=$(jq -r '[.runs[].results[].ruleId] | unique | join(",")' "$sarif")
	missing=()
	for c in "${checks[@]}"; do
		jq -e --arg c "[$c]" 'any(.runs[].results[]; .message.text | endswith($c))' "$sarif" >/dev/null || missing+=("$c")
	done
	if ((results > 0)) && [[ $rules == imagetaglint && ${#missing[@]} == 0 && $(rc_of sarif) == 1 ]] &&
		[[ $results == $(grep -c '(imagetaglint)$' "$tmp/sarif.out") ]]; then
		pass "--output.sarif.path: $results results of rule $rules covering every check, as many as the text output"
	else
		fail "--output.sarif.path: $results results, rules \"$rules\", checks missing: ${missing[*]:-none}, exit $(rc_of sarif)" "$tmp/sarif.out"
	fi
else
	fail "--output.sarif.path: no valid SARIF file written" "$tmp/sarif.out"
fi

echo "golangci: $passed passed, $failed failed"
((failed == 0))
