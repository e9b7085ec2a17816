package analyzer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestScanManifest(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string // value, then "!" suffix when pullNever, "?" when filled by arguments
	}{
		{"deployment", `
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
`, []string{"localhost/migrate:e2e", "datastorage:e2e-test!"}},
		{"multi-document and quoted", "kind: Pod\nspec:\n  containers:\n  - image: \"a:1\"\n---\nkind: Pod\nspec:\n  containers:\n  - image: 'b:2'\n", []string{"a:1", "b:2"}},
		{"json", `{"spec": {"containers": [{"name": "x", "image": "localhost/x:1"}]}}`, []string{"localhost/x:1"}},
		{"indented with tabs", "\n\t\tspec:\n\t\t  containers:\n\t\t  - image: localhost/x:1\n", []string{"localhost/x:1"}},
		{"printf placeholders", "spec:\n  containers:\n  - image: %s\n    args: [\"%d\"]\n  - image: localhost/%[1]s:e2e\n", []string{"?0", "?0"}},
		{"template action", "spec:\n  containers:\n  - image: {{ .Image }}\n", []string{"dynamic"}},
		{"image key outside containers", "data:\n  image: localhost/x:1\nimage:\n  repository: localhost/y\n", nil},
		{"malformed", "spec:\n  containers:\n  - image: [unclosed\n", nil},
		{"not yaml at all", "using image localhost/x:1 for %s", nil},
		{"percent literal", "spec:\n  containers:\n  - image: localhost/x:1\n    args: [\"100%%\"]\n", []string{"localhost/x:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, img := range scanManifest(tc.text) {
				s := img.value
				switch {
				case img.dynamic:
					s = "dynamic"
				case len(img.args) > 0:
					s = fmt.Sprintf("?%d", img.args[0])
				case img.pullNever:
					s += "!"
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("scanManifest = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestScanManifestOffset(t *testing.T) {
	text := "spec:\n  containers:\n  - name: x\n    image: localhost/x:1\n"
	imgs := scanManifest(text)
	if len(imgs) != 1 {
		t.Fatalf("got %d images, want 1", len(imgs))
	}
	if got := text[imgs[0].offset:]; !strings.HasPrefix(got, "localhost/x:1") {
		t.Errorf("offset points at %q", got)
	}
}

func TestParseVerb(t *testing.T) {
	// Each verb of the format gets its argument index as Sprintf does.
	got := markPlaceholders("%s %[3]s %s %*d %%")
	want := "ITLARG0ZZ ITLARG2ZZ ITLARG3ZZ ITLARG5ZZ %"
	if got != want {
		t.Errorf("markPlaceholders = %q, want %q", got, want)
	}
}

func TestDedentKeepsLines(t *testing.T) {
	in := "\n    a:\n      b: 1\n\n    c: 2\n"
	out := dedent(in)
	if strings.Count(out, "\n") != strings.Count(in, "\n") || !strings.Contains(out, "\na:\n  b: 1\n") {
		t.Errorf("dedent = %q", out)
	}
}
