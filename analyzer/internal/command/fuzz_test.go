package command

import (
	"strings"
	"testing"
)

// fuzzWords reads fuzz input as an argv: NUL separates words, \x01 and a
// digit is that slot, \x02 an Unknown part.
func fuzzWords(data string) []Word {
	var argv []Word
	for _, s := range strings.Split(data, "\x00") {
		w := Word{}
		for len(s) > 0 {
			switch {
			case s[0] == '\x01' && len(s) > 1:
				w = append(w, Part{Text: "t" + s[1:2], Slot: int(s[1] % 10)})
				s = s[2:]
			case s[0] == '\x02':
				w = append(w, Part{Text: "?", Slot: Unknown})
				s = s[1:]
			default:
				i := strings.IndexAny(s[1:], "\x01\x02") + 1
				if i == 0 {
					i = len(s)
				}
				w = append(w, Part{Text: s[:i], Slot: Literal})
				s = s[i:]
			}
		}
		argv = append(argv, w)
	}
	return argv
}

// checkSteps checks what must hold whatever the input: every slot in the
// steps is one of the input's, whole; indexes point into the argv.
func checkSteps(t *testing.T, argv []Word, steps []Step) {
	inputs := map[Part]bool{}
	for _, w := range argv {
		for _, p := range w {
			if p.Slot >= 0 {
				inputs[p] = true
			}
		}
	}
	for _, s := range steps {
		if s.Kind.String() == "Kind(?)" || s.Word < -1 || s.Word >= len(argv) || s.Offset < -1 {
			t.Fatalf("bad step %+v", s)
		}
		for _, v := range values(s) {
			checkParts(t, s, v, inputs)
		}
	}
}

func checkParts(t *testing.T, s Step, v Word, inputs map[Part]bool) {
	for _, p := range v {
		switch {
		case p.Slot >= 0 && !inputs[p]:
			t.Fatalf("step %+v has slot part %+v that is no input part", s, p)
		case p.Slot < 0 && p.Slot != Literal && p.Slot != Unknown && p.Slot != Var:
			t.Fatalf("step %+v has part %+v", s, p)
		case p.IsVar() && !validName(p.Text):
			t.Fatalf("step %+v has variable %q", s, p.Text)
		case p.Default != nil:
			checkParts(t, s, *p.Default, inputs)
		}
	}
}

func values(s Step) []Value {
	vs := append([]Value{s.Inline, s.Cluster, s.Node, s.Dir}, s.Images...)
	vs = append(append(vs, s.Names...), s.Paths...)
	if h := s.Helm; h != nil {
		vs = append(append(append(vs, h.Release, h.Chart), h.Unparsed...), h.ValuesFiles...)
		for _, set := range h.Sets {
			vs = append(vs, set.Value)
		}
	}
	if sc := s.Script; sc != nil {
		vs = append(vs, sc.Args...)
		for _, v := range sc.Env {
			vs = append(vs, v)
		}
	}
	if m := s.Make; m != nil {
		vs = append(vs, m.Dir, m.File)
		for _, v := range m.Vars {
			vs = append(vs, v)
		}
		for _, v := range m.Env {
			vs = append(vs, v)
		}
	}
	return vs
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"podman\x00build\x00-t\x00localhost/app:\x010\x00.",
		"docker\x00exec\x00-i\x00n\x00ctr\x00-n=k8s.io\x00images\x00tag\x00a\x00\x011",
		"kind\x00load\x00docker-image\x00\x010\x00--name\x00\x011",
		"kubectl\x00-n\x00ns\x00apply\x00-f\x00a.yaml,\x010",
		"kustomize\x00edit\x00set\x00image\x00controller=\x010",
		"helm\x00upgrade\x00-i\x00r\x00c\x00--set\x00image.repository=\x010,image.tag=\x011\x00-f\x00v.yaml",
		"helm\x00install\x00r\x00c\x00--set-json\x00image={\"tag\":\"\x010\"}",
		"make\x00-C\x00\x011\x00deploy\x00IMG=\x010",
		"sudo\x00-E\x00env\x00A=\x02\x00ko\x00apply\x00-f\x00-",
		"sh\x00-c\x00docker build -t \x010 . && kind load docker-image \x010",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		argv := fuzzWords(data)
		checkSteps(t, argv, Parse(argv))
	})
}

func FuzzScript(f *testing.F) {
	for _, seed := range []string{
		"docker build -t \x010 . && kind load docker-image \x010 --name \x011",
		"IMG=\x010; export IMG; make deploy IMG=$IMG",
		"cd config/manager && kustomize edit set image controller=\x010 && kustomize build ../default | kubectl apply -f -",
		"docker save \x010 | docker exec -i kind-control-plane ctr -n k8s.io images import -",
		"for i in a \x010; do kind load docker-image \"$i\"; done",
		"f() { helm upgrade --install r ./c --set image.tag=\"$1\"; }; f \x011",
		"kubectl apply -f - <<EOF\nimage: \x010\nEOF\n",
		"if true; then cd x; fi; (time docker push $(echo \x010)) || exit 1",
		"case $X in a) docker tag a b;; *) podman tag c d;; esac",
	} {
		f.Add(seed, "sh")
		f.Add(seed, "bash")
	}
	f.Fuzz(func(t *testing.T, script, shell string) {
		argv := append([]Word{Lit(shell), Lit("-ec")}, fuzzWords(script)[0], Lit("_"), Dyn(7))
		checkSteps(t, argv, Parse(argv))
	})
}

func FuzzScriptFile(f *testing.F) {
	for _, seed := range []string{
		"#!/bin/bash\nHUB=${HUB:-ghcr.io/x}\nkind load docker-image \"$HUB/app:${1:-dev}\"\n",
		"source \"$(dirname \"${BASH_SOURCE[0]}\")/lib.sh\"\nload \"$IMG\"\n",
		"ROOT=$(cd \"$(dirname \"$0\")/..\" && pwd)\ncd \"$ROOT\" && make deploy IMG=\"${IMG:=c:latest}\"\n",
		"./hack/x.sh \"$@\"; . lib.sh; unset A; echo ${A-x}",
		"#!/bin/sh\nf() { f; }; f\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sourced := 0
		source := func(path, dir Word) (string, string, bool) {
			sourced++
			return "lib", src, sourced < 50 // a file that sources itself
		}
		args := []Word{Dyn(0), Lit("x")}
		steps, err := Script(ScriptRun{Src: Lit(src), Name: Lit("/r/hack/x.sh"), Args: args, Source: source})
		if err != nil && steps != nil {
			t.Fatalf("steps %v with error %v", steps, err)
		}
		checkSteps(t, args, steps)
		for _, s := range steps {
			if s.Offset > len(src) {
				t.Fatalf("step %+v: offset past the source", s)
			}
		}
	})
}
