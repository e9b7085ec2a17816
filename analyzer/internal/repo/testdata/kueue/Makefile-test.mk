# An excerpt of sigs.k8s.io/kueue v0.17.0's Makefile-test.mk (module cache).
E2E_TARGET ?= ./test/e2e/...
E2E_K8S_VERSIONS ?= 1.33.7 1.34.3 1.35.0
E2E_K8S_VERSION ?= 1.35
E2E_K8S_FULL_VERSION ?= $(filter $(E2E_K8S_VERSION).%,$(E2E_K8S_VERSIONS))
# Default to E2E_K8S_VERSION.0 if no match is found
E2E_K8S_FULL_VERSION := $(or $(E2E_K8S_FULL_VERSION),$(E2E_K8S_VERSION).0)
E2E_KIND_VERSION ?= kindest/node:v$(E2E_K8S_FULL_VERSION)
E2E_RUN_ONLY_ENV ?= false
E2E_USE_HELM ?= false
E2E_MODE ?= ci
E2E_SKIP_REINSTALL ?= false
##   Run only certs tests: GINKGO_ARGS="--label-filter=feature:certs" make test-e2e
##   Run only jobset and trainjob tests: GINKGO_ARGS="--label-filter=feature:jobset,feature:trainjob" make test-e2e
test-e2e: E2E_NPROCS := 2
.PHONY: test-e2e
test-e2e: setup-e2e-env kueuectl kind-ray-project-mini-image-build run-test-e2e-singlecluster-$(E2E_KIND_VERSION:kindest/node:v%=%)

run-test-e2e-singlecluster-%: K8S_VERSION = $(@:run-test-e2e-singlecluster-%=%)
run-test-e2e-singlecluster-%:
	@echo Running e2e for k8s ${K8S_VERSION}
	E2E_KIND_VERSION="kindest/node:v$(K8S_VERSION)" KIND_CLUSTER_NAME=$(KIND_CLUSTER_NAME) \
		ARTIFACTS="$(ARTIFACTS)/$@" IMAGE_TAG=$(IMAGE_TAG) GINKGO_ARGS="$(GINKGO_ARGS)" \
		E2E_MODE=$(E2E_MODE) \
		E2E_SKIP_REINSTALL=$(E2E_SKIP_REINSTALL) \
		E2E_ENFORCE_OPERATOR_UPDATE=$(E2E_ENFORCE_OPERATOR_UPDATE) \
		APPWRAPPER_VERSION=$(APPWRAPPER_VERSION) \
		JOBSET_VERSION=$(JOBSET_VERSION) \
		KUBEFLOW_VERSION=$(KUBEFLOW_VERSION) \
		KUBEFLOW_TRAINER_VERSION=$(KUBEFLOW_TRAINER_VERSION) \
		LEADERWORKERSET_VERSION=$(LEADERWORKERSET_VERSION) \
		KUBERAY_VERSION=$(KUBERAY_VERSION) RAY_VERSION=$(RAY_VERSION) RAYMINI_VERSION=$(RAYMINI_VERSION) USE_RAY_FOR_TESTS=$(USE_RAY_FOR_TESTS) \
		PROMETHEUS_OPERATOR_VERSION=$(PROMETHEUS_OPERATOR_VERSION) \
		KIND_CLUSTER_FILE="kind-cluster.yaml" E2E_TARGET_FOLDER="singlecluster" \
		TEST_LOG_LEVEL=$(TEST_LOG_LEVEL) \
		E2E_RUN_ONLY_ENV=$(E2E_RUN_ONLY_ENV) \
		E2E_USE_HELM=$(E2E_USE_HELM) \
		./hack/testing/e2e-test.sh
