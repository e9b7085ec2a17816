package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Most E2E suites sit behind a build tag ("//go:build e2e"), and go list
// drops what the tags exclude without a word, whole packages included. So
// the command looks at the .go files under the directories its patterns
// name that no loaded package holds, and says which of those mention
// images and which -tags would include them.

// excludedFiles returns, for each -tags value that would include them, the
// files under the patterns' directories that build constraints exclude and
// that may matter. Patterns that are import paths are not searched.
func excludedFiles(patterns []string, listed []*packages.Package, tags string, tests bool, mayMatter func(*ast.File) bool) map[string][]string {
	loaded := make(map[string]bool)
	for _, p := range listed {
		for _, lists := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles} {
			for _, f := range lists {
				loaded[f] = true
			}
		}
	}
	ctxt := build.Default
	ctxt.BuildTags = splitTags(tags)
	found := make(map[string][]string)
	seen := make(map[string]bool)
	for _, pattern := range patterns {
		dir, recursive := patternDir(pattern)
		if dir == "" {
			continue
		}
		walkPackageDirs(dir, recursive, func(path string) {
			name := filepath.Base(path)
			if seen[path] || loaded[path] || !tests && strings.HasSuffix(name, "_test.go") {
				return
			}
			seen[path] = true
			if ok, err := ctxt.MatchFile(filepath.Dir(path), name); err != nil || ok {
				return // included, or not a file go would build
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
			if err != nil || !mayMatter(f) {
				return
			}
			if extra := tagsIncluding(ctxt, path, src); extra != "" {
				found[extra] = append(found[extra], path)
			}
		})
	}
	return found
}

func splitTags(tags string) []string {
	return strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == ' ' })
}

// patternDir returns the directory a relative or absolute package pattern
// names, and whether it ends in "/...".
func patternDir(pattern string) (string, bool) {
	if !build.IsLocalImport(pattern) && !filepath.IsAbs(pattern) {
		return "", false
	}
	dir, recursive := strings.CutSuffix(pattern, "/...")
	if strings.Contains(dir, "...") {
		return "", false
	}
	return filepath.Clean(dir), recursive
}

// walkPackageDirs calls f for each .go file in dir, and with recursive in
// the directories below it that go would match with "/...": not testdata,
// vendor, nor names starting with "." or "_", nor nested modules.
func walkPackageDirs(dir string, recursive bool, f func(path string)) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	_ = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path == abs {
				return nil
			}
			name := d.Name()
			if !recursive || name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			f(path)
		}
		return nil
	})
}

// tagsIncluding returns the smallest set of the tags that path's build
// constraint mentions which, added to ctxt's, includes the file, as a
// -tags value ("" when none does, e.g. a file for another GOOS).
func tagsIncluding(ctxt build.Context, path string, src []byte) string {
	var candidates []string
	for _, line := range bytes.Split(src, []byte("\n")) {
		expr, err := constraint.Parse(string(bytes.TrimSpace(line)))
		if err != nil {
			continue
		}
		collectTags(expr, &candidates)
	}
	// "ignore" marks files never built, such as go:generate programs.
	candidates = slices.DeleteFunc(candidates, func(t string) bool { return t == "ignore" || slices.Contains(ctxt.BuildTags, t) })
	if len(candidates) > 8 {
		candidates = candidates[:8]
	}
	for size := 1; size <= len(candidates); size++ {
		for _, set := range subsets(candidates, size) {
			c := ctxt
			c.BuildTags = append(slices.Clone(ctxt.BuildTags), set...)
			c.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
			if ok, err := c.MatchFile(filepath.Dir(path), filepath.Base(path)); err == nil && ok {
				return strings.Join(append(slices.Clone(ctxt.BuildTags), set...), ",")
			}
		}
	}
	return ""
}

func collectTags(expr constraint.Expr, tags *[]string) {
	switch e := expr.(type) {
	case *constraint.TagExpr:
		if !slices.Contains(*tags, e.Tag) {
			*tags = append(*tags, e.Tag)
		}
	case *constraint.NotExpr:
		collectTags(e.X, tags)
	case *constraint.AndExpr:
		collectTags(e.X, tags)
		collectTags(e.Y, tags)
	case *constraint.OrExpr:
		collectTags(e.X, tags)
		collectTags(e.Y, tags)
	}
}

// subsets returns the subsets of list of the given size, in order.
func subsets(list []string, size int) [][]string {
	if size == 0 {
		return [][]string{nil}
	}
	var out [][]string
	for i := range list {
		for _, rest := range subsets(list[i+1:], size-1) {
			out = append(out, append([]string{list[i]}, rest...))
		}
	}
	return out
}

// noteExcluded prints one note per -tags value.
func noteExcluded(w io.Writer, name, wd string, found map[string][]string) {
	var tagSets []string
	for tags := range found {
		tagSets = append(tagSets, tags)
	}
	slices.Sort(tagSets)
	for _, tags := range tagSets {
		files := found[tags]
		slices.Sort(files)
		var shown []string
		for i, f := range files {
			if i == 5 {
				shown = append(shown, fmt.Sprintf("and %d more", len(files)-5))
				break
			}
			shown = append(shown, relPath(wd, f))
		}
		noun := "files"
		if len(files) == 1 {
			noun = "file"
		}
		fmt.Fprintf(w, "%s: note: %d %s excluded by build constraints may hold image code; -tags=%s includes them: %s\n",
			name, len(files), noun, tags, strings.Join(shown, ", "))
	}
}
