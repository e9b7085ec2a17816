package main

import (
	"fmt"
	"go/format"
	"io"
	"os"
	"slices"

	udiff "github.com/aymanbagabas/go-udiff"
)

// applyFixes applies the first suggested fix of each finding, file by file.
// A fix that overlaps one already accepted is left out whole, so each file
// stays a consistent edit. With diff it prints a unified diff instead of
// writing. It returns the findings no fix was applied to.
func applyFixes(stdout io.Writer, wd string, fs []finding, diff bool) ([]finding, error) {
	edits := make(map[string][]udiff.Edit) // by file
	var left []finding
	for _, f := range fs {
		if len(f.Fixes) == 0 || !accept(edits, f.Fixes[0]) {
			left = append(left, f)
		}
	}
	files := make([]string, 0, len(edits))
	for file := range edits {
		files = append(files, file)
	}
	slices.Sort(files)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		out, err := udiff.Apply(string(src), edits[file])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", relPath(wd, file), err)
		}
		if formatted, err := format.Source([]byte(out)); err == nil {
			out = string(formatted)
		}
		if diff {
			name := relPath(wd, file)
			fmt.Fprint(stdout, udiff.Unified(name+" (old)", name+" (fixed)", string(src), out))
			continue
		}
		info, err := os.Stat(file)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, []byte(out), info.Mode().Perm()); err != nil {
			return nil, err
		}
	}
	return left, nil
}

// accept adds the edits of fx to edits unless one overlaps an edit already
// there (the same edit twice is one edit).
func accept(edits map[string][]udiff.Edit, fx fix) bool {
	var add []udiff.Edit
	var addFile []string
	for _, e := range fx.Edits {
		ne := udiff.Edit{Start: e.Start.Offset, End: e.End.Offset, New: e.New}
		if ne.End < ne.Start || e.Start.File == "" {
			return false
		}
		dup := false
		for _, old := range edits[e.Start.File] {
			if old == ne {
				dup = true
				break
			}
			if ne.Start < old.End && old.Start < ne.End || ne.Start == old.Start && (ne.End == ne.Start || old.End == old.Start) {
				return false
			}
		}
		if !dup {
			add = append(add, ne)
			addFile = append(addFile, e.Start.File)
		}
	}
	for i, e := range add {
		edits[addFile[i]] = append(edits[addFile[i]], e)
	}
	return true
}
