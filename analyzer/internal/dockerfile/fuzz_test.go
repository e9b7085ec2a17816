package dockerfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that a parsed file has a stage,
// that every line it reports is in the file, and that no base image is an
// earlier stage or scratch.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.Dockerfile"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		"ARG A=x\nARG B=${A}:1\nFROM $B AS s\nFROM s\nCOPY --from=img:1 / /\n",
		"# escape=`\nFROM a `\n AS b\n", "FROM --platform=$X a\nRUN <<EOF\nx\nEOF\n", "FROM\n", "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if len(d.Stages) == 0 {
			t.Fatal("no stage and no error")
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, a := range d.Args {
			if a.Line < 1 || a.Line > lines || a.Name == "" {
				t.Fatalf("ARG %+v: outside the file's %d lines or unnamed", a, lines)
			}
		}
		for i, st := range d.Stages {
			if st.Line < 1 || st.Line > lines {
				t.Fatalf("stage %+v: line outside the file's %d lines", st, lines)
			}
			if st.Name != strings.ToLower(st.Name) {
				t.Fatalf("stage %d: name %q not in lower case", i, st.Name)
			}
		}
		for _, b := range d.BaseImages() {
			if b.Line < 1 || b.Line > lines || b.Stage < 0 || b.Stage >= len(d.Stages) || b.Ref == "" {
				t.Fatalf("base %+v: bad line, stage or empty reference", b)
			}
			if strings.EqualFold(b.Ref, scratch) {
				t.Fatalf("base %+v: scratch pulls nothing", b)
			}
			if j := d.stageIndex(b.Ref, b.Stage); j >= 0 {
				t.Fatalf("base %+v names stage %d", b, j)
			}
		}
	})
}
