package main

import (
	"go/build"
	"runtime"
	"testing"
)

func TestTagsIncluding(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cases assume linux")
	}
	for _, tc := range []struct {
		have       []string
		constraint string
		want       string
	}{
		{nil, "//go:build e2e", "e2e"},
		{nil, "//go:build e2e && integration", "e2e,integration"},
		{nil, "//go:build e2e || kind", "e2e"},
		{nil, "//go:build (e2e || kind) && linux", "e2e"},
		{nil, "//go:build e2e && !linux", ""},
		{nil, "//go:build ignore", ""},
		{nil, "// +build e2e", "e2e"},
		{[]string{"slow"}, "//go:build slow && e2e", "slow,e2e"},
	} {
		ctxt := build.Default
		ctxt.BuildTags = tc.have
		src := []byte(tc.constraint + "\n\npackage p\n")
		if got := tagsIncluding(ctxt, "/x/p/f.go", src); got != tc.want {
			t.Errorf("%v + %q: got %q, want %q", tc.have, tc.constraint, got, tc.want)
		}
	}
}
