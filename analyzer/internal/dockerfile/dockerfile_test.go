package dockerfile

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// render shows a Base as "LINE REF", with " copy" and the unknown ARGs
// when there are.
func render(b Base) string {
	s := strconv.Itoa(b.Line) + " " + b.Ref
	if b.Copy {
		s += " copy"
	}
	if len(b.Unknown) > 0 {
		s += " unknown=" + strings.Join(b.Unknown, ",")
	}
	return s
}

func bases(d *Dockerfile) []string {
	var out []string
	for _, b := range d.BaseImages() {
		out = append(out, render(b))
	}
	return out
}

func TestParseFiles(t *testing.T) {
	for _, tc := range []struct {
		file   string
		args   []Arg
		stages []Stage
		bases  []string
	}{{
		file: "kubebuilder.Dockerfile",
		args: []Arg{{Name: "BASE_IMAGE", Default: "golang:1.26", HasDefault: true, Line: 4}},
		stages: []Stage{
			{Name: "builder", From: "${BASE_IMAGE}", Ref: "golang:1.26", Line: 5},
			{From: "gcr.io/distroless/static:nonroot", Ref: "gcr.io/distroless/static:nonroot", Line: 29},
		},
		bases: []string{"5 golang:1.26", "29 gcr.io/distroless/static:nonroot"},
	}, {
		// Nine stages, most built FROM earlier ones, and a final FROM scratch.
		file:  "kind-base.Dockerfile",
		args:  []Arg{{Name: "BASE_IMAGE", Default: "debian:trixie-slim", HasDefault: true, Line: 24}},
		bases: []string{"25 debian:trixie-slim", "108 debian:trixie-slim"},
	}, {
		// COPY --from=0 names the first stage by number.
		file: "kind-local-path-provisioner.Dockerfile",
		stages: []Stage{
			{From: "docker.io/library/golang:latest", Ref: "docker.io/library/golang:latest", Line: 17, Platform: "$BUILDPLATFORM"},
			{From: "gcr.io/distroless/static-debian13", Ref: "gcr.io/distroless/static-debian13", Line: 33},
		},
		bases: []string{"17 docker.io/library/golang:latest", "33 gcr.io/distroless/static-debian13"},
	}, {
		// A quoted default and a quoted FROM image.
		file:  "kind-local-path-helper.Dockerfile",
		args:  []Arg{{Name: "BASE", Default: "debian:trixie-slim", HasDefault: true, Line: 19}},
		bases: []string{"20 debian:trixie-slim", `46 gcr.io/distroless/static-debian13`},
	}} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			d, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if tc.args != nil && !reflect.DeepEqual(d.Args, tc.args) {
				t.Errorf("Args = %+v, want %+v", d.Args, tc.args)
			}
			if tc.stages != nil && !reflect.DeepEqual(d.Stages, tc.stages) {
				t.Errorf("Stages = %+v, want %+v", d.Stages, tc.stages)
			}
			if got := bases(d); !reflect.DeepEqual(got, tc.bases) {
				t.Errorf("BaseImages = %q, want %q", got, tc.bases)
			}
		})
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		stages    []Stage
		bases     []string
	}{{
		name: "platform flag and stage name",
		src:  "FROM --platform=$BUILDPLATFORM golang:1.24 AS Builder\nRUN go build\nFROM builder AS test\nFROM scratch\nCOPY --from=builder /out /\n",
		stages: []Stage{
			{Name: "builder", From: "golang:1.24", Ref: "golang:1.24", Line: 1, Platform: "$BUILDPLATFORM"},
			{Name: "test", From: "builder", Ref: "builder", Line: 3},
			{From: "scratch", Ref: "scratch", Line: 4},
		},
		bases: []string{"1 golang:1.24"},
	}, {
		name: "ARG defaults use earlier ARGs; an ARG after FROM is not global",
		src: "ARG REGISTRY=ghcr.io/acme\nARG GO=1.24\nARG BUILDER=${REGISTRY}/golang:${GO}-alpine\n" +
			"FROM $BUILDER AS build\nARG LATE=x\nFROM ${REGISTRY}/runtime:${LATE}\n",
		stages: []Stage{
			{Name: "build", From: "$BUILDER", Ref: "ghcr.io/acme/golang:1.24-alpine", Line: 4},
			{From: "${REGISTRY}/runtime:${LATE}", Ref: "ghcr.io/acme/runtime:", Unknown: []string{"LATE"}, Line: 6},
		},
		bases: []string{"4 ghcr.io/acme/golang:1.24-alpine", "6 ghcr.io/acme/runtime: unknown=LATE"},
	}, {
		name: "an ARG without default and a builder ARG stay unknown",
		src:  "ARG BASE\nFROM ${BASE}\nFROM alpine:${TARGETARCH}\n",
		stages: []Stage{
			{From: "${BASE}", Ref: "", Unknown: []string{"BASE"}, Line: 2},
			{From: "alpine:${TARGETARCH}", Ref: "alpine:", Unknown: []string{"TARGETARCH"}, Line: 3},
		},
		bases: []string{"3 alpine: unknown=TARGETARCH"},
	}, {
		name:  "COPY --from an image, a stage by name and by number",
		src:   "FROM golang:1.24 AS b\nCOPY --from=b /x /\nCOPY --from=0 /x /\nCOPY --from=quay.io/x/tools:v1 /t /\n",
		bases: []string{"1 golang:1.24", "4 quay.io/x/tools:v1 copy"},
	}, {
		name:  "escape directive and continuation lines",
		src:   "# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022 `\n  AS base\n",
		bases: []string{"2 mcr.microsoft.com/windows/servercore:ltsc2022"},
	}, {
		name:  "lower-case instructions and a heredoc",
		src:   "from alpine:3.20\nrun <<EOF\nFROM not-an-image\nEOF\n",
		bases: []string{"1 alpine:3.20"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if tc.stages != nil && !reflect.DeepEqual(d.Stages, tc.stages) {
				t.Errorf("Stages = %+v, want %+v", d.Stages, tc.stages)
			}
			if got := bases(d); !reflect.DeepEqual(got, tc.bases) {
				t.Errorf("BaseImages = %q, want %q", got, tc.bases)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, err string
	}{
		{"empty", "", "file with no instructions"},
		{"no FROM", "RUN echo hi\n", "no FROM"},
		{"FROM without image", "FROM\n", "FROM without an image"},
		{"binary junk", "\x00\x01\x02\xff\xfe", "no FROM"},
		{"bad escape directive", "# escape=ab\nFROM x\n", "escape"},
		{"too big", "FROM x\n" + strings.Repeat("#", MaxSize), "limit"},
		{"line too long", "FROM x\nRUN " + strings.Repeat("a", 1<<17) + "\n", "max allowed size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Parse = %+v, %v; want an error with %q", d, err, tc.err)
			}
		})
	}
}
