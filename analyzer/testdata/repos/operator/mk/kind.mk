# Loading into the Kind cluster the tests run on.
KIND_CLUSTER ?= operator-e2e

kind-load:
	kind load docker-image $(IMG) --name $(KIND_CLUSTER)
