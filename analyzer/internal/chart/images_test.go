package chart

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

func TestImageKeys(t *testing.T) {
	// The sets of real command lines, read by command.Parse.
	for _, tc := range []struct {
		set  []string // --set values
		want []string // path: reference [keys]
	}{
		{[]string{"image.repository={0},image.tag={1}"}, []string{"image: {0}:{1} [image.repository image.tag]"}},
		{[]string{"image.registry=localhost:5000", "image.repository=app", "image.digest=sha256:abc"},
			[]string{"image: localhost:5000/app@sha256:abc [image.registry image.repository image.digest]"}},
		{[]string{"controller.image={0}", "replicaCount=2"}, []string{"controller: {0} [controller.image]"}},
		{[]string{"image={0}"}, []string{": {0} [image]"}},
		{[]string{"image.tag=v1"}, []string{"image: nil [image.tag]"}}, // the chart keeps its repository
		{[]string{"image.name=app,image.tag=1"}, []string{"image: app:1 [image.name image.tag]"}},
		{[]string{"image.tag=1", "image.tag={0}"}, []string{"image: nil [image.tag image.tag]"}},
		{[]string{"a.image.repository=x", "b.image.repository=y"},
			[]string{"a.image: x [a.image.repository]", "b.image: y [b.image.repository]"}},
		{[]string{"name=x,pullPolicy=Never,tags.enabled=true"}, nil},
	} {
		argv := []command.Word{command.Lit("helm"), command.Lit("install"), command.Lit("r"), command.Lit("c")}
		for _, s := range tc.set {
			argv = append(argv, command.Lit("--set"), parseWord(s))
		}
		steps := command.Parse(argv)
		if len(steps) != 1 {
			t.Fatalf("%v: %d steps", tc.set, len(steps))
		}
		var got []string
		for _, im := range ImageKeys(steps[0].Helm.Sets) {
			var keys []string
			for _, k := range im.Keys {
				keys = append(keys, strings.Join(k, "."))
			}
			ref := "nil"
			if r := im.Reference(); r != nil {
				ref = r.String()
			}
			got = append(got, fmt.Sprintf("%s: %s [%s]", strings.Join(im.Path, "."), ref, strings.Join(keys, " ")))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%v:\ngot  %q\nwant %q", tc.set, got, tc.want)
		}
	}
}

// parseWord reads {N} as slot N, given the Text {N} so String shows it.
func parseWord(s string) command.Word {
	var w command.Word
	for {
		i := strings.Index(s, "{")
		j := strings.Index(s, "}")
		if i < 0 || j < i {
			break
		}
		var n int
		fmt.Sscanf(s[i+1:j], "%d", &n)
		w = append(w, command.Lit(s[:i])...)
		w = append(w, command.Part{Text: s[i : j+1], Slot: n})
		s = s[j+1:]
	}
	return command.Concat(w, command.Lit(s))
}

func TestWithDefaultRepository(t *testing.T) {
	fsys := fstest.MapFS{
		"c/Chart.yaml": {Data: []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n")},
		"c/values.yaml": {Data: []byte(`
image:
  registry: ghcr.io
  repository: acme/app
  tag: "1.4.0"
sidecar:
  image: ghcr.io/acme/proxy:1.0
`)},
	}
	c, err := Load(fsys, "c")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		set  string
		want string
	}{
		{"image.tag={0}", "ghcr.io/acme/app:{0}"},
		{"image.digest=sha256:abc", "ghcr.io/acme/app@sha256:abc"},
		{"image.repository=x,image.tag=1", "x:1"},       // the sets name the repository
		{"image.registry=localhost,image.tag=1", "nil"}, // the chart's repository under another registry: not composed
		{"sidecar.image.tag=2", "nil"},                  // one string in values.yaml: no repository key
		{"other.image.tag=2", "nil"},                    // no default at that path
	} {
		argv := []command.Word{command.Lit("helm"), command.Lit("install"), command.Lit("r"), command.Lit("c"), command.Lit("--set"), parseWord(tc.set)}
		images := ImageKeys(command.Parse(argv)[0].Helm.Sets)
		if len(images) != 1 {
			t.Fatalf("%s: %d images", tc.set, len(images))
		}
		got := "nil"
		if r := c.WithDefaultRepository(images[0]).Reference(); r != nil {
			got = r.String()
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.set, got, tc.want)
		}
	}
}
