# The images' names: the registry and tag may come from the environment.
REGISTRY ?= ghcr.io/example
TAG ?= latest
IMG ?= $(REGISTRY)/app:$(TAG)
CONTAINER_TOOL ?= docker
