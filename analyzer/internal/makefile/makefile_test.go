package makefile

import (
	"errors"
	"fmt"
	"maps"

	"slices"
	"strings"
	"testing"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// show renders a word: Var parts as ${NAME} or ${NAME:-default}, Unknown
// parts as «text», caller slots as {N}.
func show(w command.Word) string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.IsLiteral():
			b.WriteString(p.Text)
		case p.IsSlot():
			fmt.Fprintf(&b, "{%d}", p.Slot)
		case p.IsVar() && p.Default != nil:
			b.WriteString("${" + p.Text + ":-" + show(*p.Default) + "}")
		case p.IsVar():
			b.WriteString("${" + p.Text + "}")
		default:
			b.WriteString("«" + p.Text + "»")
		}
	}
	return b.String()
}

// files is an in-memory repository for includes.
type files map[string]string

func (fs files) read(p string) (*File, error) {
	src, ok := fs[p]
	if !ok {
		return nil, errors.New("no such file")
	}
	return Parse(p, []byte(src)), nil
}

func eval(t *testing.T, src string, cfg Config) *Make {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = "/r"
	}
	return Eval(Parse("/r/Makefile", []byte(src)), cfg)
}

func problems(m *Make) []string {
	var out []string
	for _, p := range m.Problems {
		out = append(out, fmt.Sprintf("%d: %s", p.Line, p.Msg))
	}
	return out
}

func TestAssignments(t *testing.T) {
	src := `
A = a $(B)
B = b
C := c $(B) $(D)
D = d
E ?= e
E ?= ignored
F = f
F += $(B)
G := g
G += $(B)
H != git describe
I ::= i
export J = j
override K = k
L += l
M ?= m
M += $(B)
N = $(N) x
$(B)_IMAGE = computed
`
	m := eval(t, src, Config{Vars: map[string]command.Word{"K": command.Lit("cmd"), "Z": command.Dyn(0)}})
	for name, want := range map[string]string{
		"A": "a b", "C": "c b ${D}", "E": "${E:-e}", "F": "f b", "G": "g b", "H": "«$(shell git describe)»",
		"I": "i", "J": "j", "K": "k", "L": "${L} l", "M": "${M:-m} b", "N": "«$(N)» x", "Z": "{0}",
		"b_IMAGE": "computed", "UNSET": "${UNSET}", "MAKE": "make", "CURDIR": "/r",
	} {
		if got := show(m.Value(name)); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if got := problems(m); !slices.Equal(got, []string{"19: recursive variable N references itself"}) {
		t.Errorf("problems: %q", got)
	}
	if v := m.Var("E"); v.Pos.Line != 6 {
		t.Errorf("E at line %d, want 6: the ignored ?= does not move it", v.Pos.Line)
	}
}

func TestEnvironment(t *testing.T) {
	src := "IMG ?= controller:latest\nTAG = v1\nREG ?= ghcr.io/x\n"
	m := eval(t, src, Config{Env: map[string]command.Word{"IMG": command.Dyn(1), "TAG": command.Lit("env"), "REG": nil}})
	for name, want := range map[string]string{
		"IMG": "{1}", // the environment's value beats ?=
		"TAG": "v1",  // a file assignment beats the environment
		"REG": "«$(REG)»",
	} {
		if got := show(m.Value(name)); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

func TestFunctions(t *testing.T) {
	src := `
LIST = b a c a
SPACE := $(subst ,, )
define tool
$(1)/bin/$(2)
endef
IMG ?= controller:latest
`
	m := eval(t, src, Config{})
	for text, want := range map[string]string{
		"$(subst a,x,banana)":                          "bxnxnx",
		"$(patsubst %.go,%.o,a.go b.c)":                "a.o b.c",
		"$(LIST:a=z)":                                  "b z c z",
		"$(strip   a   b  )":                           "a b",
		"$(findstring an,banana)|$(findstring x,y)":    "an|",
		"$(filter a% c,ab b c)":                        "ab c",
		"$(filter-out a%,ab b)":                        "b",
		"$(sort $(LIST))":                              "a b c",
		"$(word 2,$(LIST)) $(words $(LIST))":           "a 4",
		"$(wordlist 2,3,$(LIST))":                      "a c",
		"$(firstword $(IMG) x) $(lastword a b)":        "${IMG:-controller:latest} b",
		"$(dir a/b.go c) $(notdir a/b.go)":             "a/ ./ b.go",
		"$(suffix a.go b) $(basename a/b.go)":          ".go a/b",
		"$(addprefix -t ,a b) $(addsuffix :v1,$(IMG))": "-t a -t b ${IMG:-controller:latest}:v1",
		"$(join a b,1 2 3)":                            "a1 b2 3",
		"$(if $(LIST),yes,no) $(if ,yes,no)":           "yes no",
		"$(if $(HUB),x,y)":                             "«$(if $(HUB),x,y)»",
		"$(or ,$(LIST))":                               "b a c a",
		"$(or $(HUB),ghcr.io/x)":                       "${HUB:-ghcr.io/x}",
		"$(and a,b) $(and a,)":                         "b ",
		"$(foreach i,a b,<$(i)>)":                      "<a> <b>",
		"$(call tool,/opt,kind)":                       "/opt/bin/kind",
		"$(value tool)":                                "$(1)/bin/$(2)",
		"$(origin LIST) $(origin PATH) $(flavor LIST)": "file «$(origin PATH)» recursive",
		"$(abspath ./x/../y)":                          "/r/y",
		"$(shell git rev-parse HEAD)":                  "«$(shell git rev-parse HEAD)»",
		"$(wildcard *.go)":                             "«$(wildcard *.go)»",
		"$(info hello)$$HOME ${LIST}":                  "$HOME b a c a",
		"a$(SPACE)b":                                   "a b",
	} {
		if got := show(m.Expand(text)); got != want {
			t.Errorf("%s = %s, want %s", text, got, want)
		}
	}
}

func TestParseProblems(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"ifeq (a,b)\nX = 1\n", "1: ifeq without endif"},
		{"endif\n", "1: endif without a conditional"},
		{"X = 1\nthis is not make\n", `2: missing separator in "this is not make"`},
		{"define X\nunterminated\n", "1: define X without endef"},
		{"ifdef A\nelse\nelse\nendif\n", "3: else after else"},
		{"ifeq a b\nendif\n", `1: malformed ifeq "a b"`},
		{": x\n", "1: rule without a target"},
		{"\x00\xff\xfe junk\n\tjunk\n", "1: missing separator in \"\\x00\\xff\\xfe junk\""},
	} {
		f := Parse("Makefile", []byte(tc.src))
		var got []string
		for _, p := range f.Problems {
			got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Msg))
		}
		if !slices.Contains(got, tc.want) {
			t.Errorf("Parse(%q) problems %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestConditionals(t *testing.T) {
	src := `
ifeq ($(MODE),dev)
A = dev
else ifeq ($(MODE),ci)
A = ci
else
A = other
endif
ifdef DEFINED
B = yes
endif
ifndef ignore-not-found
  ignore-not-found = false
endif
ifeq ($(shell uname),Darwin)
C = mac
else
C = linux
endif
ifneq (,$(MODE))
D = set
endif
`
	m := eval(t, src, Config{Vars: map[string]command.Word{"MODE": command.Lit("ci"), "DEFINED": command.Lit("1")}})
	for name, want := range map[string]string{
		"A": "ci", "B": "yes", "ignore-not-found": "false", "C": "«$(C)»", "D": "set",
	} {
		if got := show(m.Value(name)); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if got := m.Reason(m.Value("C")[0]); !strings.Contains(got, "ifeq ($(shell uname),Darwin)") {
		t.Errorf("reason for C: %q", got)
	}
	m = eval(t, src, Config{})
	if got := show(m.Value("A")); got != "«$(A)»" {
		t.Errorf("A with MODE from the environment = %s", got)
	}
}

func TestRules(t *testing.T) {
	src := `
.PHONY: all build
all: build

build: gen | out ; @echo one-line
	-@docker build \
		-t $(IMG) .
	+$(MAKE) -C sub push

# a comment inside the recipe
	@echo $@ $< $^ $|

build: extra

%.img: %.Dockerfile
	docker build -f $< -t $* .

app.img: IMG = local/app

kind-%: CLUSTER = $(@:kind-%=%)-cluster
kind-load:
	kind load docker-image $(IMG) --name $(CLUSTER)

define canned
echo first
echo second
endef
canned:
	$(canned)
`
	m := eval(t, src, Config{Vars: map[string]command.Word{"IMG": command.Lit("x")}})
	if m.DefaultGoal != "all" {
		t.Errorf("default goal %q", m.DefaultGoal)
	}
	for _, tc := range []struct {
		target, parent string
		want           []string
	}{
		{"build", "", []string{"pre gen extra out",
			"5: echo one-line",
			"6: docker build \\\n\t-t x .",
			"8: make -C sub push",
			"11: echo build gen gen extra out"}},
		{"app.img", "", []string{"pre app.Dockerfile", "16: docker build -f app.Dockerfile -t app ."}},
		{"kind-load", "", []string{"pre ", "22: kind load docker-image x --name load-cluster"}},
		{"canned", "", []string{"pre ", "29: echo first", "29: echo second"}},
	} {
		var parent *Resolved
		if tc.parent != "" {
			parent, _ = m.Resolve(tc.parent, nil)
		}
		rs, ok := m.Resolve(tc.target, parent)
		if !ok {
			t.Errorf("%s: no rule", tc.target)
			continue
		}
		var pre []string
		for _, p := range rs.Prereqs {
			pre = append(pre, show(p))
		}
		got := []string{"pre " + strings.Join(pre, " ")}
		for _, l := range rs.Lines {
			got = append(got, fmt.Sprintf("%d: %s", l.Pos.Line, show(l.Text)))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.target, got, tc.want)
		}
	}
	if _, ok := m.Resolve("missing", nil); ok {
		t.Error("a target no rule makes resolved")
	}
	if !m.targets["build"].Phony {
		t.Error(".PHONY not read")
	}
}

func TestTargetVariables(t *testing.T) {
	src := `
PUSH ?= --push
PLATFORMS ?= linux/amd64,linux/arm64
kind-image-build: PLATFORMS = linux/amd64
kind-image-build: export PUSH := --load
kind-image-build: image-build
image-build:
	docker buildx build --platform=$(PLATFORMS) $(PUSH) -t $(IMG) .
`
	m := eval(t, src, Config{})
	parent, _ := m.Resolve("kind-image-build", nil)
	rs, _ := m.Resolve("image-build", parent)
	if got := show(rs.Lines[0].Text); got != "docker buildx build --platform=linux/amd64 --load -t ${IMG} ." {
		t.Errorf("inherited target variables: %s", got)
	}
	if got := show(rs.Env["PUSH"]); got != "--load" {
		t.Errorf("exported target variable PUSH=%s", got)
	}
	alone, _ := m.Resolve("image-build", nil)
	if got := show(alone.Lines[0].Text); got != "docker buildx build --platform=${PLATFORMS:-linux/amd64,linux/arm64} ${PUSH:---push} -t ${IMG} ." {
		t.Errorf("without the parent: %s", got)
	}
}

func TestIncludes(t *testing.T) {
	fs := files{
		"/r/Makefile":      "include mk/images.mk\n-include missing.mk\ninclude $(shell ls *.mk)\nall: image\n",
		"/r/mk/images.mk":  "REGISTRY ?= ghcr.io/org\nIMG = $(REGISTRY)/app:$(TAG)\ninclude common.mk\nimage:\n\tdocker build -t $(IMG) .\n",
		"/r/mk/common.mk":  "TAG := dev\n",
		"/r/loop/Makefile": "include Makefile\nX = 1\n",
	}
	f, _ := fs.read("/r/Makefile")
	m := Eval(f, Config{Dir: "/r", Read: fs.read})
	rs, ok := m.Resolve("image", nil)
	if !ok || show(rs.Lines[0].Text) != "docker build -t ${REGISTRY:-ghcr.io/org}/app:dev ." {
		t.Fatalf("included rule: %v %v", ok, rs)
	}
	if rs.Lines[0].Pos.File != "/r/mk/images.mk" || rs.Lines[0].Pos.Line != 5 {
		t.Errorf("recipe position %v", rs.Lines[0].Pos)
	}
	if got := problems(m); len(got) != 1 || !strings.Contains(got[0], "include of a file named at run time") {
		t.Errorf("problems %q", got)
	}
	if !slices.Equal(m.Files, []string{"/r/Makefile", "/r/mk/images.mk", "/r/mk/common.mk"}) {
		t.Errorf("files read %q", m.Files)
	}
	f, _ = fs.read("/r/loop/Makefile")
	m = Eval(f, Config{Dir: "/r/loop", Read: fs.read})
	if got := problems(m); len(got) == 0 || !strings.Contains(got[0], "too many nested includes") {
		t.Errorf("self include: %q", got)
	}
}

func TestKubebuilder(t *testing.T) {
	m := eval(t, kubebuilderExcerpt, Config{})
	deploy, _ := m.Resolve("deploy", nil)
	var got []string
	for _, l := range deploy.Lines {
		got = append(got, show(l.Text))
	}
	want := []string{
		`cd config/manager && "${KUSTOMIZE:-${LOCALBIN:-«$(shell pwd)»/bin}/kustomize}" edit set image controller=${IMG:-controller:latest}`,
		`"${KUSTOMIZE:-${LOCALBIN:-«$(shell pwd)»/bin}/kustomize}" build config/default | "${KUBECTL:-kubectl}" apply -f -`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("deploy:\ngot  %q\nwant %q", got, want)
	}
	m = eval(t, kubebuilderExcerpt, Config{Vars: map[string]command.Word{"IMG": command.Dyn(0)}})
	build, _ := m.Resolve("docker-build", nil)
	if got := show(build.Lines[0].Text); got != "${CONTAINER_TOOL:-docker} build «$(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE))» -t {0} ." {
		t.Errorf("docker-build: %s", got)
	}
	if build.Shell != "bash" || !maps.Equal(map[string]bool{"IMG": true}, keys(build.Env)) {
		t.Errorf("shell %q, env %v", build.Shell, build.Env)
	}
}

func keys(m map[string]command.Word) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// kubebuilderExcerpt is from the Makefile kubebuilder v4.16.0 scaffolds
// (kubebuilder init --domain example.com --repo example.com/demo).
const kubebuilderExcerpt = `# Image URL to use all building/pushing image targets
IMG ?= controller:latest
CONTAINER_TOOL ?= docker
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec

.PHONY: docker-build
docker-build: ## Build docker image with the manager.
	$(CONTAINER_TOOL) build $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) -t ${IMG} .

.PHONY: deploy
deploy: manifests kustomize ## Deploy controller to the K8s cluster specified in ~/.kube/config.
	cd config/manager && "$(KUSTOMIZE)" edit set image controller=${IMG}
	"$(KUSTOMIZE)" build config/default | "$(KUBECTL)" apply -f -

LOCALBIN ?= $(shell pwd)/bin
$(LOCALBIN):
	mkdir -p "$(LOCALBIN)"
KUBECTL ?= kubectl
KUSTOMIZE ?= $(LOCALBIN)/kustomize
`
