// Package chart tells which values a helm chart has, so that a --set key the
// chart ignores can be found: helm drops such a key silently and the chart's
// default image runs.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
	helmchart "helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/ignore"
)

// Chart is what a chart and its subcharts define and read of their values.
type Chart struct {
	// Name is the chart's name from Chart.yaml.
	Name string
	// Dir is the chart's directory in the file system it was loaded from;
	// for a subchart inside an archive, the archive's path.
	Dir    string
	values *yaml.Node // the values.yaml document, nil without one
	refs   *ref       // the .Values paths the templates read
	// subcharts by the key their values live under: alias or name.
	subcharts map[string]*Chart
}

// Source is what makes a value known.
type Source int

const (
	// Values: the chart's values.yaml defines the key.
	Values Source = iota + 1
	// Template: a template reads the key, or a key it lies under.
	Template
	// Global: global.* is shared with every subchart.
	Global
)

// Where says where a key is known. When HasValue is false, it points at the
// values.yaml line of the deepest part of the key the chart does define
// (Line 0 when none is).
type Where struct {
	// File is slash-separated, in the file system given to Load:
	// "charts/app/values.yaml", "charts/app/templates/deployment.yaml".
	File string
	// Line is 1-based; 0 when not known.
	Line int
	By   Source
}

// Load reads the chart in directory dir of fsys: Chart.yaml, values.yaml,
// templates/ and the subcharts in charts/ (directories and archives), with
// helm's own loader and .helmignore rules. fsys lets the caller bound what
// is read; other files of the chart are not opened.
func Load(fsys fs.FS, dir string) (*Chart, error) {
	dir = path.Clean(dir)
	files, err := chartFiles(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", dir, err)
	}
	hc, err := loader.LoadFiles(files)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", dir, err)
	}
	return convert(hc, dir, files)
}

// chartFiles reads the files of the chart in dir that Load uses.
func chartFiles(fsys fs.FS, dir string) ([]*loader.BufferedFile, error) {
	rules := ignore.Empty()
	if data, err := fs.ReadFile(fsys, path.Join(dir, ignore.HelmIgnore)); err == nil {
		if rules, err = ignore.Parse(bytes.NewReader(data)); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	rules.AddDefaults()
	var files []*loader.BufferedFile
	err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(name, dir), "/")
		if rel == "" || name == dir {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if rules.Ignore(rel, info) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !used(rel) {
			return nil
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		if info.Size() > loader.MaxDecompressedFileSize {
			return fmt.Errorf("%s is larger than helm's limit of %d bytes", rel, loader.MaxDecompressedFileSize)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		files = append(files, &loader.BufferedFile{Name: rel, Data: data})
		return nil
	})
	return files, err
}

// used reports whether the chart file rel is one Load needs: the metadata,
// values and templates of the chart and its subchart directories, and the
// subchart archives.
func used(rel string) bool {
	for {
		sub, ok := strings.CutPrefix(rel, "charts/")
		if !ok {
			break
		}
		name, rest, isDir := strings.Cut(sub, "/")
		if !isDir {
			return strings.HasSuffix(name, ".tgz")
		}
		rel = rest
	}
	switch rel {
	case "Chart.yaml", "requirements.yaml", "values.yaml":
		return true
	}
	return strings.HasPrefix(rel, "templates/")
}

// convert builds a Chart from helm's, dir being where its files live;
// files, when given, are the ones read from it, to place the subcharts.
func convert(hc *helmchart.Chart, dir string, files []*loader.BufferedFile) (*Chart, error) {
	c := &Chart{Name: hc.Name(), Dir: dir, refs: &ref{}, subcharts: map[string]*Chart{}}
	for _, f := range hc.Raw {
		if f.Name != "values.yaml" {
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(f.Data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(dir, f.Name), err)
		}
		if len(doc.Content) > 0 {
			c.values = doc.Content[0]
		}
	}
	for _, t := range hc.Templates {
		if err := c.refs.addTemplate(path.Join(dir, t.Name), string(t.Data)); err != nil {
			return nil, err
		}
	}
	for _, sc := range hc.Dependencies() {
		sub, err := convert(sc, subchartDir(dir, sc, files), nil)
		if err != nil {
			return nil, err
		}
		keys := []string{sc.Name()}
		if aliases := aliases(hc, sc.Name()); len(aliases) > 0 {
			keys = aliases
		}
		for _, k := range keys {
			c.subcharts[k] = sub
		}
	}
	return c, nil
}

// aliases returns the keys Chart.yaml gives the dependency name.
func aliases(hc *helmchart.Chart, name string) []string {
	var keys []string
	if hc.Metadata == nil {
		return nil
	}
	for _, d := range hc.Metadata.Dependencies {
		if d != nil && d.Name == name && d.Alias != "" {
			keys = append(keys, d.Alias)
		}
	}
	return keys
}

// subchartDir finds the directory in charts/ that holds sc by its
// Chart.yaml, or the archive name helm package gives it.
func subchartDir(dir string, sc *helmchart.Chart, files []*loader.BufferedFile) string {
	var own []byte
	for _, f := range sc.Raw {
		if f.Name == "Chart.yaml" {
			own = f.Data
		}
	}
	for _, f := range files {
		sub, ok := strings.CutPrefix(f.Name, "charts/")
		if name, rest, _ := strings.Cut(sub, "/"); ok && rest == "Chart.yaml" && bytes.Equal(f.Data, own) {
			return path.Join(dir, "charts", name)
		}
	}
	archive := sc.Name() + ".tgz"
	if sc.Metadata != nil {
		archive = sc.Name() + "-" + sc.Metadata.Version + ".tgz"
	}
	return path.Join(dir, "charts", archive)
}

// HasValue reports whether the chart has the value at path (a --set key):
// values.yaml defines it, a template reads it or a value above it, it is
// global, or it lies under a subchart that has it.
func (c *Chart) HasValue(key []string) (bool, Where) {
	if len(key) == 0 {
		return true, Where{File: path.Join(c.Dir, "values.yaml"), By: Values}
	}
	if key[0] == "global" {
		return true, Where{File: path.Join(c.Dir, "values.yaml"), By: Global}
	}
	found, line := lookup(c.values, key)
	w := Where{File: path.Join(c.Dir, "values.yaml"), Line: line, By: Values}
	if found {
		return true, w
	}
	if r, ok := c.refs.reads(key); ok {
		return true, Where{File: r.file, Line: r.line, By: Template}
	}
	if sub := c.subcharts[key[0]]; sub != nil && len(key) > 1 {
		if ok, sw := sub.HasValue(key[1:]); ok {
			return true, sw
		}
	}
	w.By = 0
	return false, w
}

// lookup finds key in the values document n. It returns whether the chart
// defines it and the line of the deepest part found. Under an empty map or
// a null the chart takes any key (annotations: {}).
func lookup(n *yaml.Node, key []string) (bool, int) {
	line := 0
	for i := 0; n != nil; i++ {
		n = resolve(n)
		if i == len(key) {
			return true, line
		}
		switch {
		case n.Kind == yaml.MappingNode && len(n.Content) == 0,
			n.Kind == yaml.SequenceNode && len(n.Content) == 0,
			n.Kind == yaml.ScalarNode && n.Tag == "!!null":
			return true, line
		case n.Kind == yaml.MappingNode:
			var k *yaml.Node
			k, n = entry(n, key[i])
			if k != nil {
				line = k.Line
			}
		case n.Kind == yaml.SequenceNode:
			n = element(n, key[i])
			if n != nil {
				line = n.Line
			}
		default:
			return false, line
		}
	}
	return false, line
}

func resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 100; depth++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return resolve(n.Content[0])
	}
	return n
}

// entry returns the key and value of name in mapping m, merge keys (<<)
// included.
func entry(m *yaml.Node, name string) (key, value *yaml.Node) {
	var merged []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch {
		case k.Value == name && k.Tag != "!!merge":
			return k, v
		case k.Tag == "!!merge":
			merged = append(merged, v)
		}
	}
	for _, v := range merged {
		v = resolve(v)
		sources := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
		for _, s := range sources {
			if s = resolve(s); s != nil && s.Kind == yaml.MappingNode && s != m {
				if k, v := entry(s, name); k != nil {
					return k, v
				}
			}
		}
	}
	return nil, nil
}

// element returns element "[N]" of sequence s.
func element(s *yaml.Node, name string) *yaml.Node {
	var i int
	if _, err := fmt.Sscanf(name, "[%d]", &i); err != nil || fmt.Sprintf("[%d]", i) != name ||
		i < 0 || i >= len(s.Content) {
		return nil
	}
	return s.Content[i]
}
