package manifest

import (
	"strings"
	"testing"
)

// FuzzContainers checks that Containers never panics, that positions point
// at the values in the input, and that segments match the syntax.
func FuzzContainers(f *testing.F) {
	for _, seed := range []struct {
		text   string
		syntax Syntax
	}{
		{"spec:\n  containers:\n  - name: ds\n    image: localhost/ds:e2e\n    imagePullPolicy: Never\n", Plain},
		{"spec:\n  containers:\n  - image: %s\n  - image: localhost/%[2]s:%d\n", Printf},
		{"spec:\n  containers:\n  {{- range .I }}\n  - image: {{ . }}\n  {{- end }}\n", Template},
		{`{"spec": {"containers": [{"image": "%[1]s"}, {"image": "localhost/x:1"}]}}`, Printf | Template},
		{"a: &x [*x, *x]\nspec: {containers: [{image: *x}]}\n", Plain},
		{"\t\tspec:\n\t\t  containers:\n\t\t  - image: x:1\n---\nkind: Pod\n", Plain},
		{"\uFEFFspec: {containers: [{name: \"\u2028é\", image: !!str x:1}]}", Plain},
		{"%[", Printf}, {"%*[2]*.*d{{", Printf | Template}, {"image: [", Plain},
	} {
		f.Add(seed.text, uint8(seed.syntax))
	}
	f.Fuzz(func(t *testing.T, text string, syntax uint8) {
		s := Syntax(syntax) & (Printf | Template)
		cs := Containers(text, s)
		checkPositions(t, text, cs)
		for _, c := range cs {
			for _, v := range []Value{c.Image, c.PullPolicy} {
				for _, seg := range v {
					if seg.Kind == Arg && s&Printf == 0 || seg.Kind == Action && s&Template == 0 || seg.Kind == Text && seg.Text == "" {
						t.Fatalf("segment %+v with syntax %d", seg, s)
					}
				}
			}
		}
	})
}

// FuzzParseKustomization checks that ParseKustomization never panics and
// that image entries have a name and a line in the input.
func FuzzParseKustomization(f *testing.F) {
	for _, seed := range []string{
		"resources: [a.yaml]\nimages:\n- name: x\n  newName: localhost/x\n  newTag: e2e\n",
		"x: &i [{name: a}]\nimages: *i\nbases: [b]\nimageTags: *i\n",
		`{"images": [{"name": "x", "digest": "sha256:abc"}]}`,
		"images: [", "- a",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseKustomization(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, img := range k.Images {
			if img.Name == "" || img.Line < 1 || img.Line > lines {
				t.Fatalf("image %+v in %d lines", img, lines)
			}
		}
	})
}
