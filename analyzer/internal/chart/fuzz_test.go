package chart

import (
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzHasValue loads a chart whose values.yaml and template are the input
// and asks for a key: Load errs or HasValue answers, never a panic.
func FuzzHasValue(f *testing.F) {
	f.Add("image:\n  repository: x\n  tag: \"\"\n", "{{ .Values.image.repository }}", "image.tag")
	f.Add("a: &a {b: 1}\nc:\n  <<: *a\n", "{{ index .Values \"x\" 0 }}{{ with .Values.w }}{{ .z }}{{ end }}", "x.[0]")
	f.Add("l:\n- a\n- {b: ~}\n", `{{ define "t" }}{{ $.Values.l }}{{ end }}{{ include "t" . }}`, "l.[1].b.c")
	f.Fuzz(func(t *testing.T, values, template, key string) {
		fsys := fstest.MapFS{
			"c/Chart.yaml":           {Data: []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n")},
			"c/values.yaml":          {Data: []byte(values)},
			"c/templates/t.yaml":     {Data: []byte(template)},
			"c/charts/s/Chart.yaml":  {Data: []byte("apiVersion: v2\nname: s\nversion: 0.1.0\n")},
			"c/charts/s/values.yaml": {Data: []byte(values)},
		}
		c, err := Load(fsys, "c")
		if err != nil {
			return
		}
		k := strings.Split(key, ".")
		c.HasValue(k)
		c.HasValue(append([]string{"s"}, k...))
	})
}
