package analyzer

import (
	"bytes"
	"go/ast"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CheckUnsetEnvImage: the suite names an image by an environment variable
// that no CI workflow sets, while a workflow sets a variable of a near
// name for its go test or make run: the suite runs with its own variable
// unset.
const CheckUnsetEnvImage = "unset-env-image"

var unsetEnvImage = register(&check{
	name:    CheckUnsetEnvImage,
	trigger: flowTrigger,
	rank:    45,
	run:     runUnsetEnvImage,
})

func runUnsetEnvImage(ix *index) []finding {
	rs := ix.repository()
	if rs.model == nil {
		return nil
	}
	var out []finding
	done := map[string]bool{}
	for _, fl := range ix.flows {
		for _, st := range ix.steps(fl) {
			for _, v := range st.images {
				call, ok := v.site.(*ast.CallExpr)
				if v.kind != vExternal || v.str == "" || done[v.str] || !ok || !ix.isOSEnvRead(call) {
					continue
				}
				done[v.str] = true
				if f, ok := ix.unsetEnv(v.str, call); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// unsetEnv reports the read of name when no workflow sets it, the
// Makefile does not assign it, and a workflow sets a near name that no Go
// file of the module reads and, for a make run, the Makefile never
// mentions.
func (ix *index) unsetEnv(name string, read *ast.CallExpr) (finding, bool) {
	m := ix.repository().model
	if len(m.CIEnv(name)) > 0 {
		return finding{}, false
	}
	dir := m.MakefileDir(ix.packageDir())
	var makefile []byte
	if dir != "" {
		if _, _, ok := m.MakeVar(dir, name); ok {
			return finding{}, false // the Makefile may export it to go test
		}
		makefile, _ = m.Source(filepath.Join(dir, "Makefile"))
	}
	for _, ev := range m.CIEnvAll() {
		if !nearName(ev.Name, name) || ix.moduleReads(ev.Name) {
			continue
		}
		if ev.Run == "make" && (makefile == nil || bytes.Contains(makefile, []byte(ev.Name))) {
			continue // the Makefile may hand it on under the suite's name
		}
		f := newFinding(CheckUnsetEnvImage, read, "%s names an image here, but no CI workflow sets it: %s sets %s for %s; read the variable the workflow sets, or set this one",
			name, ix.repoName(ev.Pos.File, ev.Pos.Line), ev.Name, ev.Run)
		f.relate(ix.repoLineSpan(ev.Pos.File, ev.Pos.Line, false), "%s set here", ev.Name)
		return f, true
	}
	return finding{}, false
}

// nearName reports whether one variable name is the other with words
// added before or after (FOO_IMAGE, FOO_IMAGE_OVERRIDE): the shorter one
// has at least two words, so that IMG and KIND_IMG stay apart.
func nearName(a, b string) bool {
	wa, wb := strings.Split(a, "_"), strings.Split(b, "_")
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) < 2 || len(wa) == len(wb) {
		return false
	}
	return slices.Equal(wa, wb[:len(wa)]) || slices.Equal(wa, wb[len(wb)-len(wa):])
}

// moduleReads reports whether a Go file of the module names the variable
// in a string literal: another package may read what the workflow sets.
func (ix *index) moduleReads(name string) bool {
	if ix.repository().envReads[name] != nil {
		return true
	}
	quoted := []byte(`"` + name + `"`)
	for _, src := range ix.moduleGoFiles() {
		if bytes.Contains(src, quoted) {
			return true
		}
	}
	return false
}

// Bounds on reading a module's Go files for moduleReads.
const (
	maxModuleGoFiles = 5000
	maxModuleGoSize  = 1 << 20
)

// moduleGoFiles reads the module's Go files once per pass, outside
// vendor, testdata and hidden directories; asked only when a workflow
// sets a near name, which is rare.
func (ix *index) moduleGoFiles() [][]byte {
	rs := ix.repository()
	if rs.goFiles != nil {
		return *rs.goFiles
	}
	root := ix.moduleRoot()
	files := [][]byte{}
	rs.goFiles = &files
	if root == "" {
		return nil
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil
		case len(files) >= maxModuleGoFiles:
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil && info.Size() <= maxModuleGoSize {
				if data, err := os.ReadFile(p); err == nil {
					files = append(files, data)
				}
			}
		}
		return nil
	})
	return files
}
