package command

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// words builds an argv from test notation: {N} in a word is slot N, {?} an
// Unknown part.
func words(ws ...string) []Word {
	out := make([]Word, len(ws))
	for i, w := range ws {
		out[i] = word(w)
	}
	return out
}

var slotRE = regexp.MustCompile(`\{(\d+|\?)\}`)

func word(s string) Word {
	w := Word{}
	for {
		loc := slotRE.FindStringSubmatchIndex(s)
		if loc == nil {
			break
		}
		w = append(w, Part{Text: s[:loc[0]], Slot: Literal})
		if s[loc[2]:loc[3]] == "?" {
			w = append(w, Part{Text: "?", Slot: Unknown})
		} else {
			n, _ := strconv.Atoi(s[loc[2]:loc[3]])
			w = append(w, Part{Slot: n})
		}
		s = s[loc[1]:]
	}
	return normal(append(w, Part{Text: s, Slot: Literal}))
}

// show renders a word in test notation; Unknown parts as «source»,
// variables as $NAME or ${NAME:-default}.
func show(w Word) string {
	if w == nil {
		return "nil"
	}
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.Slot >= 0:
			fmt.Fprintf(&b, "{%d}", p.Slot)
		case p.IsUnknown():
			b.WriteString("«" + p.Text + "»")
		case p.IsVar() && p.Default != nil:
			b.WriteString("${" + p.Text + ":-" + show(*p.Default) + "}")
		case p.IsVar():
			b.WriteString("$" + p.Text)
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func showAll(ws []Word) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = show(w)
	}
	return strings.Join(s, " ")
}

func showMap(m map[string]Value) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		keys[i] = k + "=" + show(m[k])
	}
	return strings.Join(keys, " ")
}

// render writes a step on one line, naming only the fields it sets.
func render(s Step) string {
	out := []string{s.Kind.String(), "«" + s.Tool + "»"}
	add := func(name, v string) { out = append(out, name+"="+v) }
	if s.Images != nil {
		add("images", showAll(s.Images))
	}
	if s.Names != nil {
		add("names", showAll(s.Names))
	}
	if s.Paths != nil {
		add("paths", showAll(s.Paths))
	}
	if s.Inline != nil {
		add("inline", strconv.Quote(show(s.Inline)))
	}
	for name, w := range map[string]Word{"cluster": s.Cluster, "node": s.Node, "dir": s.Dir} {
		if w != nil {
			add(name, show(w))
		}
	}
	if h := s.Helm; h != nil {
		add("release", show(h.Release))
		add("chart", show(h.Chart))
		for _, set := range h.Sets {
			kind := "set"
			if set.String {
				kind = "set-string"
			}
			add(kind, strings.Join(set.Key, ".")+":"+show(set.Value))
		}
		if h.Unparsed != nil {
			add("unparsed", showAll(h.Unparsed))
		}
		if h.ValuesFiles != nil {
			add("values", showAll(h.ValuesFiles))
		}
		add("installs", strconv.FormatBool(h.Installs))
	}
	if m := s.Make; m != nil {
		add("targets", strings.Join(m.Targets, " "))
		add("vars", showMap(m.Vars))
		if m.Env != nil {
			add("env", showMap(m.Env))
		}
		if m.Dir != nil {
			add("C", show(m.Dir))
		}
		if m.File != nil {
			add("f", show(m.File))
		}
	}
	if s.Script != nil {
		add("args", showAll(s.Script.Args))
		if s.Script.Env != nil {
			add("env", showMap(s.Script.Env))
		}
		if s.Script.Shell != "" {
			add("shell", s.Script.Shell)
		}
		if s.Script.Sourced {
			add("sourced", "true")
		}
	}
	if g := s.GoTest; g != nil {
		add("packages", showAll(g.Packages))
		if len(g.Args) > 0 {
			add("args", showAll(g.Args))
		}
		if g.Env != nil {
			add("env", showMap(g.Env))
		}
	}
	at := "@" + strconv.Itoa(s.Word)
	if s.File != "" {
		at = "@" + s.File
	}
	if s.Offset >= 0 {
		at += "+" + strconv.Itoa(s.Offset)
	}
	out = append(out, at)
	// Cluster, node and dir came from a map: sort the fields after the tool.
	slices.Sort(out[2 : len(out)-1])
	return strings.Join(out, " ")
}

type parseCase struct {
	name string
	argv []string
	want []string // rendered steps; none for a negative case
}

func runCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range Parse(words(tc.argv...)) {
				got = append(got, render(s))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Parse(%q)\ngot:\n  %s\nwant:\n  %s", tc.argv,
					strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestEngine(t *testing.T) {
	runCases(t, []parseCase{
		{"podman build", []string{"podman", "build", "-t", "localhost/app:{0}", "."},
			[]string{"Build «podman build» images=localhost/app:{0} paths=. @0"}},
		{"several tags, both forms, flags around", []string{"docker", "build", "--pull", "--tag=a:1", "-f", "Dockerfile", "-t", "b:2", "--build-arg", "X=1", "ctx"},
			[]string{"Build «docker build» images=a:1 b:2 paths=ctx @0"}},
		{"glued short flag", []string{"docker", "build", "-qta:1", "."},
			[]string{"Build «docker build» images=a:1 paths=. @0"}},
		{"short flag =value", []string{"nerdctl", "build", "-t=a:1", "."},
			[]string{"Build «nerdctl build» images=a:1 paths=. @0"}},
		{"global flags first", []string{"docker", "--context", "kind", "-H", "unix:///x", "build", "-t", "a", "."},
			[]string{"Build «docker build» images=a paths=. @0"}},
		{"buildx", []string{"docker", "buildx", "--builder", "b", "build", "--load", "-t", "{0}", "."},
			[]string{"Build «docker buildx build» images={0} paths=. @0"}},
		{"image build", []string{"docker", "image", "build", "-t", "a", "."},
			[]string{"Build «docker image build» images=a paths=. @0"}},
		{"buildah bud", []string{"buildah", "bud", "-t", "a", "."},
			[]string{"Build «buildah bud» images=a paths=. @0"}},
		{"bud is buildah's", []string{"docker", "bud", "-t", "a", "."}, nil},
		{"unknown flag takes the context's place", []string{"podman", "build", "--some-new", "v", "-t", "a", "."},
			[]string{"Build «podman build» images=a paths=. @0"}},
		{"path to the binary", []string{"/usr/bin/podman", "build", "-t", "a", "."},
			[]string{"Build «podman build» images=a paths=. @0"}},
		{"binary in a run-time directory", []string{"{0}/docker", "tag", "a", "b"},
			[]string{"Tag «docker tag» images=a b @0"}},
		{"run-time program", []string{"{0}", "build", "-t", "a", "."}, nil},
		{"tag", []string{"docker", "tag", "{0}", "localhost/app:e2e"},
			[]string{"Tag «docker tag» images={0} localhost/app:e2e @0"}},
		{"podman tag to two", []string{"podman", "tag", "a", "b", "c"},
			[]string{"Tag «podman tag» images=a b @0", "Tag «podman tag» images=a c @0"}},
		{"docker tag takes two", []string{"docker", "tag", "a", "b", "c"}, nil},
		{"image tag", []string{"podman", "image", "tag", "a", "b"},
			[]string{"Tag «podman image tag» images=a b @0"}},
		{"save -o", []string{"docker", "save", "-o", "/tmp/x.tar", "a", "b"},
			[]string{"Save «docker save» images=a b paths=/tmp/x.tar @0"}},
		{"save --output=", []string{"podman", "save", "--output=x.tar", "--format", "oci-archive", "a"},
			[]string{"Save «podman save» images=a paths=x.tar @0"}},
		{"load -i", []string{"docker", "load", "-i", "x.tar"},
			[]string{"HostLoad «docker load» paths=x.tar @0"}},
		{"image load", []string{"podman", "image", "load", "--input", "x.tar"},
			[]string{"HostLoad «podman image load» paths=x.tar @0"}},
		{"push", []string{"docker", "push", "reg/a:1"},
			[]string{"Push «docker push» images=reg/a:1 @0"}},
		{"podman push with destination", []string{"podman", "push", "--tls-verify=false", "a", "docker://reg/a"},
			[]string{"Push «podman push» images=a docker://reg/a @0"}},
		{"unknown subcommand", []string{"docker", "run", "-t", "a"}, nil},
		{"no subcommand", []string{"docker", "--debug"}, nil},
		{"unsure global flag", []string{"docker", "--weird", "x", "build", "-t", "a", "."}, nil},
	})
}

func TestNode(t *testing.T) {
	runCases(t, []parseCase{
		{"ctr tag in node", []string{"docker", "exec", "kind-control-plane", "ctr", "-n", "k8s.io", "images", "tag", "a", "b"},
			[]string{"NodeTag «ctr images tag» images=a b node=kind-control-plane @3"}},
		{"exec flags, namespace=", []string{"podman", "exec", "-i", "-e", "X=1", "--user", "root", "{0}", "ctr", "--namespace=k8s.io", "i", "tag", "--force", "a", "b"},
			[]string{"NodeTag «ctr images tag» images=a b node={0} @8"}},
		{"ctr go-style long flag", []string{"ctr", "-namespace", "k8s.io", "image", "tag", "a", "b"},
			[]string{"NodeTag «ctr images tag» images=a b @0"}},
		{"ctr namespace from exec env", []string{"docker", "exec", "-e", "CONTAINERD_NAMESPACE=k8s.io", "n", "ctr", "images", "tag", "a", "b"},
			[]string{"NodeTag «ctr images tag» images=a b node=n @5"}},
		{"ctr default namespace", []string{"docker", "exec", "n", "ctr", "images", "tag", "a", "b"}, nil},
		{"ctr other namespace", []string{"ctr", "-n", "default", "images", "tag", "a", "b"}, nil},
		{"ctr import", []string{"docker", "exec", "n", "ctr", "-n=k8s.io", "images", "import", "--all-platforms", "/x.tar"},
			[]string{"Load «ctr images import» node=n paths=/x.tar @3"}},
		{"ctr import stdin without -i", []string{"docker", "exec", "n", "ctr", "-n", "k8s.io", "images", "import", "-"},
			[]string{"Load «ctr images import» node=n paths=«-» @3"}},
		{"crictl has no tag", []string{"docker", "exec", "n", "crictl", "tag", "a", "b"}, nil},
		{"docker flags stop at the node", []string{"docker", "exec", "n", "ctr", "-n", "k8s.io", "images", "ls"}, nil},
		{"script in node", []string{"docker", "exec", "n", "sh", "-c", "ctr -n k8s.io images tag {0} {1}"},
			[]string{"NodeTag «ctr images tag» images={0} {1} node=n @5+0"}},
		{"no docker in node", []string{"docker", "exec", "n", "docker", "tag", "a", "b"}, nil},
		{"detached", []string{"docker", "exec", "-d", "n", "ctr", "-n", "k8s.io", "images", "tag", "a", "b"}, nil},
		{"podman exec --latest", []string{"podman", "exec", "-l", "ctr", "-n", "k8s.io", "images", "tag", "a", "b"},
			[]string{"NodeTag «ctr images tag» images=a b @3"}},
	})
}

func TestKind(t *testing.T) {
	runCases(t, []parseCase{
		{"docker-image", []string{"kind", "load", "docker-image", "{0}", "b", "--name", "e2e"},
			[]string{"Load «kind load docker-image» cluster=e2e images={0} b @0"}},
		{"name first, =", []string{"kind", "load", "docker-image", "--name=e2e", "--nodes", "n1,n2", "a"},
			[]string{"Load «kind load docker-image» cluster=e2e images=a @0"}},
		{"-n and verbosity", []string{"kind", "-v", "3", "load", "docker-image", "-n", "{1}", "a"},
			[]string{"Load «kind load docker-image» cluster={1} images=a @0"}},
		{"image-archive", []string{"kind", "load", "image-archive", "/tmp/a.tar"},
			[]string{"Load «kind load image-archive» paths=/tmp/a.tar @0"}},
		{"KIND_CLUSTER_NAME", []string{"env", "KIND_CLUSTER_NAME=c", "kind", "load", "docker-image", "a"},
			[]string{"Load «kind load docker-image» cluster=c images=a @2"}},
		{"no image", []string{"kind", "load", "docker-image", "--name", "c"}, nil},
		{"other subcommand", []string{"kind", "create", "cluster", "--name", "c"}, nil},
		{"unknown load flag", []string{"kind", "load", "docker-image", "--what", "a"}, nil},
	})
}

func TestKubectl(t *testing.T) {
	runCases(t, []parseCase{
		{"apply -f", []string{"kubectl", "apply", "-f", "deploy.yaml"},
			[]string{"Apply «kubectl apply» paths=deploy.yaml @0"}},
		{"global flags anywhere", []string{"kubectl", "--kubeconfig", "{0}", "-n", "ns", "apply", "--context=kind-e2e", "-f", "a.yaml", "--filename=b.yaml,c.yaml", "-R"},
			[]string{"Apply «kubectl apply» paths=a.yaml b.yaml c.yaml @0"}},
		{"create -f", []string{"kubectl", "create", "-f", "{0}"},
			[]string{"Apply «kubectl create» paths={0} @0"}},
		{"replace --force", []string{"kubectl", "replace", "--force", "-f", "x.yaml"},
			[]string{"Apply «kubectl replace» paths=x.yaml @0"}},
		{"apply -k", []string{"kubectl", "apply", "-k", "config/default"},
			[]string{"ApplyKustomize «kubectl apply» paths=config/default @0"}},
		{"apply stdin", []string{"kubectl", "apply", "-f", "-"},
			[]string{"Apply «kubectl apply» paths=- @0"}},
		{"server-side apply", []string{"kubectl", "apply", "--server-side", "--force-conflicts", "-f", "x.yaml"},
			[]string{"Apply «kubectl apply» paths=x.yaml @0"}},
		{"dry run", []string{"kubectl", "apply", "--dry-run=client", "-f", "x.yaml"}, nil},
		{"bare dry run", []string{"kubectl", "apply", "--dry-run", "-f", "x.yaml"}, nil},
		{"dry run none", []string{"kubectl", "apply", "--dry-run=none", "-f", "x.yaml"},
			[]string{"Apply «kubectl apply» paths=x.yaml @0"}},
		{"apply without files", []string{"kubectl", "apply", "view-last-applied", "deploy/x"}, nil},
		{"create namespace", []string{"kubectl", "create", "namespace", "x"}, nil},
		{"create deployment", []string{"kubectl", "create", "deployment", "web", "--image={0}", "--image", "b:1", "-r", "2"},
			[]string{"SetImage «kubectl create deployment» images={0} b:1 @0"}},
		{"set image", []string{"kubectl", "set", "image", "deployment/web", "web={0}", "side=b:1", "-n", "ns"},
			[]string{"SetImage «kubectl set image» images={0} b:1 names=web side @0"}},
		{"set image TYPE NAME", []string{"kubectl", "-n", "ns", "set", "image", "deployment", "web", "*=a:1"},
			[]string{"SetImage «kubectl set image» images=a:1 names=* @0"}},
		{"set image run-time container", []string{"kubectl", "set", "image", "deploy/x", "{0}={1}"},
			[]string{"SetImage «kubectl set image» images={1} names={0} @0"}},
		{"set image --local", []string{"kubectl", "set", "image", "--local", "-f", "x.yaml", "a=b", "-o", "yaml"}, nil},
		{"set env", []string{"kubectl", "set", "env", "deploy/x", "A=b"}, nil},
		{"run", []string{"kubectl", "run", "probe", "--image", "{0}", "--restart=Never", "--", "sleep", "1"},
			[]string{"SetImage «kubectl run» images={0} @0"}},
		{"run --image=", []string{"kubectl", "run", "probe", "--rm", "-i", "--image={0}"},
			[]string{"SetImage «kubectl run» images={0} @0"}},
		{"get", []string{"kubectl", "get", "pods", "-f", "x.yaml"}, nil},
		{"kustomize alone renders", []string{"kubectl", "kustomize", "config/default"}, nil},
	})
}

func TestKustomize(t *testing.T) {
	runCases(t, []parseCase{
		{"set image forms", []string{"kustomize", "edit", "set", "image", "controller=localhost/app:{0}", "nginx:1.2", "db=reg/db@sha256:abc", "web=*:v2"},
			[]string{"SetImage «kustomize edit set image» images=localhost/app:{0} nginx:1.2 reg/db@sha256:abc web:v2 names=controller nginx db web paths=. @0"}},
		{"set image of a run-time reference", []string{"kustomize", "edit", "set", "image", "{0}"},
			[]string{"SetImage «kustomize edit set image» images={0} names=nil paths=. @0"}},
		{"set image with a literal tag", []string{"kustomize", "edit", "set", "image", "localhost:5000/{0}:v1"},
			[]string{"SetImage «kustomize edit set image» images=localhost:5000/{0}:v1 names=localhost:5000/{0} paths=. @0"}},
		{"registry port is not a tag", []string{"kustomize", "edit", "set", "image", "localhost:5000/app"},
			[]string{"SetImage «kustomize edit set image» images=localhost:5000/app names=localhost:5000/app paths=. @0"}},
		{"versioned binary", []string{"bin/kustomize-v5.4.3", "edit", "set", "image", "controller=x:1"},
			[]string{"SetImage «kustomize edit set image» images=x:1 names=controller paths=. @0"}},
		{"build alone", []string{"kustomize", "build", "config/default"}, nil},
		{"edit add", []string{"kustomize", "edit", "add", "resource", "x.yaml"}, nil},
	})
}

func TestHelm(t *testing.T) {
	runCases(t, []parseCase{
		{"install with sets", []string{"helm", "install", "app", "./charts/app", "--set", "image.repository={0},image.tag={1}", "--set-string", "image.pullPolicy=Never", "-n", "ns"},
			[]string{"Helm «helm install» chart=./charts/app installs=true release=app set-string=image.pullPolicy:Never set=image.repository:{0} set=image.tag:{1} @0"}},
		{"upgrade --install, =forms, values", []string{"helm", "upgrade", "--install", "--namespace=ns", "--values=a.yaml,b.yaml", "-f", "{2}", "--set=replicaCount=2", "rel", "chart"},
			[]string{"Helm «helm upgrade» chart=chart installs=true release=rel set=replicaCount:2 values=a.yaml b.yaml {2} @0"}},
		{"escaped dots and list index", []string{"helm", "install", "r", "c", "--set", `nodeSelector.kubernetes\.io/os=linux,containers[1].image=x:1`},
			[]string{"Helm «helm install» chart=c installs=true release=r set=containers.[1].image:x:1 set=nodeSelector.kubernetes.io/os:linux @0"}},
		{"slot with a literal around it", []string{"helm", "install", "r", "c", "--set", "image.tag=v{0}-dev"},
			[]string{"Helm «helm install» chart=c installs=true release=r set=image.tag:v{0}-dev @0"}},
		{"run-time key", []string{"helm", "install", "r", "c", "--set", "{0}.tag=x", "--set", "{1}"},
			[]string{"Helm «helm install» chart=c installs=true release=r unparsed={0}.tag=x {1} @0"}},
		{"set-json and set-literal", []string{"helm", "install", "r", "c", "--set-json", `image={"repository":"{0}","tag":"1"}`, "--set-literal", "a.b=x,y"},
			[]string{"Helm «helm install» chart=c installs=true release=r set-string=a.b:x,y set=image.repository:{0} set=image.tag:1 @0"}},
		{"set-file reads its value from a file", []string{"helm", "install", "r", "c", "--set-file", "image.tag=tag.txt"},
			[]string{"Helm «helm install» chart=c installs=true release=r unparsed=image.tag=tag.txt @0"}},
		{"typed values", []string{"helm", "install", "r", "c", "--set", "a=true,b=null,c=012"},
			[]string{"Helm «helm install» chart=c installs=true release=r set=a:true set=b:null set=c:012 @0"}},
		{"generate-name", []string{"helm", "install", "--generate-name", "oci://reg/c"},
			[]string{"Helm «helm install» chart=oci://reg/c installs=true release=nil @0"}},
		{"template", []string{"helm", "template", "c", "--set", "image.tag=1"},
			[]string{"Helm «helm template» chart=c installs=false release=nil set=image.tag:1 @0"}},
		{"install dry run", []string{"helm", "install", "r", "c", "--dry-run"},
			[]string{"Helm «helm install» chart=c installs=false release=r @0"}},
		{"global flags", []string{"helm", "--kube-context", "kind-x", "upgrade", "-i", "r", "c", "--wait", "--timeout", "5m"},
			[]string{"Helm «helm upgrade» chart=c installs=true release=r @0"}},
		{"unknown flag blurs the chart", []string{"helm", "install", "--frobnicate", "x", "r", "c", "--set", "a=1"},
			[]string{"Helm «helm install» chart=nil installs=true release=nil set=a:1 @0"}},
		{"literal parse error", []string{"helm", "install", "r", "c", "--set", "novalue"},
			[]string{"Helm «helm install» chart=c installs=true release=r @0"}},
		{"uninstall", []string{"helm", "uninstall", "r"}, nil},
		{"repo add", []string{"helm", "repo", "add", "x", "https://x"}, nil},
	})
}

func TestMake(t *testing.T) {
	runCases(t, []parseCase{
		{"kubebuilder docker-build", []string{"make", "docker-build", "IMG={0}"},
			[]string{"Make «make docker-build» targets=docker-build vars=IMG={0} @0"}},
		{"deploy with -C and -f", []string{"make", "-C", "{1}", "-f", "Makefile.e2e", "deploy", "IMG=example.com/op:v0.0.1", "NS:=x"},
			[]string{"Make «make deploy» C={1} f=Makefile.e2e targets=deploy vars=IMG=example.com/op:v0.0.1 NS=x @0"}},
		{"glued -C and jobs", []string{"make", "-Cdir", "-j", "4", "--no-print-directory", "docker-buildx", "docker-push", "IMG=a"},
			[]string{"Make «make docker-buildx docker-push» C=dir targets=docker-buildx docker-push vars=IMG=a @0"}},
		{"default goal", []string{"make", "IMG=a"},
			[]string{"Make «make» targets= vars=IMG=a @0"}},
		{"env from env", []string{"env", "IMG={0}", "make", "deploy"},
			[]string{"Make «make deploy» env=IMG={0} targets=deploy vars= @2"}},
		{"append is not a value", []string{"make", "build", "FLAGS+=x"},
			[]string{"Make «make build» targets=build vars= @0"}},
		{"dry run", []string{"make", "-n", "deploy", "IMG=a"}, nil},
		{"run-time target", []string{"make", "{0}", "IMG=a"}, nil},
	})
}

func TestGoTest(t *testing.T) {
	runCases(t, []parseCase{
		{"kubebuilder test-e2e", []string{"env", "KIND=kind", "IMG={0}", "go", "test", "-tags=e2e", "./test/e2e/", "-v", "-ginkgo.v"},
			[]string{"GoTest «go test» args=-tags=e2e -v -ginkgo.v env=IMG={0} KIND=kind packages=./test/e2e/ @3"}},
		{"flags with values", []string{"go", "test", "-run", "./x", "-timeout", "30m", "-o", "bin", "./...", "../other", "-args", "./not"},
			[]string{"GoTest «go test» args=-run ./x -timeout 30m -o bin ./not packages=./... ../other @0"}},
		{"import paths are not followed", []string{"go", "test", "example.com/op/test/e2e"},
			[]string{"GoTest «go test» args=example.com/op/test/e2e packages= @0"}},
		{"go build", []string{"go", "build", "./..."}, nil},
	})
}

func TestKo(t *testing.T) {
	runCases(t, []parseCase{
		{"build", []string{"ko", "build", "--bare", "-t", "e2e", "./cmd/app"},
			[]string{"Build «ko build» paths=./cmd/app @0"}},
		{"apply", []string{"ko", "apply", "-f", "config/", "--context", "kind-x"},
			[]string{"Apply «ko apply» paths=config/ @0"}},
		{"resolve alone", []string{"ko", "resolve", "-f", "config/"},
			[]string{"Build «ko resolve» @0"}},
		{"version", []string{"ko", "version"}, nil},
	})
}

func TestWrappers(t *testing.T) {
	runCases(t, []parseCase{
		{"sudo", []string{"sudo", "-E", "kind", "load", "docker-image", "a"},
			[]string{"Load «kind load docker-image» images=a @2"}},
		{"sudo resets the environment", []string{"env", "KIND_CLUSTER_NAME=c", "sudo", "kind", "load", "docker-image", "a"},
			[]string{"Load «kind load docker-image» images=a @3"}},
		{"sudo keeps it with -E", []string{"env", "KIND_CLUSTER_NAME=c", "sudo", "-E", "kind", "load", "docker-image", "a"},
			[]string{"Load «kind load docker-image» cluster=c images=a @4"}},
		{"sudo -u", []string{"sudo", "-u", "root", "docker", "tag", "a", "b"},
			[]string{"Tag «docker tag» images=a b @3"}},
		{"sudo -l lists", []string{"sudo", "-l", "docker", "tag", "a", "b"}, nil},
		{"env -C", []string{"env", "-C", "config/manager", "kustomize", "edit", "set", "image", "controller=a:1"},
			[]string{"SetImage «kustomize edit set image» dir=config/manager images=a:1 names=controller paths=. @3"}},
		{"env -i", []string{"env", "-i", "PATH=/bin", "make", "deploy"},
			[]string{"Make «make deploy» env=PATH=/bin targets=deploy vars= @3"}},
		{"time", []string{"time", "-p", "docker", "push", "a"},
			[]string{"Push «docker push» images=a @2"}},
		{"timeout", []string{"timeout", "-s", "KILL", "5m", "kind", "load", "docker-image", "a"},
			[]string{"Load «kind load docker-image» images=a @4"}},
		{"nohup nice", []string{"nohup", "nice", "-n", "5", "docker", "push", "a"},
			[]string{"Push «docker push» images=a @4"}},
		{"command -v", []string{"command", "-v", "docker"}, nil},
		{"unknown wrapper", []string{"xargs", "docker", "push", "a"}, nil},
		{"empty", nil, nil},
	})
}

func TestShell(t *testing.T) {
	runCases(t, []parseCase{
		{"and-list with slots", []string{"sh", "-c", "docker build -t {0} . && kind load docker-image {0} --name {1}"},
			[]string{"Build «docker build» images={0} paths=. @2+0", "Load «kind load docker-image» cluster={1} images={0} @2+22"}},
		{"bash -ec, newlines, ;", []string{"bash", "-ec", "set -x\npodman build -t a .; podman tag a b\nkind load docker-image b || exit 1"},
			[]string{"Build «podman build» images=a paths=. @2+7", "Tag «podman tag» images=a b @2+28", "Load «kind load docker-image» images=b @2+43"}},
		{"-o pipefail -c", []string{"bash", "-o", "pipefail", "-c", "docker push a"},
			[]string{"Push «docker push» images=a @4+0"}},
		{"quoted words", []string{"sh", "-c", `make deploy "IMG={0}" 'OTHER=a b' IMG2=x\ y`},
			[]string{"Make «make deploy» targets=deploy vars=IMG={0} IMG2=x y OTHER=a b @2+0"}},
		{"slot inside quotes stays whole", []string{"sh", "-c", `kind load docker-image "reg/{0}:{1}"`},
			[]string{"Load «kind load docker-image» images=reg/{0}:{1} @2+0"}},
		{"script variable is unknown", []string{"sh", "-c", "docker build -t $IMG ."},
			[]string{"Build «docker build» images=$IMG paths=. @2+0"}},
		{"command substitution is unknown", []string{"sh", "-c", "docker tag a localhost/x:$(git rev-parse HEAD)"},
			[]string{"Tag «docker tag» images=a localhost/x:«$(git rev-parse HEAD)» @2+0"}},
		{"assigned variable", []string{"sh", "-c", `IMG={0}; docker build -t "$IMG" . && kind load docker-image ${IMG}`},
			[]string{"Build «docker build» images={0} paths=. @2+6", "Load «kind load docker-image» images={0} @2+34"}},
		{"positional parameters", []string{"sh", "-c", `kind load docker-image "$1" --name "$2"`, "sh", "{0}", "e2e"},
			[]string{"Load «kind load docker-image» cluster=e2e images={0} @2+0"}},
		{"all positional parameters", []string{"bash", "-c", `kind load docker-image "$@"`, "_", "a", "{0}"},
			[]string{"Load «kind load docker-image» images=a {0} @2+0"}},
		{"for loop over known items", []string{"sh", "-c", `for i in a {0}; do kind load docker-image "$i"; done`},
			[]string{"Load «kind load docker-image» images=a @2+16", "Load «kind load docker-image» images={0} @2+16"}},
		{"for loop over a variable's words", []string{"sh", "-c", `L="a b"; for i in $L; do kind load docker-image "$i"; done`},
			[]string{"Load «kind load docker-image» images=a @2+25", "Load «kind load docker-image» images=b @2+25"}},
		{"for loop over unknown items", []string{"sh", "-c", `for i in $(ls); do kind load docker-image "$i"; done`},
			[]string{"Load «kind load docker-image» images=«$i» @2+19"}},
		{"exported variable reaches make", []string{"sh", "-c", "export IMG={0}\nmake deploy"},
			[]string{"Make «make deploy» env=IMG={0} targets=deploy vars= @2+12"}},
		{"unexported does not", []string{"sh", "-c", "IMG={0}; make deploy"},
			[]string{"Make «make deploy» targets=deploy vars= @2+6"}},
		{"prefix assignment", []string{"sh", "-c", "KIND_CLUSTER_NAME={1} kind load docker-image a"},
			[]string{"Load «kind load docker-image» cluster={1} images=a @2+0"}},
		{"conditional assignment is unknown after", []string{"sh", "-c", `X=a; if test -n "$Y"; then X=b; fi; docker push "$X"`},
			[]string{"Push «docker push» images=«$X» @2+36"}},
		{"cd before kustomize", []string{"sh", "-c", "cd config/manager && kustomize edit set image controller={0} && cd ../.. && kustomize build config/default | kubectl apply -f -"},
			[]string{"SetImage «kustomize edit set image» dir=config/manager images={0} names=controller paths=. @2+21",
				"ApplyKustomize «kustomize build | kubectl apply» dir=. paths=config/default @2+106"}},
		{"cd in a subshell stays there", []string{"sh", "-c", "(cd x && kubectl apply -f a.yaml); kubectl apply -f b.yaml"},
			[]string{"Apply «kubectl apply» dir=x paths=a.yaml @2+9", "Apply «kubectl apply» paths=b.yaml @2+35"}},
		{"kubectl kustomize pipe", []string{"sh", "-c", "kubectl kustomize {0} | kubectl apply -f -"},
			[]string{"ApplyKustomize «kustomize build | kubectl apply» paths={0} @2+21"}},
		{"helm template pipe", []string{"bash", "-c", "helm template r ./c --set image.tag={0} | kubectl apply -f -"},
			[]string{"Helm «helm template | kubectl apply» chart=./c installs=true release=r set=image.tag:{0} @2+0"}},
		{"ko resolve pipe", []string{"sh", "-c", "ko resolve -f config/ | kubectl apply -f -"},
			[]string{"Build «ko resolve» @2+0", "Apply «kubectl apply» paths=config/ @2+24"}},
		{"cat pipe", []string{"sh", "-c", "cat a.yaml b.yaml | kubectl apply -f -"},
			[]string{"Apply «kubectl apply» paths=a.yaml b.yaml @2+20"}},
		{"unknown producer", []string{"sh", "-c", "envsubst < a.yaml | kubectl apply -f -"},
			[]string{"Apply «kubectl apply» paths=«-» @2+20"}},
		{"stdin redirect", []string{"sh", "-c", "kubectl apply -f - < {0}"},
			[]string{"Apply «kubectl apply» paths={0} @2+0"}},
		{"here-document", []string{"sh", "-c", "kubectl apply -f - <<EOF\nimage: {0}\nname: $N\nEOF\n"},
			[]string{"Apply «kubectl apply» inline=\"image: {0}\\nname: $N\\n\" @2+0"}},
		{"quoted here-document through cat", []string{"sh", "-c", "cat <<'EOF' | kubectl apply -f -\nimage: $X\nEOF\n"},
			[]string{"Apply «kubectl apply» inline=\"image: $X\\n\" @2+14"}},
		{"save piped into the node", []string{"sh", "-c", "docker save {0} | docker exec -i kind-control-plane ctr --namespace=k8s.io images import -"},
			[]string{"Save «docker save» images={0} @2+0", "Load «ctr images import» images={0} node=kind-control-plane @2+15"}},
		{"a redirected pipe writes from its last command", []string{"bash", "-c", "{ docker save a | gzip; } > a.tgz"},
			[]string{"Save «docker save» images=a @2+2"}},
		{"save redirected", []string{"sh", "-c", "docker save a > /tmp/a.tar && kind load image-archive /tmp/a.tar"},
			[]string{"Save «docker save» images=a paths=/tmp/a.tar @2+0", "Load «kind load image-archive» paths=/tmp/a.tar @2+30"}},
		{"function", []string{"sh", "-c", `load() { kind load docker-image "$1"; }; load {0}`},
			[]string{"Load «kind load docker-image» images={0} @2+9"}},
		{"nested shells", []string{"sudo", "bash", "-c", `sh -c "docker push {0}"`},
			[]string{"Push «docker push» images={0} @3+0"}},
		{"time keyword", []string{"bash", "-c", "time docker push a"},
			[]string{"Push «docker push» images=a @2+5"}},
		{"env in script", []string{"sh", "-c", "env KIND_CLUSTER_NAME=x kind load docker-image a"},
			[]string{"Load «kind load docker-image» cluster=x images=a @2+0"}},
		{"slot glued to a variable name", []string{"sh", "-c", "docker push $X{0}"},
			[]string{"Push «docker push» images=«$X<slot 0>» @2+0"}},
		{"text like a placeholder", []string{"sh", "-c", "docker tag Zq0_ {0}"},
			[]string{"Tag «docker tag» images=Zq0_ {0} @2+0"}},
		{"no -c: a script file", []string{"bash", "deploy.sh", "{0}"},
			[]string{"RunScript «bash» args={0} paths=deploy.sh shell=bash @0"}},
		{"script on stdin", []string{"bash", "-s", "x"}, nil},
		{"syntax error", []string{"sh", "-c", "docker push a &&"}, nil},
		{"unknown commands", []string{"sh", "-c", "echo docker push a; printf kind"}, nil},
	})
}

// TestPlaceholders checks that a slot survives whatever literal text
// surrounds it, including text that looks like a placeholder.
func TestPlaceholders(t *testing.T) {
	for _, w := range []Word{
		word("Zq{0}_"), word(`Z\q{0}`), word("Zqq0_{1}Zq1_"), word("{0}{1}"), word("{0}7_"),
	} {
		ph := newPlaceholders(w)
		if got := ph.restore(ph.text); !slices.Equal(got, w) {
			t.Errorf("restore(%q) = %s, want %s", ph.text, show(got), show(w))
		}
	}
}

func TestVariables(t *testing.T) {
	runCases(t, []parseCase{
		{"default when unset", []string{"sh", "-c", `HUB=${HUB:-ghcr.io/x}; kind load docker-image "$HUB/app:${TAG-latest}"`},
			[]string{"Load «kind load docker-image» images=${HUB:-ghcr.io/x}/app:${TAG:-latest} @2+23"}},
		{"assigning default", []string{"bash", "-c", `: "${IMG:=controller:latest}"; docker push "$IMG"`},
			[]string{"Push «docker push» images=${IMG:-controller:latest} @2+31"}},
		{"default of a script variable", []string{"sh", "-c", `A=x; B=; podman tag "${A:-y}" "${B:-z}" "r${B-w}"`},
			[]string{"Tag «podman tag» images=x z @2+9", "Tag «podman tag» images=x r @2+9"}},
		{"default of a caller's variable", []string{"env", "IMG={0}", "sh", "-c", `docker push "${IMG:-a}"`},
			[]string{"Push «docker push» images={0} @4+0"}},
		{"positional default", []string{"sh", "-c", `docker push "reg/app:${1:-dev}"`},
			[]string{"Push «docker push» images=reg/app:dev @2+0"}},
		{"default with a blank, unquoted, splits", []string{"sh", "-c", `docker push ${IMG:-a b}`},
			[]string{"Push «docker push» images=«${IMG:-a b}» @2+0"}},
		{"the error form is the variable", []string{"sh", "-c", `docker push "${IMG:?set IMG}"`},
			[]string{"Push «docker push» images=$IMG @2+0"}},
		{"unset", []string{"sh", "-c", `unset IMG; docker push "x${IMG}"`},
			[]string{"Push «docker push» images=x @2+11"}},
		{"env -i: nothing from the environment", []string{"env", "-i", "sh", "-c", `docker push "$IMG"`},
			[]string{"Push «docker push» images=«$IMG» @4+0"}},
		{"other expansions are unknown", []string{"sh", "-c", `docker push "${IMG%:*}"`},
			[]string{"Push «docker push» images=«${IMG%:*}» @2+0"}},
		{"a tool named by a variable with a default", []string{"sh", "-c", `"$KUSTOMIZE" edit set image controller=x`},
			nil},
	})
	steps := Parse([]Word{Lit("sh"), Lit("-c"), Concat(EnvVarOr("KUSTOMIZE", Lit("bin/kustomize-v5.4.3")), Lit(" edit set image c=x"))})
	if len(steps) != 1 || steps[0].Kind != SetImage {
		t.Errorf("tool from a variable's default: got %v", steps)
	}
	buildx := EnvVarOr("BUILD", Concat(EnvVarOr("BUILDX", Lit("docker buildx")), Lit(" build")))
	steps = Parse([]Word{Lit("sh"), Lit("-c"), Concat(buildx, Lit(" -t a ."))})
	if len(steps) != 1 || steps[0].Tool != "docker buildx build" || len(steps[0].Images) != 1 || !steps[0].Images[0].Equal(Lit("a")) {
		t.Errorf("a command line in a variable's default: got %v", steps)
	}
	steps = Parse([]Word{Lit("sh"), Lit("-c"), Concat(Lit("docker build -t "), EnvVarOr("IMG", Lit("c:latest")), Lit(" ."))})
	if len(steps) != 1 || !steps[0].Images[0].Equal(EnvVarOr("IMG", Lit("c:latest"))) {
		t.Errorf("a variable whose default is one word stays the variable: got %v", steps)
	}
	steps = Parse([]Word{Lit("sh"), Lit("-c"), Concat(Lit(`"`), buildx, Lit(`" -t a .`))})
	if len(steps) != 0 {
		t.Errorf("quoted, the command line is one word: got %v", steps)
	}
}

func TestScriptFiles(t *testing.T) {
	runCases(t, []parseCase{
		{"relative path", []string{"./hack/e2e.sh", "{0}", "x"},
			[]string{"RunScript «./e2e.sh» args={0} x paths=./hack/e2e.sh @0"}},
		{"path with a computed directory", []string{"sh", "-c", `"$(dirname "$0")/lib.sh" a`},
			[]string{"RunScript «./lib.sh» args=a paths=./lib.sh @2+0"}},
		{"path with a run-time directory", []string{"sh", "-c", `"$(git rev-parse --show-toplevel)/hack/lib.sh"`},
			[]string{"RunScript «./lib.sh» args= paths=«$(git rev-parse --show-toplevel)»/hack/lib.sh @2+0"}},
		{"exported environment", []string{"sh", "-c", "export HUB={0}; K=1 bash -x hack/load.sh"},
			[]string{"RunScript «bash» args= env=HUB={0} K=1 paths=hack/load.sh shell=bash @2+13"}},
		{"source without a reader", []string{"bash", "-c", "X={0}; . ./lib.sh; source lib2.sh a"},
			[]string{"RunScript «source» args= env=X={0} paths=./lib.sh sourced=true @2+4",
				"RunScript «source» args=a env=X={0} paths=lib2.sh sourced=true @2+16"}},
		{"a program in PATH is no file", []string{"e2e.sh", "x"}, nil},
		{"a run-time program is no file", []string{"sh", "-c", `"$TOOL" x`}, nil},
		{"a binary in a run-time directory", []string{"sh", "-c", `"$BIN/controller-gen" x`}, nil},
	})
}

func TestScript(t *testing.T) {
	lib := "#!/bin/bash\nHUB=${HUB:-ghcr.io/x}\nload() {\n  kind load docker-image \"$1\" --name \"${CLUSTER}\"\n}\n"
	files := map[string]string{"/repo/hack/lib.sh": lib}
	source := func(p, dir Word) (string, string, bool) {
		t, ok := p.Literal()
		src, found := files[t]
		return strings.TrimPrefix(t, "/repo/"), src, ok && found
	}
	src := `#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAG=${1:-dev}
for img in app sidecar; do
  docker build -t "$HUB/$img:$TAG" "$ROOT"
  load "$HUB/$img:$TAG"
done
cd "$ROOT" && make deploy IMG="$HUB/app:$TAG"
`
	steps, err := Script(ScriptRun{Src: Lit(src), Name: Lit("/repo/hack/e2e.sh"), Args: []Word{Dyn(0)},
		Env: map[string]Word{"CLUSTER": Lit("e2e")}, Source: source})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, render(s))
	}
	want := []string{
		"Build «docker build» images=${HUB:-ghcr.io/x}/app:{0} paths=/repo @-1+167",
		"Load «kind load docker-image» cluster=e2e images=${HUB:-ghcr.io/x}/app:{0} @hack/lib.sh+45",
		"Build «docker build» images=${HUB:-ghcr.io/x}/sidecar:{0} paths=/repo @-1+167",
		"Load «kind load docker-image» cluster=e2e images=${HUB:-ghcr.io/x}/sidecar:{0} @hack/lib.sh+45",
		"Make «make deploy» dir=/repo env=CLUSTER=e2e targets=deploy vars=IMG=${HUB:-ghcr.io/x}/app:{0} @-1+251",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Script:\ngot:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, s := range steps {
		text := src
		if s.File != "" {
			text = lib
		}
		if s.Offset < 0 || s.Offset >= len(text) || !strings.HasPrefix(text[s.Offset:], strings.Fields(s.Tool)[0]) {
			t.Errorf("offset %d of %s is not at its command", s.Offset, s.Tool)
		}
	}
	if _, err := Script(ScriptRun{Src: Lit("if then fi")}); err == nil {
		t.Error("Script of invalid shell: no error")
	}
}

func TestShebang(t *testing.T) {
	for src, want := range map[string]string{
		"#!/bin/bash\necho": "bash", "#!/usr/bin/env -S bash -e\n": "bash", "#! /bin/sh": "sh",
		"#!/usr/bin/env python3\n": "", "echo\n": "", "#!/usr/bin/env\n": "",
	} {
		if got := Shebang(src); got != want {
			t.Errorf("Shebang(%q) = %q, want %q", src, got, want)
		}
	}
}
