#!/usr/bin/env bash
# Runs imagetaglint over real code nobody here wrote and fails on a panic or
# a package that does not load. Findings are printed for review (each one is
# judged in the closing notes); only part 4 below expects given findings.
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
#      image through make and a kind helper: the target is no finding. Then
#      three copies of it, each with one bug planted (smoke/planted/*.patch, the
#      packages of testdata/scaffold/memcached-operator/test/planted): the
#      target is exactly one finding each, of the expected check, at the
#      planted line. The scaffold and its copies are linted by the command
#      and under go vet.
#
# Needs: go on PATH, bin/imagetaglint (make build). Env:
#   SMOKE_BIN          the imagetaglint binary (default bin/imagetaglint)
#   SMOKE_MODULES      modules to lint (default: sigs.k8s.io/e2e-framework and
#                      sigs.k8s.io/kind, pinned); "none" skips them
#   SMOKE_EXAMPLES     the examples' packages (default: those of
#                      sigs.k8s.io/e2e-framework v0.6.0); "none" skips them
#   SMOKE_SUITES       projects' test packages (default: sigs.k8s.io/kueue/test
#                      and sigs.k8s.io/kubebuilder/v4/test, pinned); "none"
#                      skips them
#   KUBEBUILDER        kubebuilder module version (default v4.16.0); "none"
#                      skips the scaffold
#   SMOKE_FLOWS_LINES  how much of each -flows map to print (default 80; 0:
#                      all). The map of the examples, the scaffold and each
#                      planted copy is printed with its counts.
#   SMOKE_STRICT       1 (default): a planted copy without exactly its
#                      expected finding fails the run; 0 prints the gap,
#                      expected against got, and goes on.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${SMOKE_BIN:-$root/bin/imagetaglint}
[[ -x $bin ]] || { echo "smoke: build $bin first (make build)" >&2; exit 2; }
bin=$(realpath "$bin") # go vet runs its tool from each package's directory
read -r -a modules <<<"${SMOKE_MODULES:-sigs.k8s.io/e2e-framework@v0.7.0 sigs.k8s.io/kind@v0.29.0}"
read -r -a examples <<<"${SMOKE_EXAMPLES:-sigs.k8s.io/e2e-framework/examples@v0.6.0}"
read -r -a suites <<<"${SMOKE_SUITES:-sigs.k8s.io/kueue/test@v0.17.0 sigs.k8s.io/kubebuilder/v4/test@v4.16.0}"
kubebuilder_version=${KUBEBUILDER:-v4.16.0}
strict=${SMOKE_STRICT:-1}
flows_lines=${SMOKE_FLOWS_LINES:-80}

# The planted bugs: patch name, the check expected, and where: the one
# finding must be of that check, at that file and line of the patched copy.
planted=(
	"deploytag image-mismatch test/e2e/e2e_test.go:72"
	"noimg image-mismatch test/e2e/e2e_test.go:72"
	"noload unloaded-image test/e2e/e2e_test.go:72"
)

finding_re='\[[a-z-]+\]$'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
gaps=0 # planted runs without exactly their expected finding

# lint NAME DIR ARGS... runs imagetaglint in DIR and judges the run.
lint() {
	run_driver command "$@"
}

# run_driver DRIVER NAME DIR ARGS... runs imagetaglint in DIR, as the
# command (DRIVER command) or as go vet's tool (DRIVER vet), prints its
# findings (saved in $tmp/NAME.out) and judges the run.
run_driver() {
	local driver=$1 name=$2 dir=$3
	shift 3
	local cmd=("$bin") label=imagetaglint
	if [[ $driver == vet ]]; then
		cmd=(go vet -vettool="$bin")
		label="go vet -vettool=imagetaglint"
	fi
	echo "== $label $* ($name)"
	local start=$SECONDS code=0
	(cd "$dir" && "${cmd[@]}" "$@") >"$tmp/$name.out" 2>&1 || code=$?
	echo "   exit $code in $((SECONDS - start))s"
	local findings
	findings=$(grep -cE "$finding_re" "$tmp/$name.out" || true)
	echo "== findings ($findings)"
	grep -E "$finding_re" "$tmp/$name.out" | sed "s|$(go env GOMODCACHE)/||" || true
	if grep -q -E '^panic:|goroutine [0-9]+ \[running\]' "$tmp/$name.out"; then
		echo "FAIL: imagetaglint panicked ($name)"; status=1
	fi
	local failed=false
	if [[ $driver == vet ]]; then
		# go vet exits 1 on findings and on failures alike; a failure prints
		# a package header or a vet: or go: line, and no finding.
		if ((code > 1)) || ((code == 1 && findings == 0)) || grep -q -E '^(# |vet: |go: )' "$tmp/$name.out"; then
			failed=true
		fi
	elif ((code != 0 && code != 3)); then
		failed=true
	fi
	if $failed; then
		echo "FAIL: exit code $code (load or analysis failure, $name):"
		grep -vE "$finding_re" "$tmp/$name.out" | head -40
		status=1
	fi
}

# show_flows NAME DIR ARGS... runs imagetaglint -flows in DIR (saved in
# $tmp/NAME.flows) and prints what the map holds: its flows, steps,
# findings on steps and unknowns, then the map itself (the first
# $flows_lines lines; SMOKE_FLOWS_LINES=0 prints all). A panic, a failed
# map or a load failure fails the run.
show_flows() {
	local name=$1 dir=$2
	shift 2
	echo "== imagetaglint -flows $* ($name)"
	local code=0
	(cd "$dir" && "$bin" -flows "$@") >"$tmp/$name.flows" 2>"$tmp/$name.flows.err" || code=$?
	local out=$tmp/$name.flows
	echo "   exit $code: $(grep -c '^flow ' "$out" || true) flows, $(grep -cE '^    [0-9]+\. ' "$out" || true) steps," \
		"$(grep -c '^        finding \[' "$out" || true) findings on steps, $(awk '/^  unknowns$/ { u = 1; next } /^[^ ]|^  [^ ]|^$/ { u = 0 } u && /^    [^ ]/ { n++ } END { print n + 0 }' "$out") unknowns"
	if ((code != 0)) || grep -q -E '^panic:|goroutine [0-9]+ \[running\]' "$tmp/$name.flows.err"; then
		echo "FAIL: imagetaglint -flows exited $code ($name):"
		head -20 "$tmp/$name.flows.err"
		status=1
	fi
	if ((flows_lines == 0)); then
		sed "s|$(go env GOMODCACHE)/||" "$out"
	else
		# sed stops by itself: head would leave it a broken pipe, fatal under pipefail.
		sed -n "s|$(go env GOMODCACHE)/||; 1,${flows_lines}p" "$out"
		local n
		n=$(wc -l <"$out")
		((n <= flows_lines)) || echo "   ... ($n lines; SMOKE_FLOWS_LINES=0 prints all)"
	fi
}

# expect_one NAME CHECK FILE:LINE judges NAME's saved output: exactly one
# finding, of CHECK, at FILE:LINE. A gap fails the run only when strict.
expect_one() {
	local name=$1 check=$2 at=$3 got
	got=$(grep -E "$finding_re" "$tmp/$name.out" || true)
	if [[ $(grep -c . <<<"$got") == 1 && $got =~ (^|/)"$at":[0-9]+:\ .*\["$check"\]$ ]]; then
		echo "ok: $name: one $check at $at"
		return
	fi
	local verdict="GAP (fails with SMOKE_STRICT=1)"
	gaps=$((gaps + 1))
	if [[ $strict == 1 ]]; then
		verdict=FAIL
		status=1
	fi
	echo "$verdict: $name: expected exactly one finding: $at:COL: ... [$check]"
	echo "   got $(grep -c . <<<"$got") finding(s)${got:+:}"
	[[ -z $got ]] || echo "   ${got//$'\n'/$'\n   '}"
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
	[[ $name != examples ]] || show_flows "$name" "$tmp/$name-module" "${patterns[@]}"
	cd "$root"
}

# 1. Public modules.
[[ ${modules[0]} != none ]] && lint_packages modules "${modules[@]}"

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
	# The commands and the directory name (the project's name) of
	# testdata/scaffold/memcached-operator, so that its patches apply.
	project=$tmp/memcached-operator
	mkdir "$project"
	start=$SECONDS
	(cd "$project" &&
		"$tmp/bin/kubebuilder" init --domain example.com --repo example.com/memcached-operator >"$tmp/kb.log" 2>&1 &&
		"$tmp/bin/kubebuilder" create api --group cache --version v1alpha1 --kind Memcached --resource --controller >>"$tmp/kb.log" 2>&1 &&
		go mod tidy >>"$tmp/kb.log" 2>&1 &&
		make manifests >>"$tmp/kb.log" 2>&1) ||
		{ echo "smoke: kubebuilder scaffold failed:" >&2; tail -20 "$tmp/kb.log" >&2; exit 1; }
	echo "   scaffolded in $((SECONDS - start))s"
	rm -rf "${project:?}/bin" # controller-gen, installed by make generate
	drift=$(diff -rq -x planted "$project" "$root/testdata/scaffold/memcached-operator" || true)
	[[ -z $drift ]] || echo "note: the fresh scaffold differs from testdata/scaffold/memcached-operator:
   ${drift//$'\n'/$'\n   '}"
	for driver in command vet; do
		run_driver "$driver" "kubebuilder-$driver" "$project" -tags=e2e ./...
		if grep -qE "$finding_re" "$tmp/kubebuilder-$driver.out"; then
			echo "FAIL: findings on the kubebuilder scaffold, which builds, loads and deploys one image consistently"
			status=1
		fi
	done
	show_flows kubebuilder "$project" -tags=e2e ./...

	for bug in "${planted[@]}"; do
		read -r name check at <<<"$bug"
		copy=$tmp/planted-$name
		cp -r "$project" "$copy"
		if ! patch -s -p1 -d "$copy" --no-backup-if-mismatch <"$root/integration/smoke/planted/$name.patch" >"$tmp/patch.log" 2>&1; then
			echo "FAIL: planted/$name.patch does not apply to kubebuilder $kubebuilder_version's scaffold:"
			sed 's/^/   /' "$tmp/patch.log"
			status=1
			continue
		fi
		for driver in command vet; do
			run_driver "$driver" "$name-$driver" "$copy" -tags=e2e ./...
			expect_one "$name-$driver" "$check" "$at"
		done
		show_flows "planted-$name" "$copy" -tags=e2e ./test/...
	done
fi

((gaps == 0)) || echo "$gaps planted run(s) without exactly their expected finding (SMOKE_STRICT=$strict)"
((status == 0)) && echo "PASS: no panic, every package loaded"
exit $status
