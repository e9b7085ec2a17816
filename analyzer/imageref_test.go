package analyzer

import "testing"

func TestLooksLikeImage(t *testing.T) {
	for s, want := range map[string]bool{
		"localhost/kubernaut-datastorage:e2e-test-datastorage": true,
		"datastorage:e2e-test":                                 true,
		"postgres:16-alpine":                                   true,
		"quay.io/org/app":                                      true,
		"localhost:5000/app":                                   true,
		"busybox":                                              false, // a bare name is more often a container or service name
		"kube-system":                                          false,
		"/tmp/datastorage.tar":                                 false,
		"https://example.com/x:1":                              false,
		"localhost/%s:e2e":                                     false,
		"Using image foo:1":                                    false,
	} {
		if _, got := looksLikeImage(s); got != want {
			t.Errorf("looksLikeImage(%q) = %v, want %v", s, got, want)
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
		{"datastorage", "datastorage", false},
		{"gateway", "datastorage", false},
		{"api", "holmesgpt-api-server", false},
	} {
		if got := similarRepository(tc.a, tc.b); got != tc.want {
			t.Errorf("similarRepository(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
