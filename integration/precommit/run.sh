#!/usr/bin/env bash
# Checks the pre-commit hook of .pre-commit-hooks.yaml end to end with the
# pre-commit on PATH, installing it from this local clone (no release, no
# network but the Go module proxy): "pre-commit try-repo <this repo> imagetaglint
# --all-files" in throwaway git repositories that hold
#   broken: the bundled broken example (testdata/go.mod, stubs, example/broken)
#           -> the hook fails with findings of every check;
#   fixed:  its fixed twin (testdata/go.mod, stubs, example/fixed) -> passes;
#   infra:  the root module with infra/ only (go.mod, go.sum, infra/) -> passes.
# Then a .pre-commit-config.yaml naming the clone and a commit, as the README
# shows: args replace ./..., .imagetaglint.yaml configures the hook, and the
# install puts only imagetaglint on the hook's PATH.
# Each try-repo installs the hook afresh ("go install ./..." of this repo with
# the system go), so it needs no network but the Go module proxy.
#
# try-repo uses HEAD of the hook repository plus its uncommitted changes to
# tracked files (untracked files are left out: in a work tree with new files
# not yet added, set PRECOMMIT_HOOK_REF=HEAD).
#
# Needs: pre-commit (Debian: apt-get install -y pre-commit), git, go on PATH.
# Env:
#   PRECOMMIT_HOOK_REPO  hook repository (default: this repository)
#   PRECOMMIT_HOOK_REF   a ref to install instead of HEAD + uncommitted changes
#   PRECOMMIT_PRISTINE=1 let each install download modules into its own GOPATH,
#                        as pre-commit does by default (minutes per install:
#                        the module paths differ, so nothing is reused from
#                        the build cache either)
#   KEEP_TMP=1           keep the temporary directory of repos and outputs
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
hook_repo=${PRECOMMIT_HOOK_REPO:-$root}
checks=(discarded-image hardcoded-image deploy-time-tag regenerated-tag retag-after-load ignored-image-param image-mismatch)

for tool in pre-commit git go; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is not on PATH" >&2; exit 2; }
done
echo "== $(pre-commit --version), $(go version)"

# pre-commit installs with GOPATH set to the hook environment, so by default
# every install fetches and compiles all modules anew. Share the usual module
# cache instead: the install still runs "go install ./..." from the hook repo.
if [[ -z ${PRECOMMIT_PRISTINE:-} ]]; then
	GOMODCACHE=$(go env GOMODCACHE)
	export GOMODCACHE
fi

ref_args=()
if [[ -n ${PRECOMMIT_HOOK_REF:-} ]]; then ref_args=(--ref "$PRECOMMIT_HOOK_REF"); fi

tmp=$(mktemp -d)
if [[ -z ${KEEP_TMP:-} ]]; then trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT; else echo "outputs kept in $tmp"; fi

passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
shown=" "
fail() {
	echo "FAIL: $1"
	failed=$((failed + 1))
	# Show each output once.
	if [[ -n ${2:-} && -f $2 && $shown != *" $2 "* ]]; then
		sed 's/^/    | /' "$2"
		shown+="$2 "
	fi
}

# mkrepo NAME SRCDIR PATH...: a new git repository $tmp/NAME holding copies of
# SRCDIR/PATH for each PATH, every file staged.
mkrepo() {
	local name=$1 src=$2
	shift 2
	local dst=$tmp/$name
	mkdir -p "$dst"
	(cd "$src" && cp -R --parents "$@" "$dst/")
	git -C "$dst" init -q
	git -C "$dst" add -A
}

# try NAME: runs the hook on every file of $tmp/NAME; output in $tmp/NAME.out.
try() {
	local name=$1 rc=0 start=$SECONDS
	(cd "$tmp/$name" && pre-commit try-repo "${ref_args[@]}" "$hook_repo" imagetaglint --all-files --color=never --verbose) \
		>"$tmp/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$tmp/$name.rc"
	echo "   [$name] pre-commit try-repo ... imagetaglint --all-files -> exit $rc in $((SECONDS - start))s"
}
rc_of() { cat "$tmp/$1.rc"; }
count() { grep -c "\[$2\]\$" "$tmp/$1.out" || true; }

mkrepo broken "$root/testdata" go.mod stubs example/broken
mkrepo fixed "$root/testdata" go.mod stubs example/fixed
mkrepo infra "$root" go.mod go.sum infra

# --- broken example: the hook fails with findings ---------------------------------
try broken
if [[ $(rc_of broken) == 1 ]] && grep -q '^imagetaglint\.*Failed$' "$tmp/broken.out" && grep -q -- '- exit code: 3$' "$tmp/broken.out"; then
	pass "broken example: hook Failed, imagetaglint exit code 3"
else
	fail "broken example: want the hook to fail with imagetaglint exit code 3 (pre-commit exit $(rc_of broken))" "$tmp/broken.out"
fi
missing=()
for c in "${checks[@]}"; do
	(($(count broken "$c") > 0)) || missing+=("$c")
done
if ((${#missing[@]} == 0)); then
	pass "broken example: findings of every check ($(grep -c '\[[a-z-]*\]$' "$tmp/broken.out") lines)"
else
	fail "broken example: no finding of ${missing[*]}" "$tmp/broken.out"
fi
if grep -q 'Installing environment' "$tmp/broken.out" && grep -q '^imagetaglint\.*\(Passed\|Failed\)$' "$tmp/broken.out" &&
	! grep -qi 'dl.google.com\|go.dev/dl\|An unexpected error' "$tmp/broken.out"; then
	pass "hook installed with the system go"
else
	fail "hook install: no 'Installing environment' line, or a Go download" "$tmp/broken.out"
fi

# --- clean code passes ------------------------------------------------------------
for name in fixed infra; do
	try "$name"
	if [[ $(rc_of "$name") == 0 ]] && grep -q '^imagetaglint\.*Passed$' "$tmp/$name.out"; then
		pass "$name: hook Passed"
	else
		fail "$name: want the hook to pass (pre-commit exit $(rc_of "$name"))" "$tmp/$name.out"
	fi
done

# --- args in the user's config replace the default ./... -------------------------
# try-repo cannot pass args, so this one is a plain "pre-commit run" with a
# config naming the hook repository at a commit (HEAD, or PRECOMMIT_HOOK_REF).
rev=$(git -C "$hook_repo" rev-parse "${PRECOMMIT_HOOK_REF:-HEAD}")
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: imagetaglint\n        args: [-disable=hardcoded-image, ./...]\n' \
	"$hook_repo" "$rev" >"$tmp/broken/.pre-commit-config.yaml"
git -C "$tmp/broken" add .pre-commit-config.yaml
rc=0
start=$SECONDS
(cd "$tmp/broken" && PRE_COMMIT_HOME=$tmp/store pre-commit run imagetaglint --all-files --color=never --verbose) >"$tmp/args.out" 2>&1 || rc=$?
echo "   [args] pre-commit run imagetaglint --all-files, args: [-disable=hardcoded-image, ./...] -> exit $rc in $((SECONDS - start))s"
if [[ $rc == 1 ]] && (($(count args hardcoded-image) == 0)) && (($(count args discarded-image) == $(count broken discarded-image))); then
	pass "args: [-disable=hardcoded-image, ./...]: no [hardcoded-image] finding, every [discarded-image] one"
else
	fail "args: [-disable=hardcoded-image, ./...]: exit $rc, $(count args hardcoded-image) [hardcoded-image] and $(count args discarded-image) [discarded-image] findings" "$tmp/args.out"
fi

# --- the install puts only imagetaglint on the hook's PATH ----------------------
bins=$(find "$tmp/store" -path '*golangenv*/bin/*' \( -type f -o -type l \) -printf '%f\n' 2>/dev/null | sort -u | tr '\n' ' ')
if [[ $bins == "imagetaglint " ]]; then
	pass "hook install: only imagetaglint on the hook's PATH"
else
	fail "hook install: the hook environment holds \"$bins\", want only imagetaglint"
fi

# --- .imagetaglint.yaml of the linted repository configures the hook ------------
# The same local clone and commit, no args; the settings come from the file.
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: imagetaglint\n' "$hook_repo" "$rev" >"$tmp/broken/.pre-commit-config.yaml"
printf 'disable: [hardcoded-image]\n' >"$tmp/broken/.imagetaglint.yaml"
git -C "$tmp/broken" add .pre-commit-config.yaml .imagetaglint.yaml
rc=0
(cd "$tmp/broken" && PRE_COMMIT_HOME=$tmp/store pre-commit run imagetaglint --all-files --color=never --verbose) >"$tmp/config.out" 2>&1 || rc=$?
echo "   [config] pre-commit run imagetaglint --all-files with .imagetaglint.yaml: disable: [hardcoded-image] -> exit $rc"
if [[ $rc == 1 ]] && (($(count config hardcoded-image) == 0)) && (($(count config discarded-image) == $(count broken discarded-image))); then
	pass ".imagetaglint.yaml: no [hardcoded-image] finding, every [discarded-image] one"
else
	fail ".imagetaglint.yaml: exit $rc, $(count config hardcoded-image) [hardcoded-image] and $(count config discarded-image) [discarded-image] findings" "$tmp/config.out"
fi

echo "precommit: $passed passed, $failed failed"
((failed == 0))
