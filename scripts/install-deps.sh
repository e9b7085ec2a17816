#!/usr/bin/env bash
# Installs what the test suite needs beyond Go: podman (infra's real image
# build), pre-commit (the hook test), jq (golangci-lint's SARIF check) and
# GNU time (the benchmark's peak memory). Debian packages through apt-get;
# nothing is installed when everything is already there.
set -euo pipefail

declare -A package_of=([podman]=podman [pre-commit]=pre-commit [jq]=jq [/usr/bin/time]=time [git]=git)
missing=()
for tool in "${!package_of[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
if ((${#missing[@]} == 0)); then
	exit 0
fi
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
