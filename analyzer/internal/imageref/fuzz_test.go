package imageref

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that what it returns is a
// reference that parses back to itself once written in full.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"redis:7", "localhost:5000/org/ds:e2e", "docker.io/library/x@sha256:" + strings.Repeat("a", 64),
		"[::1]:5000/x:1", "index.docker.io/x", "Builder/ds", "localhost/%s:e2e", "a b", "",
	} {
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, s string, never bool) {
		r, err := Parse(s)
		c, isCandidate := Candidate(s)
		if err != nil {
			if isCandidate {
				t.Fatalf("Candidate(%q) holds but Parse fails: %v", s, err)
			}
			return
		}
		if isCandidate && c != r {
			t.Fatalf("Candidate(%q) = %+v, Parse = %+v", s, c, r)
		}
		if r.Raw != s || r.Domain == "" || r.Path == "" {
			t.Fatalf("Parse(%q) = %+v", s, r)
		}
		if !Same(r, r) {
			t.Fatalf("Same(%+v, itself) = false", r)
		}
		full := r.Domain + "/" + r.Path
		if r.Domain == dockerHub && !strings.Contains(r.Path, "/") {
			full = r.Domain + "/library/" + r.Path
		}
		if r.Tag != "" {
			full += ":" + r.Tag
		}
		if r.Digest != "" {
			full += "@" + r.Digest
		}
		back, err := Parse(full)
		if err != nil || !Same(back, r) || back.Domain != r.Domain || !back.Qualified {
			t.Fatalf("Parse(%q) = %+v, %v; written in full from %+v", full, back, err, r)
		}
		reason, local := Policy{}.Local(r, never)
		if local != (reason != 0) {
			t.Fatalf("Local(%+v) = %v, %v", r, reason, local)
		}
	})
}
