# imagetaglint. The README's first run and the whole suite:
#   make demo   imagetaglint on the bundled broken example (prints its findings)
#   make test   the whole test suite, installing what it needs first
# Installing from this checkout, no release needed:
#   make install         imagetaglint into $(go env GOBIN) or $(go env GOPATH)/bin
#   make golangci-lint   bin/golangci-lint: golangci-lint v2 with the plugin
GO      ?= go
BIN     := bin/imagetaglint
FUZZTIME ?= 20s
# Go minimises each input that finds new coverage for up to a minute by
# default; one still running when FUZZTIME ends fails the run with
# "context deadline exceeded" and no failing input (seen on the workflow
# reader): minimisation is bounded, and scripts/fuzz.sh retries that one
# outcome once.
FUZZMINIMIZETIME ?= 2s
FUZZ = GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZMINIMIZETIME=$(FUZZMINIMIZETIME) scripts/fuzz.sh

.PHONY: all build install golangci-lint demo test deps unit selfcheck fuzz-short integration golangci precommit lint bench smoke e2e fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/imagetaglint

install:
	$(GO) install ./cmd/imagetaglint
	@GO="$(GO)" sh scripts/report-install.sh

golangci-lint:
	bash integration/golangci/build.sh bin/golangci-lint

# Exit code 3 means findings were reported, which is what the demo shows.
demo: build
	@echo "== imagetaglint ./example/broken/... (testdata module)"
	@cd testdata && ../$(BIN) ./example/broken/...; code=$$?; \
	  if [ $$code -ne 3 ]; then echo "demo: expected findings (exit 3), got exit $$code"; exit 1; fi
	@echo "== imagetaglint ./example/fixed/... (its corrected twin)"
	@cd testdata && ../$(BIN) ./example/fixed/... && echo "no findings"

test: deps lint unit selfcheck fuzz-short integration

deps:
	@scripts/install-deps.sh

unit:
	$(GO) test -count=1 ./...

# infra/ is the corrected lifecycle: it passes its own linter with no
# finding and no note, not even on stderr (the root .imagetaglint.yaml
# adds the e2e tag its end-to-end test is built with).
selfcheck: build
	@out=$$($(BIN) ./infra/... 2>&1); code=$$?; [ -z "$$out" ] || printf '%s\n' "$$out"; \
	  if [ $$code -ne 0 ] || [ -n "$$out" ]; then echo "selfcheck: imagetaglint ./infra/... must exit 0 silently (exit $$code)"; exit 1; fi
	$(GO) vet -tags=e2e -vettool=$(abspath $(BIN)) ./infra/...

fuzz-short:
	$(FUZZ) ./analyzer FuzzAnalyzer
	$(FUZZ) ./analyzer FuzzParseConfig
	$(FUZZ) ./analyzer/internal/imageref FuzzParse
	$(FUZZ) ./analyzer/internal/manifest FuzzContainers
	$(FUZZ) ./analyzer/internal/manifest FuzzParseKustomization
	$(FUZZ) ./analyzer/internal/command FuzzParse
	$(FUZZ) ./analyzer/internal/command FuzzScript
	$(FUZZ) ./analyzer/internal/chart FuzzHasValue
	$(FUZZ) ./analyzer/internal/workflow FuzzParse
	$(FUZZ) ./analyzer/internal/dockerfile FuzzParse
	$(FUZZ) ./analyzer/internal/makefile FuzzParse

integration: golangci precommit

golangci:
	bash integration/golangci/run.sh

precommit:
	bash integration/precommit/run.sh

# The analyzer's own tests hold broken manifests on purpose: lint this
# module without test files; selfcheck covers infra's tests. bench/ and
# the official-images generator are modules of their own, so that the
# pre-commit hook's "go install ./..." installs only imagetaglint.
lint: build
	$(GO) vet ./...
	cd bench && $(GO) vet ./...
	$(GO) mod tidy -diff
	cd bench && $(GO) mod tidy -diff
	cd integration/golangci && $(GO) mod tidy -diff
	cd analyzer/internal/imageref/genofficial && $(GO) vet ./... && $(GO) mod tidy -diff
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(BIN) -test=false ./...

bench: build
	bash bench/run.sh

smoke: build
	bash integration/smoke/run.sh

# The README's picture: the bundled broken example's image flows, as
# imagetaglint -flows=dot maps them (kept in docs/flows.dot) and graphviz
# lays them out (docs/flows.svg), the flows packed in four columns rather
# than one wide row (TestReadmePicture draws with the same flags). make deps
# installs graphviz.
.PHONY: flows-svg
flows-svg: build
	cd testdata && ../$(BIN) -flows=dot ./example/broken/... >../bin/flows.dot
	mv bin/flows.dot docs/flows.dot
	dot -Tsvg -Gpack=true -Gpackmode=array_c4 -o docs/flows.svg docs/flows.dot

# The full Kind lifecycle: needs kind, podman and the right to start clusters.
e2e:
	$(GO) test -count=1 -tags e2e -v ./infra/...

# Long fuzzing, one target at a time:
#   make fuzz FUZZ=FuzzAnalyzer FUZZTIME=10m
#   make fuzz FUZZPKG=./analyzer/internal/command FUZZ=FuzzScript FUZZTIME=10m
FUZZ ?= FuzzAnalyzer
FUZZPKG ?= ./analyzer
fuzz:
	$(GO) test $(FUZZPKG) -run '^$$' -fuzz '^$(FUZZ)$$' -fuzztime $(FUZZTIME)

clean:
	rm -rf bin
