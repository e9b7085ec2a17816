package chart

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// create writes the chart `helm create name` makes under dir.
func create(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path, err := chartutil.Create(name, dir)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// recordFS records the files opened through it.
type recordFS struct {
	fs.FS
	mu     sync.Mutex
	opened []string
}

func (r *recordFS) Open(name string) (fs.File, error) {
	r.mu.Lock()
	r.opened = append(r.opened, name)
	r.mu.Unlock()
	return r.FS.Open(name)
}

type hasCase struct {
	key  string // dot-separated
	want bool
	by   Source
	file string // want Where.File, when set
	line int    // want Where.Line, when set
}

func checkHas(t *testing.T, c *Chart, cases []hasCase) {
	t.Helper()
	for _, tc := range cases {
		ok, w := c.HasValue(strings.Split(tc.key, "."))
		if ok != tc.want || ok && w.By != tc.by || tc.file != "" && w.File != tc.file || tc.line != 0 && w.Line != tc.line {
			t.Errorf("HasValue(%s) = %v, %+v; want %v by %v in %s:%d", tc.key, ok, w, tc.want, tc.by, tc.file, tc.line)
		}
	}
}

func TestDefaultChart(t *testing.T) {
	root := t.TempDir()
	dir := create(t, filepath.Join(root, "charts"), "app")
	write(t, filepath.Join(dir, "templates", "extra.yaml"), `
{{- with .Values.probe }}
probe: {{ toYaml . }}
{{- end }}
sidecar: {{ .Values.extra.sidecar.image | quote }}
{{- $root := . }}
ix: {{ index .Values "ix" "a" }}
list: {{ index .Values.containers 0 "image" }}
dollar: {{ $.Values.dollar.x }}
root: {{ $root.Values.rooted.y }}
`)
	write(t, filepath.Join(dir, "README.md"), "not read")
	fsys := &recordFS{FS: os.DirFS(root)}
	c, err := Load(fsys, "charts/app")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "app" || c.Dir != "charts/app" {
		t.Errorf("Load: name %q dir %q", c.Name, c.Dir)
	}
	values := "charts/app/values.yaml"
	checkHas(t, c, []hasCase{
		{key: "image.repository", want: true, by: Values, file: values, line: 10},
		{key: "image.tag", want: true, by: Values, file: values},
		{key: "image", want: true, by: Values},
		{key: "replicaCount", want: true, by: Values},
		{key: "podAnnotations.prometheus.io/scrape", want: true, by: Values}, // podAnnotations: {}
		{key: "image.tga", want: false, file: values, line: 9},               // points at image:
		{key: "imageTag", want: false, line: 0},
		{key: "global.imageRegistry", want: true, by: Global},
		{key: "extra.sidecar.image", want: true, by: Template, file: "charts/app/templates/extra.yaml", line: 5},
		{key: "extra", want: true, by: Template},
		{key: "extra.other", want: false},
		{key: "probe.httpGet.path", want: true, by: Template, line: 2},
		{key: "ix.a", want: true, by: Template},
		{key: "ix.b", want: false},
		{key: "containers.[0].image", want: true, by: Template},
		{key: "containers.[1].image", want: false},
		{key: "dollar.x", want: true, by: Template},
		{key: "rooted.y", want: true, by: Template},
		{key: "ingress.hosts.[0].host", want: true, by: Values},
		{key: "ingress.hosts.[5].host", want: true, by: Template}, // range .Values.ingress.hosts
		{key: "ingress.nope", want: false},
	})
	for _, name := range fsys.opened {
		if strings.HasSuffix(name, "README.md") {
			t.Errorf("Load opened %s, which it does not use", name)
		}
	}
}

func TestSubcharts(t *testing.T) {
	root := t.TempDir()
	parent := create(t, root, "parent")
	create(t, filepath.Join(parent, "charts"), "child")
	// An archived subchart, as helm dependency build leaves it.
	lib := create(t, filepath.Join(root, "src"), "lib")
	write(t, filepath.Join(lib, "values.yaml"), "libImage:\n  repository: x\n")
	libChart, err := loader.Load(lib)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chartutil.Save(libChart, filepath.Join(parent, "charts")); err != nil {
		t.Fatal(err)
	}
	c, err := Load(os.DirFS(root), "parent")
	if err != nil {
		t.Fatal(err)
	}
	checkHas(t, c, []hasCase{
		{key: "child.image.repository", want: true, by: Values, file: "parent/charts/child/values.yaml"},
		{key: "child.image.nope", want: false},
		{key: "child", want: false}, // not a value of the parent's own
		{key: "lib.libImage.repository", want: true, by: Values, file: "parent/charts/lib-0.1.0.tgz/values.yaml"},
		{key: "lib.libImage.tag", want: false},
	})
}

func TestAlias(t *testing.T) {
	root := t.TempDir()
	parent := create(t, root, "parent")
	create(t, filepath.Join(parent, "charts"), "child")
	chartYAML := filepath.Join(parent, "Chart.yaml")
	data, err := os.ReadFile(chartYAML)
	if err != nil {
		t.Fatal(err)
	}
	write(t, chartYAML, string(data)+"dependencies:\n- name: child\n  version: 0.1.0\n  alias: worker\n")
	c, err := Load(os.DirFS(root), "parent")
	if err != nil {
		t.Fatal(err)
	}
	checkHas(t, c, []hasCase{
		{key: "worker.image.tag", want: true, by: Values},
		{key: "child.image.tag", want: false},
	})
}

func TestHelmIgnore(t *testing.T) {
	root := t.TempDir()
	dir := create(t, root, "app")
	write(t, filepath.Join(dir, "templates", "skipped.yaml"), "x: {{ .Values.skipped }}\n")
	write(t, filepath.Join(dir, ".helmignore"), "templates/skipped.yaml\n")
	c, err := Load(os.DirFS(root), "app")
	if err != nil {
		t.Fatal(err)
	}
	checkHas(t, c, []hasCase{{key: "skipped", want: false}, {key: "image.tag", want: true, by: Values}})
}

func TestMergeKeysAndAliases(t *testing.T) {
	fsys := fstest.MapFS{
		"c/Chart.yaml": {Data: []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n")},
		"c/values.yaml": {Data: []byte(`
base: &base
  image:
    repository: a
web:
  <<: *base
  port: 80
worker: *base
nothing:
`)},
	}
	c, err := Load(fsys, "c")
	if err != nil {
		t.Fatal(err)
	}
	checkHas(t, c, []hasCase{
		{key: "web.image.repository", want: true, by: Values},
		{key: "web.port", want: true, by: Values},
		{key: "worker.image.repository", want: true, by: Values},
		{key: "web.image.tag", want: false},
		{key: "nothing.anything", want: true, by: Values}, // null: open
	})
}

func TestLoadErrors(t *testing.T) {
	chartYAML := &fstest.MapFile{Data: []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n")}
	for name, fsys := range map[string]fstest.MapFS{
		"no chart":          {"c/values.yaml": {Data: []byte("a: 1\n")}},
		"no Chart.yaml":     {"c/templates/x.yaml": {Data: []byte("x")}},
		"bad Chart.yaml":    {"c/Chart.yaml": {Data: []byte("name: [\n")}},
		"no version":        {"c/Chart.yaml": {Data: []byte("apiVersion: v2\nname: c\n")}},
		"bad values":        {"c/Chart.yaml": chartYAML, "c/values.yaml": {Data: []byte("a: [\n")}},
		"bad template":      {"c/Chart.yaml": chartYAML, "c/templates/x.yaml": {Data: []byte("{{ .Values.a ")}},
		"bad archive":       {"c/Chart.yaml": chartYAML, "c/charts/x-1.0.0.tgz": {Data: []byte("not gzip")}},
		"bad subchart":      {"c/Chart.yaml": chartYAML, "c/charts/s/Chart.yaml": {Data: []byte("apiVersion: v2\n")}},
		"missing directory": {"other/Chart.yaml": chartYAML},
	} {
		if c, err := Load(fsys, "c"); err == nil {
			t.Errorf("%s: Load = %+v, want an error", name, c)
		} else if !strings.Contains(err.Error(), "c") {
			t.Errorf("%s: error %q does not name the chart", name, err)
		}
	}
}
