package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// renderVars shows variables as NAME=VALUE@LINE:COL, in order.
func renderVars(vs []Var) string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s=%s@%d:%d", v.Name, v.Value, v.Pos.Line, v.Pos.Col))
	}
	return strings.Join(out, " ")
}

func renderArgs(as []Arg) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Value.String())
	}
	return strings.Join(out, ",")
}

// renderInvocation shows what a test compares of an Invocation; the
// environment is left to renderEnv.
func renderInvocation(inv Invocation) string {
	s := fmt.Sprintf("%s@%d:%d step=%d", inv.Kind, inv.Pos.Line, inv.Pos.Col, inv.Step.Index)
	if len(inv.Dir) > 0 {
		s += " dir=" + inv.Dir.String()
	}
	switch inv.Kind {
	case Make:
		s += " targets=" + renderArgs(inv.Targets)
		for _, v := range inv.Vars {
			s += " " + v.Name + "=" + v.Value.String()
		}
		if inv.Makefile != nil {
			s += " -f=" + inv.Makefile.String()
		}
	case GoTest:
		s += " pkgs=" + renderArgs(inv.Packages)
		if len(inv.Tags) > 0 {
			s += " tags=" + strings.Join(inv.Tags, ",")
		}
		if len(inv.TestArgs) > 0 {
			s += " testargs=" + renderArgs(inv.TestArgs)
		}
	case Script:
		s += " " + inv.Command.Value.String()
		if inv.Sourced {
			s += " sourced"
		}
		if len(inv.Args) > 0 {
			s += " args=" + renderArgs(inv.Args)
		}
	}
	return s
}

// renderEnv shows an environment as NAME=VALUE, sorted, without positions.
func renderEnv(vs []Var) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name+"="+v.Value.String())
	}
	return strings.Join(out, " ")
}

func parseFile(t *testing.T, name string) *Workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	wf, problems := Parse(name, data)
	if len(problems) > 0 || wf == nil {
		t.Fatalf("Parse(%s): %v", name, problems)
	}
	return wf
}

func invocations(wf *Workflow) []string {
	var out []string
	for _, inv := range wf.Invocations() {
		out = append(out, renderInvocation(inv))
	}
	return out
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

// The real workflows: positions count the "# Source:" line each file
// starts with.
func TestRealWorkflows(t *testing.T) {
	t.Run("kubebuilder scaffold test-e2e.yml", func(t *testing.T) {
		wf := parseFile(t, "kubebuilder-test-e2e.yml")
		check(t, "invocations", invocations(wf), []string{"make@39:11 step=4 targets=test-e2e"})
		inv := wf.Invocations()[0]
		check(t, "env", renderEnv(inv.Env), "")
		check(t, "job", inv.Job.ID, "test-e2e")
		check(t, "run pos", inv.Step.RunPos, Pos{38, 11})
	})
	t.Run("kubebuilder test-helm-samples.yml", func(t *testing.T) {
		wf := parseFile(t, "kubebuilder-test-helm-samples.yml")
		check(t, "invocations", invocations(wf), []string{
			"make@35:14 step=2 targets=build",
			"make@46:11 step=4 dir=testdata/project-v4-with-plugins targets=all",
			"make@51:11 step=5 dir=testdata/project-v4-with-plugins targets=build-installer",
			// A relative path is taken for a script; the caller checks the file.
			"script@52:11 step=5 dir=testdata/project-v4-with-plugins ../../bin/kubebuilder args=edit,--plugins=helm/v2-alpha,--force",
			"make@67:14 step=9 targets=install-helm",
			"make@77:11 step=11 dir=testdata/project-v4-with-plugins targets=docker-build IMG=controller:latest",
			"make@104:11 step=15 dir=testdata/project-v4-with-plugins targets=helm-deploy IMG=controller:latest HELM_EXTRA_ARGS=--set prometheus.enabled=true",
			"make@109:11 step=16 dir=testdata/project-v4-with-plugins targets=helm-status",
		})
		check(t, "IMG= position", wf.Invocations()[5].Vars[0].Pos, Pos{77, 29})
	})
	t.Run("kubebuilder test-e2e-samples.yml", func(t *testing.T) {
		wf := parseFile(t, "kubebuilder-test-e2e-samples.yml")
		check(t, "invocations", invocations(wf), []string{"make@58:11 step=6 dir=testdata/project-v4 targets=test-e2e"})
	})
	t.Run("kueue openvex.yaml: GITHUB_ENV append reaches later steps and with:", func(t *testing.T) {
		wf := parseFile(t, "kueue-openvex.yaml")
		j := wf.Jobs[0]
		check(t, "appended", renderVars(j.Steps[0].Appended), "TAG=${{ github.event.inputs.tag }}@21:11")
		check(t, "env at 0", renderEnv(j.EnvAt(0)), "")
		check(t, "env at 3", renderVars(j.EnvAt(3)), "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}@31:11 TAG=${{ github.event.inputs.tag }}@21:11")
		check(t, "with", renderVars(j.Steps[2].With),
			"product=pkg:golang/sigs.k8s.io/kueue@${{ github.event.inputs.tag }}@27:11 file=/tmp/kueue.vex.json@28:11")
	})
	t.Run("kueue sbom.yaml", func(t *testing.T) {
		wf := parseFile(t, "kueue-sbom.yaml")
		j := wf.Jobs[0]
		check(t, "appended", renderVars(j.Steps[1].Appended), "TAG=${{ github.event.inputs.tag }}@24:11")
		check(t, "invocations", invocations(wf), []string(nil))
		check(t, "env at 5", renderEnv(j.EnvAt(5)), "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }} TAG=${{ github.event.inputs.tag }}")
	})
	t.Run("kind vm.yaml: matrix include, a script through a job variable", func(t *testing.T) {
		wf := parseFile(t, "kind-vm.yaml")
		j := wf.Jobs[0]
		check(t, "matrix", j.Matrix, []Row{
			{"template", []string{"fedora"}, Pos{25, 13}},
			{"provider", []string{"docker", "podman"}, Pos{26, 13}},
			{"rootless", []string{"rootful", "rootless"}, Pos{27, 13}},
		})
		check(t, "job env", renderVars(j.Env), "KIND_EXPERIMENTAL_PROVIDER=${{ matrix.provider }}@38:7 ROOTLESS=${{ matrix.rootless }}@39:7 "+
			"HELPER=./hack/ci/lima-helper.sh@40:7 JOB_NAME=vm-${{ matrix.template }}-${{ matrix.provider }}-${{ matrix.rootless }}@41:7")
		invs := invocations(wf)
		check(t, "count", len(invs), 13)
		check(t, "first", invs[0], "script@91:11 step=7 ./hack/ci/lima-helper.sh args=sudo,systemctl,disable,--now,docker")
		check(t, "expression arg", invs[3], "script@99:11 step=8 ./hack/ci/lima-helper.sh args=${{ matrix.provider }},info")
	})
	t.Run("kind docker.yaml: matrix rows, no invocation of an installed binary", func(t *testing.T) {
		wf := parseFile(t, "kind-docker.yaml")
		j := wf.Jobs[0]
		check(t, "matrix", j.Matrix, []Row{
			{"ipFamily", []string{"ipv4", "ipv6"}, Pos{23, 9}},
			{"deployment", []string{"singleNode", "multiNode", "multiMaster"}, Pos{24, 9}},
		})
		check(t, "invocations", invocations(wf), []string(nil))
		check(t, "uses", j.Steps[1].Uses, "./.github/actions/setup-env")
	})
}

// A workflow written for these tests: every level of env:, each way of
// appending to $GITHUB_ENV, and the invocations the suites are run by.
const synthetic = `name: e2e
on: [push]
env:
  REGISTRY: ghcr.io/acme
  IMG: ghcr.io/acme/op:latest
defaults:
  run:
    shell: bash
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      IMG: ${{ env.REGISTRY }}/op:e2e
      KIND_CLUSTER: kind
    steps:
      - uses: actions/checkout@v4
      - name: tag
        run: |
          echo "TAG=$(git rev-parse --short HEAD)" >> "$GITHUB_ENV"
          echo VERSION=v0.1.0 >> $GITHUB_ENV
          printf 'CHANNEL=%s\n' "stable" >> "${GITHUB_ENV}"
          { echo "A=1"; echo "B=${{ env.REGISTRY }}"; } >> $GITHUB_ENV
          cat <<EOF >> "$GITHUB_ENV"
          HEREDOC=$KIND_CLUSTER
          NOTES<<DELIM
          line one
          line two
          DELIM
          EOF
          echo "PIPED=yes" | tee -a "$GITHUB_ENV"
          echo "NOT_ENV=1" >> "$GITHUB_OUTPUT"
      - name: build
        env:
          FOO_IMAGE_OVERRIDE: ${{ env.REGISTRY }}/foo:${{ env.TAG }}
          VERSION: step-wins
        run: make docker-build docker-push IMG=${{ env.REGISTRY }}/op:$TAG
      - name: e2e
        working-directory: test
        run: |
          export FOO_IMAGE="$REGISTRY/foo:$VERSION"
          cd e2e
          KUBECONFIG=/tmp/kc go test -tags=e2e,kind -v ./... -timeout 30m -args -img=$IMG --ginkgo.v
          make -C ../.. -f build.mk deploy
          sudo make install
          sudo -E make install
          bash -eu ../../hack/e2e.sh --cluster "$KIND_CLUSTER"
          source ../../hack/env.sh
          ./run.sh "${{ secrets.TOKEN }}"
          cd "$GITHUB_WORKSPACE" && make undeploy
      - name: pwsh is not read
        shell: pwsh
        run: make pwsh
`

func TestSynthetic(t *testing.T) {
	wf, problems := Parse("e2e.yml", []byte(synthetic))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	check(t, "workflow env", renderVars(wf.Env), "REGISTRY=ghcr.io/acme@4:3 IMG=ghcr.io/acme/op:latest@5:3")
	j := wf.Jobs[0]
	// The job's env: has no env context: ${{ env.REGISTRY }} stays.
	check(t, "job env", renderVars(j.Env), "IMG=${{ env.REGISTRY }}/op:e2e@13:7 KIND_CLUSTER=kind@14:7")
	check(t, "appended", renderVars(j.Steps[1].Appended), strings.Join([]string{
		"TAG=$(git rev-parse --short HEAD)@19:11",
		"VERSION=v0.1.0@20:11",
		"CHANNEL=stable@21:11",
		"A=1@22:13",
		"B=ghcr.io/acme@22:25",
		"HEREDOC=kind@23:11",
		"NOTES=line one\nline two@23:11",
		"PIPED=yes@30:11",
	}, " "))
	check(t, "env at tag step (nothing appended yet)", renderEnv(j.EnvAt(1)),
		"IMG=${{ env.REGISTRY }}/op:e2e KIND_CLUSTER=kind REGISTRY=ghcr.io/acme")
	// A step's env: resolves ${{ env.X }} against what earlier steps
	// appended, and overrides it.
	check(t, "build step env", renderVars(j.Steps[2].Env),
		"FOO_IMAGE_OVERRIDE=ghcr.io/acme/foo:$(git rev-parse --short HEAD)@34:11 VERSION=step-wins@35:11")
	check(t, "env at build", renderEnv(j.EnvAt(2)), "A=1 B=ghcr.io/acme CHANNEL=stable "+
		"FOO_IMAGE_OVERRIDE=ghcr.io/acme/foo:$(git rev-parse --short HEAD) HEREDOC=kind "+
		"IMG=${{ env.REGISTRY }}/op:e2e KIND_CLUSTER=kind NOTES=line one\nline two PIPED=yes REGISTRY=ghcr.io/acme "+
		"TAG=$(git rev-parse --short HEAD) VERSION=step-wins")
	check(t, "env at e2e", slices.IndexFunc(j.EnvAt(3), func(v Var) bool { return v.Name == "FOO_IMAGE_OVERRIDE" }), -1)

	check(t, "invocations", invocations(wf), []string{
		"make@36:14 step=2 targets=docker-build,docker-push IMG=ghcr.io/acme/op:$(git rev-parse --short HEAD)",
		"go test@42:30 step=3 dir=test/e2e pkgs=./... tags=e2e,kind testargs=-img=${{ env.REGISTRY }}/op:e2e,--ginkgo.v",
		"make@43:11 step=3 targets=deploy -f=build.mk",
		"make@44:16 step=3 dir=test/e2e targets=install",
		"make@45:19 step=3 dir=test/e2e targets=install",
		"script@46:11 step=3 dir=test/e2e ../../hack/e2e.sh args=--cluster,kind",
		"script@47:11 step=3 dir=test/e2e ../../hack/env.sh sourced",
		"script@48:11 step=3 dir=test/e2e ./run.sh args=${{ secrets.TOKEN }}",
		"make@49:37 step=3 targets=undeploy",
	})
	invs := wf.Invocations()
	check(t, "make env", renderEnv(invs[0].Env), renderEnv(j.EnvAt(2)))
	goTest := invs[1]
	check(t, "go test env", renderVars(pick(goTest.Env, "FOO_IMAGE", "KUBECONFIG", "VERSION")),
		"FOO_IMAGE=ghcr.io/acme/foo:v0.1.0@40:18 KUBECONFIG=/tmp/kc@42:11 VERSION=v0.1.0@20:11")
	check(t, "sudo drops the environment", renderEnv(invs[3].Env), "")
	check(t, "sudo -E keeps it", len(invs[4].Env), len(invs[2].Env))
	check(t, "script arg position", invs[5].Args[1].Pos, Pos{46, 48})
}

func pick(vs []Var, names ...string) []Var {
	var out []Var
	for _, v := range vs {
		if slices.Contains(names, v.Name) {
			out = append(out, v)
		}
	}
	return out
}

func TestRunScriptPositions(t *testing.T) {
	for _, tc := range []struct {
		name, run string
		want      Pos // of make
	}{
		{"plain", "run: make e2e", Pos{6, 14}},
		{"double-quoted", `run: "make e2e"`, Pos{6, 15}},
		{"single-quoted", `run: 'make e2e'`, Pos{6, 15}},
		{"literal block", "run: |\n          echo hi\n\n            make e2e", Pos{9, 13}},
		{"literal block with indentation indicator", "run: |2\n            echo hi\n            make e2e", Pos{8, 13}},
		{"folded block", "run: >\n          echo hi &&\n          make e2e", Pos{8, 11}},
		{"plain over two lines", "run: echo hi &&\n          make e2e", Pos{7, 11}},
		{"after an expression", "run: echo ${{ secrets.X }} && make e2e", Pos{6, 39}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - " + tc.run + "\n"
			wf, problems := Parse("x.yml", []byte(src))
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			invs := wf.Invocations()
			if len(invs) != 1 {
				t.Fatalf("invocations: %v", invocations(wf))
			}
			check(t, "make", invs[0].Pos, tc.want)
		})
	}
}

func TestScriptShapes(t *testing.T) {
	for _, tc := range []struct {
		name, run string
		want      []string // invocations and, after "env:", the env of the last one
	}{
		{"if and else disagree: unknown", "if x; then IMG=a; else IMG=b; fi; export IMG; make e2e",
			[]string{"make@1:0 step=0 targets=e2e", "env:IMG=$IMG"}},
		{"loop over literal targets", "for t in build load; do make $t; done",
			[]string{"make@1:0 step=0 targets=build", "make@1:0 step=0 targets=load"}},
		{"function called", "deploy() { make deploy IMG=$1; }\ndeploy x:1",
			[]string{"make@1:0 step=0 targets=deploy IMG=$1"}},
		{"command substitution runs", `IMG=$(make print-img)`, []string{"make@1:0 step=0 targets=print-img"}},
		{"unset variable is the runner's", "make deploy IMG=ghcr.io/x:$GITHUB_SHA",
			[]string{"make@1:0 step=0 targets=deploy IMG=ghcr.io/x:$GITHUB_SHA"}},
		{"env wrapper", "env -i IMG=x make e2e", []string{"make@1:0 step=0 targets=e2e", "env:IMG=x"}},
		{"bash -c is no script file", "bash -c 'make e2e'", nil},
		{"go build is not go test", "go build ./...", nil},
		{"an absolute binary", "/usr/local/bin/kind load docker-image x", nil},
		{"command -v looks make up", "command -v make || exit 1", nil},
		{"make options", `make -j 4 --makefile=e2e.mk "" -Cdir -k e2e`, []string{"make@1:0 step=0 dir=dir targets=,e2e -f=e2e.mk"}},
		{"a substitution written to GITHUB_ENV runs once", `echo "TAG=$(make print-tag)" >> "$GITHUB_ENV"`,
			[]string{"make@1:0 step=0 targets=print-tag"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: " + quoteYAML(tc.run) + "\n"
			wf, problems := Parse("x.yml", []byte(src))
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			var got []string
			invs := wf.Invocations()
			for _, inv := range invs {
				inv.Pos = Pos{1, 0} // positions are tested elsewhere
				got = append(got, renderInvocation(inv))
			}
			if i := slices.IndexFunc(tc.want, func(s string) bool { return strings.HasPrefix(s, "env:") }); i >= 0 {
				got = append(got, "env:"+renderEnv(invs[len(invs)-1].Env))
			}
			check(t, "invocations", got, tc.want)
		})
	}
}

// quoteYAML writes s as a double-quoted YAML string.
func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"not YAML", "jobs: [\n", "could not parse as YAML"},
		{"YAML that is no workflow", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n", `"jobs" section is missing`},
		{"empty", "", "workflow is empty"},
		{"binary junk", "\x00\x01\xff\xfe", "could not parse as YAML"},
		{"huge", "on: push\n" + strings.Repeat("#", MaxSize), "limit"},
		{"alias bomb", aliasBomb9(), "aliases expand"},
		{"huge run script", "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: " + strings.Repeat("(", maxScriptSize+1) + "\n",
			"6:14: run script: 65537 bytes"},
		{"bad run script", "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: |\n          echo ok\n          if then fi\n",
			"8:11: run script: `if` must be followed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := Parse("x.yml", []byte(tc.src))
			if !slices.ContainsFunc(problems, func(p Problem) bool { return strings.Contains(p.String(), tc.want) }) {
				t.Errorf("problems %v, want one with %q", problems, tc.want)
			}
		})
	}
}

// aliasBomb9 is a workflow whose matrix expands to 10^9 values.
func aliasBomb9() string {
	var b strings.Builder
	b.WriteString("on: push\nx0: &a0 [v, v, v, v, v, v, v, v, v, v]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [", i, i)
		for k := range 10 {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("jobs:\n  j:\n    runs-on: x\n    strategy:\n      matrix:\n        v: *a8\n    steps:\n      - run: make\n")
	return b.String()
}

func TestAppendShapes(t *testing.T) {
	for _, tc := range []struct {
		name, run, want string
	}{
		{"tee under sudo", `echo "IMG=x:1" | sudo tee -a "$GITHUB_ENV" >/dev/null`, "IMG=x:1"},
		{"piped elsewhere", `echo "IMG=x:1" | tee -a out.txt`, ""},
		{"here-string", `cat <<< "IMG=$REG/x" >> $GITHUB_ENV`, "IMG=$REG/x"},
		{"quoted heredoc keeps $", "cat <<'EOF' >> $GITHUB_ENV\nIMG=$REG/x\nEOF", "IMG=$REG/x"},
		{"printf with a verb it cannot render", `printf 'N=%d\n' 3 >> $GITHUB_ENV`, ""},
		{"echo -n", `echo -n "A=1" >> $GITHUB_ENV`, "A=1"},
		{"no name", `echo "=1" >> $GITHUB_ENV; echo "1A=2" >> $GITHUB_ENV`, ""},
		{"GITHUB_OUTPUT is not the environment", `echo "A=1" >> $GITHUB_OUTPUT`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: " + quoteYAML(tc.run) + "\n"
			wf, problems := Parse("x.yml", []byte(src))
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			check(t, "appended", renderEnv(wf.Jobs[0].Steps[0].Appended), tc.want)
		})
	}
}
