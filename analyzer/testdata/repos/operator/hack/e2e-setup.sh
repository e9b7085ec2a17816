#!/usr/bin/env bash
# Builds the webhook image and loads it into the Kind cluster.
set -euo pipefail

HUB=${HUB:-ghcr.io/example}
WEBHOOK_IMG="${HUB}/webhook:${TAG:-dev}"

docker build -t "$WEBHOOK_IMG" -f build/webhook/Dockerfile .
kind load docker-image "$WEBHOOK_IMG" --name operator-e2e
