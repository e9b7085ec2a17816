#!/usr/bin/env bash
# Runs imagetaglint over real code nobody here wrote and fails on a panic or
# a package that does not load. Findings are printed for review (each one is
# judged in the closing notes); they do not fail the run.
#
#   1. Public modules fetched through the Go module proxy, with their tests.
#   2. e2e-framework's examples: 31 suites written the way its users write
#      them. They shipped inside the module up to v0.6.0; since v0.7.0 they
#      are a module of their own, which the proxy does not serve.
#   3. Real projects' own suites: kueue's e2e and integration tests (images
#      built in shell scripts, typed objects deployed) and kubebuilder's e2e
#      tests (make docker-build IMG=, a kind load helper on a test context,
#      make deploy IMG=): no finding expected.
#   4. A project freshly scaffolded by the real kubebuilder, whose e2e suite
#      sits behind //go:build e2e and builds, loads and deploys its manager
#      image through make and a kind helper: the target is no finding.
#
# Needs: go on PATH, bin/imagetaglint (make build). Env:
#   SMOKE_MODULES      modules to lint (default: sigs.k8s.io/e2e-framework and
#                      sigs.k8s.io/kind, pinned)
#   SMOKE_EXAMPLES     the examples' packages (default: those of
#                      sigs.k8s.io/e2e-framework v0.6.0); "none" skips them
#   SMOKE_SUITES       projects' test packages (default: sigs.k8s.io/kueue/test
#                      and sigs.k8s.io/kubebuilder/v4/test, pinned); "none"
#                      skips them
#   KUBEBUILDER        kubebuilder module version (default v4.16.0); "none"
#                      skips the scaffold
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$root/bin/imagetaglint
[[ -x $bin ]] || { echo "smoke: build $bin first (make build)" >&2; exit 2; }
read -r -a modules <<<"${SMOKE_MODULES:-sigs.k8s.io/e2e-framework@v0.7.0 sigs.k8s.io/kind@v0.29.0}"
read -r -a examples <<<"${SMOKE_EXAMPLES:-sigs.k8s.io/e2e-framework/examples@v0.6.0}"
read -r -a suites <<<"${SMOKE_SUITES:-sigs.k8s.io/kueue/test@v0.17.0 sigs.k8s.io/kubebuilder/v4/test@v4.16.0}"
kubebuilder_version=${KUBEBUILDER:-v4.16.0}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# lint NAME DIR ARGS... runs imagetaglint in DIR and judges the run.
lint() {
	local name=$1 dir=$2
	shift 2
	echo "== imagetaglint $* ($name)"
	local start=$SECONDS code=0
	(cd "$dir" && "$bin" "$@") >"$tmp/$name.out" 2>&1 || code=$?
	echo "   exit $code in $((SECONDS - start))s"
	local findings
	findings=$(grep -cE '\[[a-z-]+\]$' "$tmp/$name.out" || true)
	echo "== findings ($findings)"
	grep -E '\[[a-z-]+\]$' "$tmp/$name.out" | sed "s|$(go env GOMODCACHE)/||" || true
	if grep -q -E '^panic:|goroutine [0-9]+ \[running\]' "$tmp/$name.out"; then
		echo "FAIL: imagetaglint panicked ($name)"; status=1
	fi
	if ((code != 0 && code != 3)); then
		echo "FAIL: exit code $code (load or analysis failure, $name):"
		grep -vE '\[[a-z-]+\]$' "$tmp/$name.out" | head -40
		status=1
	fi
}

# lint_packages NAME PATH@VERSION... lints the packages under each PATH, at
# VERSION, with their tests, in a module of their own: two versions of one
# module cannot share one.
lint_packages() {
	local name=$1
	shift
	mkdir "$tmp/$name-module"
	cd "$tmp/$name-module"
	go mod init "smoke-$name" >/dev/null 2>&1
	local patterns=() m
	for m in "$@"; do
		# -t: the dependencies of the packages' tests too, since tests are linted.
		if ! go get -t "${m%@*}/...@${m#*@}" >"$tmp/get.log" 2>&1; then
			echo "smoke: go get $m failed:" >&2; cat "$tmp/get.log" >&2; exit 1
		fi
		patterns+=("${m%@*}/...")
	done
	local npkgs
	npkgs=$(go list "${patterns[@]}" 2>/dev/null | wc -l) || true
	lint "$name" "$tmp/$name-module" "${patterns[@]}"
	echo "   ($npkgs packages, with tests)"
	cd "$root"
}

# 1. Public modules.
lint_packages modules "${modules[@]}"

# 2. e2e-framework's examples.
[[ ${examples[0]} != none ]] && lint_packages examples "${examples[@]}"

# 3. An operator's suites.
# Each in a module of its own: their dependencies do not resolve together.
if [[ ${suites[0]} != none ]]; then
	for suite in "${suites[@]}"; do
		name=${suite%@*}
		lint_packages "${name//\//_}" "$suite"
	done
fi

# 4. A fresh kubebuilder scaffold.
if [[ $kubebuilder_version != none ]]; then
	echo "== kubebuilder $kubebuilder_version init"
	GOBIN=$tmp/bin go install "sigs.k8s.io/kubebuilder/v4@$kubebuilder_version" >"$tmp/kb.log" 2>&1 ||
		{ echo "smoke: go install kubebuilder failed:" >&2; cat "$tmp/kb.log" >&2; exit 1; }
	mkdir "$tmp/project"
	(cd "$tmp/project" &&
		"$tmp/bin/kubebuilder" init --domain example.com --repo example.com/project >"$tmp/kb.log" 2>&1 &&
		"$tmp/bin/kubebuilder" create api --group batch --version v1 --kind CronJob --resource --controller >>"$tmp/kb.log" 2>&1 &&
		go mod tidy >>"$tmp/kb.log" 2>&1) ||
		{ echo "smoke: kubebuilder scaffold failed:" >&2; tail -20 "$tmp/kb.log" >&2; exit 1; }
	lint kubebuilder "$tmp/project" -tags=e2e ./...
	if grep -qE '\[[a-z-]+\]$' "$tmp/kubebuilder.out"; then
		echo "FAIL: findings on the kubebuilder scaffold, which builds, loads and deploys one image consistently"
		status=1
	fi
fi

((status == 0)) && echo "PASS: no panic, every package loaded"
exit $status
