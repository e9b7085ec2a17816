#!/usr/bin/env bash
# Builds the webhook image under the run's tag, then loads :latest, which
# this build never made (kind load finds a stale image, or none).
set -euo pipefail

HUB=${HUB:-ghcr.io/example}
docker build -t "${HUB}/webhook:${TAG:-dev}" .
kind load docker-image "${HUB}/webhook:latest" --name operator-e2e
