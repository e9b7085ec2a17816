#!/usr/bin/env bash
# Builds the e2e images and loads them into the Kind cluster.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HUB=${HUB:-ghcr.io/x}
TAG=${1:-dev}
export KIND_CLUSTER_NAME=${KIND_CLUSTER_NAME:-e2e}
IMAGES="operator webhook"

build_image() {
  docker build -t "$HUB/$1:$TAG" -f "build/$1/Dockerfile" .
}

for image in $IMAGES; do
  build_image "$image"
  load_image "$HUB/$image:$TAG"
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -C "$ROOT" deploy IMG="$HUB/operator:$TAG"
