package manifest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe renders containers compactly: the list (Kind.group for a
// custom resource's image), the image with printf arguments as <n> and
// actions as <action>, and "!" before a pull policy.
func describe(cs []Container) []string {
	var out []string
	for _, c := range cs {
		list := c.List
		if list == "" {
			list = c.Kind + "." + c.Group
		}
		s := list + ":" + render(c.Image)
		if c.PullPolicy != nil {
			s += "!" + render(c.PullPolicy)
		}
		out = append(out, s)
	}
	return out
}

func render(v Value) string {
	var b strings.Builder
	for _, s := range v {
		switch s.Kind {
		case Text:
			b.WriteString(s.Text)
		case Arg:
			fmt.Fprintf(&b, "<%d>", s.Arg)
		case Action:
			b.WriteString("<action>")
		}
	}
	return b.String()
}

// checkPositions checks what a caller relies on: the position of each
// image is in the text, Line and Col say the same as Offset, the text
// there starts with the value as written or with a quote, block indicator,
// tag, anchor or alias in front of it, and End follows it on its line.
func checkPositions(t *testing.T, text string, cs []Container) {
	t.Helper()
	for _, c := range cs {
		if c.Offset < 0 || c.Offset > len(text) {
			t.Fatalf("offset %d outside text of %d bytes", c.Offset, len(text))
		}
		before := text[:c.Offset]
		line := strings.Count(before, "\n") + 1
		col := len(before) - strings.LastIndexByte(before, '\n')
		if c.Line != line || c.Col != col {
			t.Fatalf("offset %d is %d:%d, container says %d:%d", c.Offset, line, col, c.Line, c.Col)
		}
		if c.End < c.Offset || c.End > len(text) {
			t.Fatalf("value %d:%d outside text of %d bytes", c.Offset, c.End, len(text))
		}
		if len(c.Image) == 0 {
			continue
		}
		at := text[c.Offset:]
		if !strings.HasPrefix(at, c.Image[0].Text[:1]) && (at == "" || !strings.ContainsRune(`"'|>!&*`, rune(at[0]))) {
			t.Fatalf("image %q at offset %d, where the text is %.20q", c.Image.String(), c.Offset, at)
		}
		for _, s := range c.Image {
			if s.Kind == Arg && s.Arg < 0 {
				t.Fatalf("negative argument index in %+v", c.Image)
			}
			if s.Kind != Text && !strings.Contains(text, s.Text) {
				t.Fatalf("placeholder %q not in the text", s.Text)
			}
		}
	}
}

func TestContainers(t *testing.T) {
	const all = Printf | Template
	for _, tc := range []struct {
		name   string
		syntax Syntax
		text   string
		want   []string
	}{
		{"deployment", Plain, `
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: localhost/migrate:e2e
      containers:
      - name: ds
        image: datastorage:e2e-test
        imagePullPolicy: Never
      ephemeralContainers:
      - image: busybox
        imagePullPolicy: IfNotPresent
`, []string{"initContainers:localhost/migrate:e2e", "containers:datastorage:e2e-test!Never", "ephemeralContainers:busybox!IfNotPresent"}},
		{"multi-document and quoted", Plain, "kind: Pod\nspec:\n  containers:\n  - image: \"a:1\"\n---\nkind: Pod\nspec:\n  containers:\n  - image: 'b:2'\n",
			[]string{"containers:a:1", "containers:b:2"}},
		{"json", Plain, `{"spec": {"containers": [{"name": "x", "image": "localhost/x:1"}]}}`, []string{"containers:localhost/x:1"}},
		{"json indented with tabs", Plain, "{\n\t\"spec\": {\n\t\t\"containers\": [\n\t\t\t{\"image\": \"x:1\"}\n\t\t]\n\t}\n}\n", []string{"containers:x:1"}},
		{"flow style", Plain, "spec: {containers: [{image: x:1, imagePullPolicy: Never}, {image: y:2}]}", []string{"containers:x:1!Never", "containers:y:2"}},
		{"indented with tabs", Plain, "\n\t\tspec:\n\t\t  containers:\n\t\t  - image: localhost/x:1\n", []string{"containers:localhost/x:1"}},
		{"CRLF", Plain, "spec:\r\n  containers:\r\n  - image: x:1\r\n  - image: y:2\r\n", []string{"containers:x:1", "containers:y:2"}},
		{"empty image", Plain, "spec:\n  containers:\n  - image: ''\n", []string{"containers:"}},
		{"image that is not a scalar", Plain, "spec:\n  containers:\n  - image: {repository: x}\n  - image: [x]\n", nil},
		{"alias of an image", Plain, "x: &img localhost/x:1\nspec:\n  containers:\n  - image: *img\n", []string{"containers:localhost/x:1"}},
		{"alias of a container list is not followed", Plain, "x: &list [{image: a:1}]\nspec:\n  containers: *list\n", nil},
		{"tags", Plain, "spec:\n  containers:\n  - image: !!str x:1\n  - image: !custom y:2\n", []string{"containers:x:1", "containers:y:2"}},
		{"image key outside containers", Plain, "data:\n  image: localhost/x:1\nimage:\n  repository: localhost/y\n", nil},
		{"custom resource", Plain, `
apiVersion: apps.example.com/v1
kind: App
metadata:
  annotations:
    image: localhost/x:9
spec:
  image: controller:latest
  imagePullPolicy: Never
  runner:
    image: "localhost/runner:e2e"
  flag:
    image: yes please
  parts:
    image: {repository: x}
  template:
    spec:
      containers:
      - image: side:1
`, []string{"App.apps.example.com:controller:latest!Never", "App.apps.example.com:localhost/runner:e2e", "containers:side:1"}},
		{"built-in groups hold images in containers only", Plain, "apiVersion: v1\nkind: ConfigMap\ndata:\n  image: localhost/x:1\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  image: x:1\n", nil},
		{"custom resource without kind", Plain, "apiVersion: apps.example.com/v1\nspec:\n  image: x:1\n", nil},
		{"cluster config: the caller decides", Plain, "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n  image: kindest/node:v1.31.0\n", []string{"Cluster.kind.x-k8s.io:kindest/node:v1.31.0"}},
		{"custom resource template", Template, "apiVersion: apps.example.com/v1\nkind: App\nspec:\n  image: {{ .Image }}\n", []string{"App.apps.example.com:<action>"}},
		{"containers that are not a list", Plain, "spec:\n  containers:\n    image: x:1\n", nil},
		{"malformed", Plain, "spec:\n  containers:\n  - image: [unclosed\n", nil},
		{"bad second document stops the scan", Plain, "spec:\n  containers:\n  - image: a:1\n---\n: : [\n---\nspec:\n  containers:\n  - image: b:2\n", []string{"containers:a:1"}},
		{"not yaml at all", all, "using image localhost/x:1 for %s", nil},
		{"no image", Plain, "spec:\n  containers:\n  - name: x\n", nil},

		{"printf verbs", Printf, "spec:\n  containers:\n  - image: %s\n    args: [\"%d\"]\n  - image: localhost/%[1]s:e2e\n    imagePullPolicy: %s\n",
			[]string{"containers:<0>", "containers:localhost/<0>:e2e!<1>"}},
		{"printf width and precision take arguments", Printf, "x: %*d %.*f\nspec: {containers: [{image: %s}]}", []string{"containers:<4>"}},
		{"printf percent", Printf, "spec:\n  containers:\n  - image: localhost/x:1\n    args: [\"100%%\"]\n  - image: a%%b\n", []string{"containers:localhost/x:1", "containers:a%b"}},
		{"printf verbs are text in plain YAML", Plain, "spec:\n  containers:\n  - image: localhost/%s:e2e\n", []string{"containers:localhost/%s:e2e"}},
		{"printf verbs are text in a template", Template, "spec:\n  containers:\n  - image: localhost/%s:e2e\n", []string{"containers:localhost/%s:e2e"}},
		{"invalid printf format", Printf, "spec:\n  containers:\n  - image: x:1\n    args: [\"100%\"]\n", nil},
		{"printf index zero", Printf, "spec:\n  containers:\n  - image: %[0]s\n", nil},

		{"template action", Template, "spec:\n  containers:\n  - image: {{ .Image }}\n", []string{"containers:<action>"}},
		{"template action in part", Template, "spec:\n  containers:\n  - image: \"localhost/{{ .Name }}:{{ .Tag }}\"\n", []string{"containers:localhost/<action>:<action>"}},
		{"template action holding braces", Template, "spec:\n  containers:\n  - image: {{ printf \"}}%s\" .X }}\n", []string{"containers:<action>"}},
		{"template with trim markers", Template, "spec:\n  containers:\n  - image: x:1\n    imagePullPolicy: {{- \" Never\" -}}\n", []string{"containers:x:1!<action>"}},
		{"template control lines", Template, "{{/* a comment */}}\nspec:\n  containers:\n  - image: a:{{ .Tag }}\n", []string{"containers:a:<action>"}},
		{"template range", Template, "spec:\n  containers:\n  {{- range .Images }}\n  - image: {{ . }}\n    imagePullPolicy: Never\n  {{- end }}\n  - image: sidecar:1\n", []string{"containers:<action>!Never", "containers:sidecar:1"}},
		{"template branches", Template, "spec:\n  containers:\n  {{ if .Local }}\n  - image: localhost/x:e2e\n  {{ else }}\n  - image: quay.io/org/x:1\n  {{ end }}\n", []string{"containers:localhost/x:e2e", "containers:quay.io/org/x:1"}},
		{"action that is a key", Template, "spec:\n  containers:\n  - {{ .Key }}: x\n    image: a:1\n", []string{"containers:a:1"}},
		{"actions are text without Template", Printf, "spec:\n  containers:\n  - image: {{.Image}}\n", nil}, // a flow mapping key: not a scalar
		{"invalid template", Template, "spec:\n  containers:\n  - image: {{ .Image\n", nil},
		{"printf format that is a template", all, "spec:\n  containers:\n  - image: {{ printf \"%s\" .X }}\n  - image: %s\n", []string{"containers:<action>", "containers:<1>"}},
		{"action after a verb on its line", all, "spec:\n  containers:\n  - image: %s {{ .X }}\n  - image: {{ .Y }} %%\n", []string{"containers:<0> <action>", "containers:<action> %"}},
		{"marker look-alike", all, "spec:\n  containers:\n  - image: \"Qzk0Qzk\\x51zk0Qzk\"\n  - image: %s\n", []string{"containers:Qzk0QzkQzk0Qzk", "containers:<0>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Containers(tc.text, tc.syntax)
			if d := describe(got); !slices.Equal(d, tc.want) {
				t.Errorf("Containers = %q, want %q", d, tc.want)
			}
			checkPositions(t, tc.text, got)
		})
	}
}

// TestContainersPositions checks positions where the text before a value
// changes length on the way to YAML: placeholders, dedent, multi-byte
// characters, YAML-only line breaks and a byte order mark.
func TestContainersPositions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		syntax Syntax
		text   string
		want   string // the last image value as written
	}{
		{"block", Plain, "spec:\n  containers:\n  - name: x\n    image: localhost/x:1\n", "localhost/x:1"},
		{"after placeholders on the line", Printf, `{"containers": [{"image": "%[1]s", "name": "%s"}, {"image": "localhost/b:2"}]}`, `"localhost/b:2"`},
		{"after a multi-line action", Template, "spec:\n  containers:\n  - image: {{ .Image\n  }}\n  - image: localhost/b:2\n", "localhost/b:2"},
		{"dedented with placeholders", Printf, "\t\tspec:\n\t\t  containers:\n\t\t  - image: %s\n\t\t  - image: localhost/b:2\n", "localhost/b:2"},
		{"multi-byte characters", Plain, "spec: {containers: [{name: \"été\", image: localhost/b:2}]}", "localhost/b:2"},
		{"line separator", Plain, "spec:\n  containers:\n  - name: \"a\u2028b\"\n    image: localhost/b:2\n", "localhost/b:2"},
		{"byte order mark", Plain, "\uFEFF{containers: [{image: localhost/b:2}]}", "localhost/b:2"},
		{"quoted", Plain, "spec:\n  containers:\n  - image:   \"localhost/b:2\"\n", `"localhost/b:2"`},
		{"alias", Plain, "a: &i localhost/b:1\nspec:\n  containers:\n  - image: *i\n", "*i"},
		{"anchored", Plain, "spec:\n  containers:\n  - image: &i localhost/b:1\n", "&i localhost/b:1"},
		{"comment after", Plain, "spec:\n  containers:\n  - image: localhost/b:1  # the fixed one\n    name: b\n", "localhost/b:1"},
		{"single-quoted", Plain, "spec:\n  containers:\n  - image: 'it''s:1'\n", "'it''s:1'"},
		{"escaped quote", Plain, `{"containers": [{"image": "a\"b:1", "name": "b"}]}`, `"a\"b:1"`},
		{"a verb", Printf, "spec:\n  containers:\n  - image: %s\n    name: b\n", "%s"},
		{"a verb ends the text", Printf, "spec:\n  containers:\n  - image: %[2]s", "%[2]s"},
		{"an action", Template, "spec:\n  containers:\n  - image: {{ .Image }}\n", "{{ .Image }}"},
		{"parts", Template, "spec:\n  containers:\n  - image: {{ .Registry }}/app:{{ .Tag }}\n", "{{ .Registry }}/app:{{ .Tag }}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Containers(tc.text, tc.syntax)
			if len(got) == 0 {
				t.Fatal("no containers")
			}
			checkPositions(t, tc.text, got)
			last := got[len(got)-1]
			if at := tc.text[last.Offset:last.End]; at != tc.want {
				t.Errorf("last image at %d:%d (%d:%d): %q, want %q", last.Offset, last.End, last.Line, last.Col, at, tc.want)
			}
		})
	}
}

func TestContainersLines(t *testing.T) {
	text := "\n    spec:\n      containers:\n      - image: {{ .A\n        }}\n      - image: b:2\n"
	got := Containers(text, Template)
	if len(got) != 2 || got[0].Line != 4 || got[0].Col != 16 || got[1].Line != 6 || got[1].Col != 16 {
		t.Errorf("positions %+v, want 4:16 and 6:16", got)
	}
}

func TestContainersBounds(t *testing.T) {
	deep := strings.Repeat("{a: ", maxDepth+1) + "{containers: [{image: x:1}]}" + strings.Repeat("}", maxDepth+1)
	if got := Containers(deep, Plain); got != nil {
		t.Errorf("containers %d levels down found: %+v", maxDepth+1, got)
	}
	shallow := strings.Repeat("{a: ", maxDepth-2) + "{containers: [{image: x:1}]}" + strings.Repeat("}", maxDepth-2)
	if got := Containers(shallow, Plain); len(got) != 1 {
		t.Errorf("containers %d levels down: %+v", maxDepth-2, got)
	}
	big := "spec: {containers: [{image: x:1}]}\n# " + strings.Repeat("x", maxSize)
	if got := Containers(big, Plain); got != nil {
		t.Errorf("text of %d bytes scanned", len(big))
	}
}

func TestValue(t *testing.T) {
	v := Value{{Kind: Text, Text: "localhost/"}, {Kind: Arg, Text: "%[2]s", Arg: 1}, {Kind: Text, Text: ":"}, {Kind: Arg, Text: "%s", Arg: 2}}
	if _, ok := v.Literal(); ok || !slices.Equal(v.Args(), []int{1, 2}) || v.Dynamic() || v.String() != "localhost/%[2]s:%s" {
		t.Errorf("Value %+v: Literal ok %v, Args %v, Dynamic %v, String %q", v, ok, v.Args(), v.Dynamic(), v.String())
	}
	lit := Value{{Kind: Text, Text: "x:1"}}
	if s, ok := lit.Literal(); !ok || s != "x:1" || lit.Args() != nil || lit.Dynamic() {
		t.Errorf("Value %+v not a literal", lit)
	}
	dyn := Value{{Kind: Text, Text: "x:"}, {Kind: Action, Text: "{{ .T }}"}}
	if _, ok := dyn.Literal(); ok || !dyn.Dynamic() || dyn.Args() != nil {
		t.Errorf("Value %+v not dynamic", dyn)
	}
	if s, ok := (Value{}).Literal(); !ok || s != "" {
		t.Error("empty Value is not the empty literal")
	}
}

func TestLexArgs(t *testing.T) {
	// Each verb gets its argument index as fmt.Sprintf gives it.
	pieces, good := lex("%s %[3]s %s %*d %% %-+#08.3[1]x %[2]*.[1]*[3]v", Printf)
	if !good {
		t.Fatal("lex failed")
	}
	var args []int
	for _, p := range pieces {
		if p.Kind == Arg {
			args = append(args, p.Arg)
		}
	}
	if want := []int{0, 2, 3, 5, 0, 2}; !slices.Equal(args, want) {
		t.Errorf("arguments %v, want %v", args, want)
	}
	for _, bad := range []string{"%", "100%\"", "%[0]d", "%[1]5d", "%ä", "%[x]s"} {
		if _, good := lex(bad, Printf); good {
			t.Errorf("lex(%q) accepted an invalid format", bad)
		}
	}
}

func TestDedentKeepsLines(t *testing.T) {
	in := "\n    a:\n      b: 1\n\n    c: 2\n"
	out := dedent(in)
	if strings.Count(out.text, "\n") != strings.Count(in, "\n") || out.text != "\na:\n  b: 1\n\nc: 2\n" {
		t.Errorf("dedent = %q", out.text)
	}
	if i := strings.Index(out.text, "c: 2"); in[out.origin(i):][:4] != "c: 2" {
		t.Errorf("origin of %q is %d", "c: 2", out.origin(i))
	}
}

func TestUnconditional(t *testing.T) {
	text := "a: 1\n{{ if .X }}b: 2\n{{ end }}c: {{ .C }}\nd: 4\n"
	spans, ok := Unconditional(text)
	if !ok {
		t.Fatal("does not parse")
	}
	var got []string
	for _, s := range spans {
		got = append(got, text[s[0]:s[1]])
	}
	want := []string{"a: 1\n", "c: ", "\nd: 4\n"}
	if !slices.Equal(got, want) {
		t.Errorf("Unconditional = %q, want %q", got, want)
	}
	if _, ok := Unconditional("{{ if }}"); ok {
		t.Error("a template that does not parse has unconditional text")
	}
}
