package imageref

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestLocal(t *testing.T) {
	custom := Policy{LocalPattern: regexp.MustCompile(`^registry\.e2e\.internal/`)}
	for _, tc := range []struct {
		name   string
		policy Policy
		ref    string
		never  bool
		want   Reason // 0: not local
	}{
		{"local registry", Policy{}, "localhost/ds:e2e", false, LocalRegistry},
		{"local registry with port", Policy{}, "localhost:5001/ds:e2e", false, LocalRegistry},
		{"kind.local", Policy{}, "kind.local/ds", false, LocalRegistry},
		{"ko.local with Never", Policy{}, "ko.local/ds:1", true, LocalRegistry},
		{"configured local registry", custom, "registry.e2e.internal/ds:1", false, LocalRegistry},
		{"configured pattern replaces the default", custom, "localhost/ds:1", false, 0},

		{"preloaded public image with Never", Policy{}, "registry.k8s.io/pause:3.9", true, 0},
		{"public host with port and Never", Policy{}, "registry.example:5000/ds:1", true, 0},
		{"explicit docker.io with Never", Policy{}, "docker.io/kubernaut/api:e2e", true, 0},
		{"hub user repository with Never", Policy{}, "kubernaut/holmesgpt-api:e2e", true, NeverPulled},
		{"host without dot or port with Never", Policy{}, "Builder/ds:1", true, NeverPulled},
		{"official image with Never", Policy{}, "redis:7", true, 0},
		{"unofficial name with Never", Policy{}, "datastorage:e2e-test", true, NeverPulled},
		{"public image pulled", Policy{}, "registry.k8s.io/pause:3.9", false, 0},

		{"unofficial unqualified name", Policy{}, "datastorage:e2e-test", false, NotOfficial},
		{"unofficial name without tag", Policy{}, "datastorage", false, NotOfficial},
		{"official image", Policy{}, "redis:7", false, 0},
		{"official image with variant", Policy{}, "postgres:16-alpine", false, 0},
		{"official image without tag", Policy{}, "busybox", false, 0},
		{"official image with a dot in its name", Policy{}, "rocket.chat:6", false, 0},
		{"hub user repository", Policy{}, "bitnami/redis:7", false, 0},
		{"written docker.io host", Policy{}, "docker.io/datastorage:e2e", false, 0},
		{"declared official", Policy{Official: []string{"datastorage"}}, "datastorage:e2e-test", false, 0},
		{"declared official with Never", Policy{Official: []string{"datastorage"}}, "datastorage:e2e-test", true, 0},
		{"rule switched off", Policy{NoUnofficialRule: true}, "datastorage:e2e-test", false, 0},
		{"rule switched off, Never still counts", Policy{NoUnofficialRule: true}, "datastorage:e2e-test", true, NeverPulled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, local := tc.policy.Local(mustParse(t, tc.ref), tc.never)
			if got != tc.want || local != (tc.want != 0) {
				t.Errorf("Local(%q, never=%v) = %v, %v; want %v", tc.ref, tc.never, got, local, tc.want)
			}
		})
	}
}

func TestReasonString(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range []Reason{LocalRegistry, NeverPulled, NotOfficial} {
		s := r.String()
		if strings.HasPrefix(s, "Reason(") || seen[s] {
			t.Errorf("Reason %d has string %q", int(r), s)
		}
		seen[s] = true
	}
	if got := Reason(0).String(); got != "Reason(0)" {
		t.Errorf("Reason(0).String() = %q", got)
	}
}

// TestOfficialList keeps the embedded list sorted, unique and made of
// single names, as IsOfficial's binary search and the header require.
func TestOfficialList(t *testing.T) {
	if !slices.IsSorted(official) {
		t.Error("official.txt is not sorted")
	}
	if len(slices.Compact(slices.Clone(official))) != len(official) {
		t.Error("official.txt has duplicates")
	}
	for _, name := range official {
		if r, err := Parse(name); err != nil || r.Path != name || r.Tag != "" || r.Qualified {
			t.Errorf("official.txt: %q is not a single image name (%v)", name, err)
		}
	}
	first, _, _ := strings.Cut(officialList, "\n")
	if want := "the " + strconv.Itoa(len(official)) + " names"; !strings.Contains(first, want) {
		t.Errorf("header %q does not say %q", first, want)
	}
	for _, name := range []string{"redis", "postgres", "busybox", "nginx", "registry", "alpine"} {
		if !IsOfficial(name) {
			t.Errorf("IsOfficial(%q) = false", name)
		}
	}
	for _, name := range []string{"datastorage", "library/redis", "bitnami/redis", ""} {
		if IsOfficial(name) {
			t.Errorf("IsOfficial(%q) = true", name)
		}
	}
}

func TestReserved(t *testing.T) {
	for domain, want := range map[string]bool{
		"example.com": true, "registry.example.org": true, "EXAMPLE.NET:5000": true,
		"registry.test": true, "foo.example": true, "x.invalid": true,
		"example.com.evil.io": false, "myexample.com": false, "ghcr.io": false,
		"test": false, "docker.io": false, "registry.local": false,
	} {
		if got := Reserved(domain); got != want {
			t.Errorf("Reserved(%q) = %v, want %v", domain, got, want)
		}
	}
}
