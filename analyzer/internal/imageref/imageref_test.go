package imageref

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Ref // Raw is filled from in
	}{
		{"redis", Ref{Domain: "docker.io", Path: "redis"}},
		{"redis:7", Ref{Domain: "docker.io", Path: "redis", Tag: "7"}},
		{"docker.io/library/redis:7", Ref{Domain: "docker.io", Path: "redis", Tag: "7", Qualified: true}},
		{"index.docker.io/library/redis", Ref{Domain: "docker.io", Path: "redis", Qualified: true}},
		{"bitnami/redis:7", Ref{Domain: "docker.io", Path: "bitnami/redis", Tag: "7"}},
		{"localhost/ds:e2e", Ref{Domain: "localhost", Path: "ds", Tag: "e2e", Qualified: true}},
		{"localhost:5000/org/ds", Ref{Domain: "localhost:5000", Path: "org/ds", Qualified: true}},
		{"registry.k8s.io/pause:3.9", Ref{Domain: "registry.k8s.io", Path: "pause", Tag: "3.9", Qualified: true}},
		{"quay.io/library/x", Ref{Domain: "quay.io", Path: "library/x", Qualified: true}},
		{"[::1]:5000/x:1", Ref{Domain: "[::1]:5000", Path: "x", Tag: "1", Qualified: true}},
		{"x@sha256:" + strings.Repeat("a", 64), Ref{Domain: "docker.io", Path: "x", Digest: "sha256:" + strings.Repeat("a", 64)}},
		{"x:1@sha256:" + strings.Repeat("b", 64), Ref{Domain: "docker.io", Path: "x", Tag: "1", Digest: "sha256:" + strings.Repeat("b", 64)}},
	} {
		got, err := Parse(tc.in)
		tc.want.Raw = tc.in
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"", "is empty"},
		{"Using image foo:1", "whitespace"},
		{"foo:1\n", "whitespace"},
		{`"foo:1"`, "quote"},
		{"localhost/%s:e2e", "printf verb"},
		{"{{ .Image }}", "template action"},
		{"${IMAGE}", "shell variable"},
		{"https://example.com/x:1", "URL"},
		{"x:" + strings.Repeat("1", 600), "longer than 512"},
		{"/tmp/datastorage.tar", "invalid reference format"},
		{"Redis:7", "must be lowercase"},
		{"my_registry.local/app:1", `invalid registry host "my_registry.local"`},
		{"x:-bad", "invalid reference format"},
		{strings.Repeat("a", 64), "64-byte hexadecimal"},
	} {
		_, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Parse(%q) error = %v, want one mentioning %q", tc.in, err, tc.msg)
		}
	}
}

func TestCandidate(t *testing.T) {
	for s, want := range map[string]bool{
		"localhost/kubernaut-datastorage:e2e-test-datastorage": true,
		"datastorage:e2e-test":                                 true,
		"postgres:16-alpine":                                   true,
		"quay.io/org/app":                                      true,
		"localhost:5000/app":                                   true,
		"docker.io/library/nginx":                              true,
		"nginx@sha256:" + strings.Repeat("c", 64):              true,
		"nginx":                   false, // a bare name is more often a container or service name
		"datastorage":             false,
		"default":                 false,
		"kubernaut/datastorage":   false, // a namespace/name pair without a tag
		"kube-system":             false,
		"/tmp/datastorage.tar":    false,
		"https://example.com/x:1": false,
		"localhost/%s:e2e":        false,
		"Using image foo:1":       false,
	} {
		if _, got := Candidate(s); got != want {
			t.Errorf("Candidate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestEffectiveTag(t *testing.T) {
	for s, want := range map[string]string{
		"x":                                   "latest",
		"x:1":                                 "1",
		"x@sha256:" + strings.Repeat("d", 64): "",
	} {
		if got := mustParse(t, s).EffectiveTag(); got != want {
			t.Errorf("EffectiveTag(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSame(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("e", 64)
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"localhost/ds:t", "ds:t", true},
		{"docker.io/library/x", "x:latest", true},
		{"kind.local/org/x:1", "quay.io/org/x:1", true},
		{"x" + digest, "localhost/x" + digest, true},
		{"ds:t", "ds:u", false},
		{"ds", "ds:e2e", false},
		{"org/ds:t", "ds:t", false},
		{"x:1", "x:1" + digest, false},
	} {
		a, b := mustParse(t, tc.a), mustParse(t, tc.b)
		if got := Same(a, b); got != tc.want || Same(b, a) != got {
			t.Errorf("Same(%q, %q) = %v, want %v both ways", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSimilarRepository(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"kubernaut-holmesgpt-api", "holmesgpt-api", true},
		{"kubernaut/datastorage", "kubernaut-datastorage", true},
		{"kubernaut/datastorage", "datastorage", true},
		{"org/data_storage", "org-data-storage", true},
		{"datastorage", "datastorage", false},
		{"gateway", "datastorage", false},
		{"api", "holmesgpt-api-server", false},
	} {
		if got := SimilarRepository(tc.a, tc.b); got != tc.want {
			t.Errorf("SimilarRepository(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func mustParse(t *testing.T, s string) Ref {
	t.Helper()
	r, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
