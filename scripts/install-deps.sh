#!/usr/bin/env bash
# Installs what the test suite needs beyond Go: podman (infra's real image
# build), pre-commit (the hook test), jq (golangci-lint's SARIF check), GNU
# time (the benchmark's peak memory), graphviz (dot lays out the flow maps)
# and Node.js with npm, for Mermaid, which parses the Mermaid flow maps
# (integration/flows). Debian packages through apt-get, then the npm
# packages of integration/flows' package-lock.json with npm ci; nothing is
# installed when everything is already there.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

declare -A package_of=([podman]=podman [pre-commit]=pre-commit [jq]=jq [/usr/bin/time]=time [git]=git [dot]=graphviz [node]=nodejs [npm]=npm)
missing=()
for tool in "${!package_of[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
if ((${#missing[@]} > 0)); then
	echo "install-deps: installing ${missing[*]}"
	if ! command -v apt-get >/dev/null; then
		echo "install-deps: apt-get not found; install ${missing[*]} with your package manager" >&2
		exit 1
	fi
	sudo=""
	if ((EUID != 0)); then
		sudo=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm writes node_modules/.package-lock.json on each install: older than
# package-lock.json means the lock changed since.
flows=$root/integration/flows
if [[ ! $flows/node_modules/.package-lock.json -nt $flows/package-lock.json ]]; then
	echo "install-deps: npm ci in integration/flows"
	(cd "$flows" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
