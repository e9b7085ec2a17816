package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/chart"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/manifest"
)

// Manifests, kustomizations and helm charts that the code applies by path
// live in files of the module, not in the package's Go files. Pass.ReadFile
// admits only the package's own files, so reading them is a deliberate
// exception, bounded three ways: only files under the root of the module
// the package belongs to (the nearest go.mod above its directory), at most
// maxModuleFile bytes each, each read once per process while it stays the
// same (go vet runs one process per package; a long-running driver sees
// the edits).

const maxModuleFile = 1 << 20

// A stamp tells versions of a file apart without reading it: the caches
// below hold a file for as long as its stamp is the same, so a driver that
// lives across edits (gopls, golangci-lint's cache) never analyses an
// old version.
type stamp struct {
	name  string // slash-separated, relative to a chart's directory
	size  int64
	mtime time.Time
}

func stampOf(name string, info fs.FileInfo) stamp {
	return stamp{name: name, size: info.Size(), mtime: info.ModTime()}
}

var moduleFiles sync.Map // absolute path -> moduleFile

type moduleFile struct {
	stamp stamp // the zero stamp for a file that could not be stat'ed
	data  []byte
	err   error
}

// readModuleFile reads path (relative to the package's directory, as the
// tests that apply it run there) if it lies under the module root.
func (ix *index) readModuleFile(path string) (abs string, data []byte, err error) {
	abs, err = ix.modulePath(path)
	if err != nil {
		return "", nil, err
	}
	data, err = readCached(abs)
	return abs, data, err
}

// readCached reads the file abs, or returns what it read before when the
// file's stamp has not changed since.
func readCached(abs string) ([]byte, error) {
	var st stamp
	info, statErr := os.Stat(abs)
	if statErr == nil {
		st = stampOf("", info)
	}
	if f, ok := moduleFiles.Load(abs); ok && f.(moduleFile).stamp == st {
		return f.(moduleFile).data, f.(moduleFile).err
	}
	data, err := readBounded(abs, info, statErr)
	moduleFiles.Store(abs, moduleFile{st, data, err})
	return data, err
}

var charts sync.Map // absolute directory -> chartEntry

// chartEntry is a chart as loaded, nil when it does not load, with the
// stamps of the files under its directory then.
type chartEntry struct {
	stamps []stamp
	chart  *chart.Chart
}

// loadChart loads the chart in dir, a directory of the module, once per
// process while its files stay the same: an install and an upgrade name
// the same chart.
func (ix *index) loadChart(dir string) *chart.Chart {
	abs, err := ix.modulePath(dir)
	if err != nil {
		return nil
	}
	return loadChartCached(ix.moduleRoot(), abs)
}

func loadChartCached(root, abs string) *chart.Chart {
	stamps := dirStamps(abs)
	if e, ok := charts.Load(abs); ok && slices.Equal(e.(chartEntry).stamps, stamps) {
		return e.(chartEntry).chart
	}
	var c *chart.Chart
	if rel, err := filepath.Rel(root, abs); err == nil {
		c, _ = chart.Load(os.DirFS(root), filepath.ToSlash(rel))
	}
	charts.Store(abs, chartEntry{stamps, c})
	return c
}

// dirStamps returns the stamps of the files under dir, in walk order; nil
// when dir cannot be walked.
func dirStamps(dir string) []stamp {
	var stamps []stamp
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		stamps = append(stamps, stampOf(filepath.ToSlash(rel), info))
		return nil
	})
	if err != nil {
		return nil
	}
	return stamps
}

// readBounded reads abs, whose os.Stat gave info and err.
func readBounded(abs string, info fs.FileInfo, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > maxModuleFile {
		return nil, fmt.Errorf("%s: not a regular file of at most %d bytes", abs, maxModuleFile)
	}
	return os.ReadFile(abs)
}

// modulePath returns the absolute path of path, relative to the package's
// directory, and fails for paths outside the module.
func (ix *index) modulePath(path string) (string, error) {
	dir, root := ix.packageDir(), ix.moduleRoot()
	if dir == "" || root == "" {
		return "", fmt.Errorf("no module directory")
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(dir, filepath.FromSlash(path))
	}
	abs = filepath.Clean(abs)
	if rel, err := filepath.Rel(root, abs); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the module %s", path, root)
	}
	return abs, nil
}

// packageDir is the directory of the package's files.
func (ix *index) packageDir() string {
	for _, f := range ix.files {
		if name := ix.pass.Fset.File(f.Pos()).Name(); filepath.IsAbs(name) {
			return filepath.Dir(name)
		}
	}
	return ""
}

// moduleRoot is the nearest directory above the package's that holds a
// go.mod.
func (ix *index) moduleRoot() string {
	if ix.root != nil {
		return *ix.root
	}
	root := ""
	for dir := ix.packageDir(); dir != ""; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			root = dir
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	ix.root = &root
	return root
}

// isModuleDir reports whether path is a directory of the module.
func (ix *index) isModuleDir(path string) bool {
	if path == "" || strings.Contains(path, "://") {
		return false
	}
	abs, err := ix.modulePath(path)
	if err != nil {
		return false
	}
	info, err := os.Stat(abs)
	return err == nil && info.IsDir()
}

// manifestFiles returns the files a path names: a file, the manifests of
// a directory, or the matches of a glob, all in the module.
func (ix *index) manifestFiles(path string) ([]string, bool) {
	abs, err := ix.modulePath(path)
	if err != nil {
		return nil, false
	}
	if info, err := os.Stat(abs); err == nil && info.IsDir() {
		var files []string
		for _, ext := range []string{"*.yaml", "*.yml", "*.json"} {
			m, _ := filepath.Glob(filepath.Join(abs, ext))
			files = append(files, m...)
		}
		return files, true
	}
	matches, err := filepath.Glob(abs)
	if err != nil || len(matches) == 0 {
		return nil, false
	}
	return matches, true
}

// yamlFile adds a module file to the pass's file set, once, so that
// related positions can point into it.
func (ix *index) yamlFile(abs string, data []byte) *token.File {
	if f, ok := ix.tokenFiles[abs]; ok {
		return f
	}
	f := ix.pass.Fset.AddFile(abs, -1, len(data))
	f.SetLinesForContent(data)
	ix.tokenFiles[abs] = f
	return f
}

// relName names a module file for messages: relative to the package.
func (ix *index) relName(abs string) string {
	if rel, err := filepath.Rel(ix.packageDir(), abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return abs
}

// fileSteps adds the deploy steps of the manifests that path names, as a
// call applies them. What cannot be read makes one opaque step; a remote
// URL deploys only what its publisher built.
func (ix *index) fileSteps(fl *flow, call ast.Node, where, path string, kustomize bool, add func(step)) {
	switch {
	case strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://"):
		add(deployStep(call, where, deployInfo{transparent: true, remote: true}))
		return
	case path == "":
		add(opaqueDeploy(call, where, "the manifest path is computed at run time"))
		return
	}
	if kustomize {
		ix.kustomizeSteps(fl, call, where, path, add)
		return
	}
	files, ok := ix.manifestFiles(path)
	if !ok {
		add(opaqueDeploy(call, where, "no manifest can be read at "+path))
		return
	}
	for _, f := range files {
		ix.manifestFileSteps(fl, call, where, f, manifest.Plain, nil, add)
	}
}

// manifestFileSteps adds a step for each container image of one manifest
// file, read with syntax, with images rewritten as a kustomization's
// images: say.
func (ix *index) manifestFileSteps(fl *flow, call ast.Node, where, abs string, syntax manifest.Syntax, rewrite func(string) string, add func(step)) {
	ev, rewritten, unplaced := ix.fileStateOrder(fl, call, abs)
	if rewritten {
		st := opaqueDeploy(call, where, ix.rewrittenWhy(abs, ev))
		if unplaced && ix.suite != nil {
			written := &writtenFile{abs: abs}
			st.deploy.written = written
			ix.manifestFileImages(call, where, abs, syntax, rewrite, func(w step) { written.steps = append(written.steps, w) })
		}
		add(st)
		return
	}
	if ev != nil {
		add = restoredBy(ev, add)
	}
	ix.manifestFileImages(call, where, abs, syntax, rewrite, add)
}

// manifestFileImages adds the steps of one manifest file as written.
func (ix *index) manifestFileImages(call ast.Node, where, abs string, syntax manifest.Syntax, rewrite func(string) string, add func(step)) {
	_, data, err := ix.readModuleFile(abs)
	if err != nil {
		add(opaqueDeploy(call, where, ix.relName(abs)+" cannot be read"))
		return
	}
	tf := ix.yamlFile(abs, data)
	for _, c := range ix.containers(string(data), syntax) {
		image, ok := c.Image.Literal()
		if !ok {
			add(opaqueDeploy(call, where, fmt.Sprintf("the image at %s:%d is not written out", ix.relName(abs), c.Line)))
			continue
		}
		if rewrite != nil {
			image = rewrite(image)
		}
		add(deployStep(call, where, deployInfo{spec: rewrite == nil, pullNever: pullNever(c),
			file: fmt.Sprintf("%s:%d", ix.relName(abs), c.Line), fileValue: span{tf.Pos(c.Offset), tf.Pos(c.End)}}).
			withImage(value{kind: vConst, str: image}, nil))
	}
}

// maxKustomizeDepth bounds how many kustomizations deep resources are
// followed.
const maxKustomizeDepth = 5

// kustomizeSteps adds the steps of a kustomization directory: its
// resources, with its images: rewrites applied.
func (ix *index) kustomizeSteps(fl *flow, call ast.Node, where, dir string, add func(step)) {
	why := ""
	var visit func(dir string, rewrites []func(string) string, depth int) bool
	visit = func(dir string, rewrites []func(string) string, depth int) bool {
		if depth > maxKustomizeDepth {
			return false
		}
		var k manifest.Kustomization
		found := false
		for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
			if abs, data, err := ix.readModuleFile(filepath.Join(dir, name)); err == nil {
				// kustomize edit set image wrote it: its images: are not
				// what the file says.
				if ev, rewritten := ix.fileState(fl, call, abs); rewritten {
					why = ix.rewrittenWhy(abs, ev)
					return false
				} else if ev != nil {
					add = restoredBy(ev, add)
				}
				if k, err = manifest.ParseKustomization(data); err != nil {
					return false
				}
				found = true
				break
			}
		}
		if !found {
			return false
		}
		rewrites = append([]func(string) string{kustomizeRewrite(k.Images)}, rewrites...)
		for _, r := range k.Resources {
			if strings.Contains(r, "://") || strings.HasPrefix(r, "github.com/") {
				return false // remote: cannot be read
			}
			res := filepath.Join(dir, r)
			abs, err := ix.modulePath(res)
			if err != nil {
				return false
			}
			if info, err := os.Stat(abs); err == nil && info.IsDir() {
				if !visit(res, rewrites, depth+1) {
					return false
				}
				continue
			}
			ix.manifestFileSteps(fl, call, where, abs, manifest.Plain, func(image string) string {
				for _, rw := range rewrites {
					image = rw(image)
				}
				return image
			}, add)
		}
		return true
	}
	if !visit(dir, nil, 0) {
		add(opaqueDeploy(call, where, why))
	}
}

// restoredBy marks the steps add is given as deploys of a file that the
// restore ev made as written again.
func restoredBy(ev *fileEvent, add func(step)) func(step) {
	return func(st step) {
		if !st.deploy.restored.valid() {
			st = st.restoredAt(spanOf(ev.cs.call))
		}
		add(st)
	}
}

// relateFile relates a finding on the image a module file deploys to
// where the file writes it and, when a restore made the file as written
// again, to that restore.
func (f *finding) relateFile(st *step, image string) {
	f.relate(st.deploy.fileValue, "image %q written here", image)
	if st.deploy.restored.valid() {
		f.relate(st.deploy.restored, "the file is restored here: what is applied after it is the file as written")
	}
}

// kustomizeRewrite applies a kustomization's images: entries to a
// reference.
func kustomizeRewrite(images []manifest.KustomizeImage) func(string) string {
	return func(ref string) string {
		name, tag, digest := ref, "", ""
		if p := parsedRef(ref); p.err == nil {
			// The name as written: kustomize matches it, not its normal form.
			tag, digest = p.ref.Tag, p.ref.Digest
			if digest != "" {
				name = strings.TrimSuffix(name, "@"+digest)
			}
			if tag != "" {
				name = strings.TrimSuffix(name, ":"+tag)
			}
		}
		for _, im := range images {
			if im.Name != name {
				continue
			}
			if im.NewName != "" {
				name = im.NewName
			}
			switch {
			case im.Digest != "":
				return name + "@" + im.Digest
			case im.NewTag != "":
				tag, digest = im.NewTag, ""
			}
			tag += im.TagSuffix
		}
		if tag != "" {
			name += ":" + tag
		}
		if digest != "" {
			name += "@" + digest
		}
		return name
	}
}

// helmInfo is what a helm install step knows of its chart and values.
type helmInfo struct {
	chart    *chart.Chart // nil when the chart is not a directory of the module
	chartDir string
	images   []chart.Image
	// slots are the Go expressions of the install's run-time words, and
	// partExprs those of its image keys' values.
	slots, partExprs []ast.Expr
	// sources are where keys are written outside the install call: the
	// values.Options literals it merges.
	sources []ast.Node
}

// helmStep adds the deploy step of a helm install: the images its --set
// keys or values give, of those keys the chart has. Without any, the
// chart's own images run: none of the flow's.
func (ix *index) helmStep(fl *flow, call ast.Node, tool, chartDir string, h *command.HelmArgs, slots []ast.Expr, add func(step), sources ...ast.Node) {
	st := deployStep(call, tool, deployInfo{transparent: len(h.Unparsed) == 0})
	d := st.deploy
	sets := h.Sets
	for _, vf := range h.ValuesFiles {
		path, ok := vf.Literal()
		if !ok {
			d.transparent = false
			continue
		}
		fileSets, ok := ix.valuesFileSets(path)
		if !ok {
			d.transparent = false
		}
		sets = append(fileSets, sets...)
	}
	info := &helmInfo{chartDir: chartDir, images: chart.ImageKeys(sets), slots: slots, sources: sources}
	if chartDir != "" {
		info.chart = ix.loadChart(chartDir)
	}
	for _, im := range info.images {
		if info.chart != nil && !chartHasAny(info.chart, im.Keys) {
			continue // helm ignores keys the chart does not have
		}
		for _, part := range []command.Value{im.Registry, im.Repository, im.Tag, im.Digest, im.Ref} {
			for _, p := range part {
				if p.Slot >= 0 && p.Slot < len(slots) {
					info.partExprs = append(info.partExprs, slots[p.Slot])
				}
			}
		}
		ref := im.Reference()
		if ref == nil && info.chart != nil {
			ref = info.chart.WithDefaultRepository(im).Reference()
		}
		if ref == nil {
			ref = im.Tag // a tag alone names the loaded image's run-time part
		}
		if ref == nil {
			continue
		}
		v, e := ix.wordValue(fl, ref, slots)
		st.images = append(st.images, v)
		st.exprs = append(st.exprs, e)
	}
	d.helm = info
	// A repository chart installed with its own images: what they are is
	// not read.
	ref, named := h.Chart.Literal()
	repo := named && !strings.HasPrefix(ref, ".") && !filepath.IsAbs(ref)
	d.remote = chartDir == "" && repo && d.transparent && len(st.images) == 0
	if !d.transparent {
		d.why = "some of its values are known only at run time"
	}
	add(st)
}

func chartHasAny(c *chart.Chart, keys [][]string) bool {
	for _, k := range keys {
		if ok, _ := c.HasValue(k); ok {
			return true
		}
	}
	return false
}

// valuesFileSets returns the leaves of a helm values file as --set
// assignments.
func (ix *index) valuesFileSets(path string) ([]command.Set, bool) {
	_, data, err := ix.readModuleFile(path)
	if err != nil {
		return nil, false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, false
	}
	var sets []command.Set
	chart.WalkValues(&root, maxYAMLDepth, func(n *yaml.Node, key []string) bool {
		if n.Kind == yaml.ScalarNode {
			sets = append(sets, command.Set{Key: key, Value: command.Lit(n.Value)})
		}
		return true
	})
	return sets, true
}

// maxYAMLDepth bounds walks of YAML trees and nested literals.
const maxYAMLDepth = 64

// maxModuleEntries bounds the walk of the module's tree.
const maxModuleEntries = 50000

// uniqueModulePath returns, relative to the package's directory, the one
// file or directory of the module whose path ends in elems: where
// filepath.Join(root, "charts", "app") points when root is a run-time
// value (the repository's root, a project directory). A single element
// must be a YAML file name: a bare name ("app") says too little. None or
// several matches: not known.
func (ix *index) uniqueModulePath(elems []string) (string, bool) {
	tail := path.Join(elems...)
	if tail == "." || path.IsAbs(tail) || tail == ".." || strings.HasPrefix(tail, "../") || !strings.Contains(tail, "/") && !isManifestPath(tail) {
		return "", false
	}
	matches := ix.modulePathsEnding(tail)
	if len(matches) != 1 {
		return "", false
	}
	p, err := filepath.Rel(ix.packageDir(), filepath.Join(ix.moduleRoot(), filepath.FromSlash(matches[0])))
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(p), true
}

// modulePathsEnding lists the module's files and directories whose path,
// relative to its root in slash form, is tail or ends in "/"+tail.
func (ix *index) modulePathsEnding(tail string) []string {
	var out []string
	for _, rel := range ix.moduleTree() {
		if rel == tail || strings.HasSuffix(rel, "/"+tail) {
			out = append(out, rel)
		}
	}
	return out
}

// moduleTree lists the module's files and directories, relative to its
// root in slash form, once per package: version control, vendored and
// hidden directories and nested modules left out. Past maxModuleEntries it lists nothing.
func (ix *index) moduleTree() []string {
	if ix.tree != nil {
		return *ix.tree
	}
	var tree []string
	root := ix.moduleRoot()
	if root != "" {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == root {
				return nil
			}
			name := d.Name()
			if d.IsDir() && (strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			if len(tree) >= maxModuleEntries {
				return errTooLarge
			}
			if rel, err := filepath.Rel(root, p); err == nil {
				tree = append(tree, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			tree = nil
		}
	}
	ix.tree = &tree
	return tree
}

var errTooLarge = errors.New("module tree too large")

// ownKinds returns the custom resources the module declares, as
// "group/Kind": the kinds of its CustomResourceDefinition manifests (a
// kubebuilder config/crd/bases, a chart's crds/). An image key of one of
// them is an image its operator runs; one of another project's resource
// (a kind cluster's node image) is not. Computed once per package, and
// only when a manifest has such a key; the files are read once per process.
func (ix *index) ownKinds() map[string]bool {
	if ix.kinds != nil {
		return *ix.kinds
	}
	kinds := make(map[string]bool)
	root := ix.moduleRoot()
	for _, rel := range ix.moduleTree() {
		if !isManifestPath(rel) {
			continue
		}
		data, err := readCached(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil || !bytes.Contains(data, []byte("CustomResourceDefinition")) {
			continue
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var crd struct {
				Kind string `yaml:"kind"`
				Spec struct {
					Group string `yaml:"group"`
					Names struct {
						Kind string `yaml:"kind"`
					} `yaml:"names"`
				} `yaml:"spec"`
			}
			if err := dec.Decode(&crd); err != nil {
				if _, ok := err.(*yaml.TypeError); ok {
					continue // a document of another shape
				}
				break // the end, or what is no YAML (a chart template)
			}
			if crd.Kind == "CustomResourceDefinition" && crd.Spec.Group != "" && crd.Spec.Names.Kind != "" {
				kinds[crd.Spec.Group+"/"+crd.Spec.Names.Kind] = true
			}
		}
	}
	ix.kinds = &kinds
	return kinds
}
