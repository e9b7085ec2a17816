package infra

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/distribution/reference"
)

// The distribution reference grammar for "host/path:tag", spelled out from
// github.com/distribution/reference's regexp.go.
var (
	pathComponent = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	tagGrammar    = `[\w][\w.-]{0,127}`
	refGrammar    = regexp.MustCompile(`^localhost/` + pathComponent + `(?:/` + pathComponent + `)*:(` + tagGrammar + `)$`)
	suffixGrammar = regexp.MustCompile(`(?:^|-)[0-9a-f]{16}$`)
)

// checkGrammar fails unless ref is a valid reference of the promised form.
func checkGrammar(t *testing.T, ref string) {
	t.Helper()
	m := refGrammar.FindStringSubmatch(ref)
	if m == nil {
		t.Fatalf("%q does not match the reference grammar", ref)
	}
	if tag := m[1]; len(tag) > maxTagLen || !suffixGrammar.MatchString(tag) {
		t.Errorf("%q: tag %q is longer than %d or lacks the random suffix", ref, tag, maxTagLen)
	}
	if len(ref[:strings.LastIndex(ref, ":")]) > maxNameLen {
		t.Errorf("%q: name longer than %d", ref, maxNameLen)
	}
	named, err := reference.ParseNamed(ref)
	if err != nil {
		t.Fatalf("reference.ParseNamed(%q): %v", ref, err)
	}
	if reference.Domain(named) != "localhost" {
		t.Errorf("%q: domain %q, want localhost", ref, reference.Domain(named))
	}
}

func TestGenerateInfraImageNameGrammar(t *testing.T) {
	long := strings.Repeat("Long-Name.", 40)
	for _, tc := range []struct {
		infrastructure, consumer string
		prefix                   string // the reference without its random suffix; "" to skip
	}{
		{"datastorage", "gateway", "localhost/datastorage:gateway-"},
		{"DataStorage", "WorkflowExecution", "localhost/datastorage:workflowexecution-"},
		{"kubernaut/datastorage", "signal processing", "localhost/kubernaut/datastorage:signal-processing-"},
		{"//kubernaut//datastorage//", "--gateway--", "localhost/kubernaut/datastorage:gateway-"},
		{"a..b/c___d/e__f", "x.y_z", "localhost/a-b/c-d/e__f:x.y_z-"},
		{"holmesgpt-api", "AIAnalysis", "localhost/holmesgpt-api:aianalysis-"},
		{"", "", "localhost/image:"},
		{"   ", "...", "localhost/image:"},
		{"ünïcödé", "🚀", "localhost/n-c-d:"},
		{"name:with@chars", "tag:with/slash", "localhost/name-with-chars:tag-with-slash-"},
		{".hidden", "_under", "localhost/hidden:under-"},
		{"-._-", "-._-", "localhost/image:"},
		{long, long, ""},
		{strings.Repeat("a/", 200), strings.Repeat("Z", 500), ""},
		{strings.Repeat("x", 300), strings.Repeat("-.", 300), ""},
	} {
		ref := GenerateInfraImageName(tc.infrastructure, tc.consumer)
		checkGrammar(t, ref)
		if tc.prefix != "" && (!strings.HasPrefix(ref, tc.prefix) || len(ref) != len(tc.prefix)+2*randomBytes) {
			t.Errorf("GenerateInfraImageName(%q, %q) = %q, want %q followed by the random suffix", tc.infrastructure, tc.consumer, ref, tc.prefix)
		}
	}
}

func TestGenerateInfraImageNameTruncatesConsumer(t *testing.T) {
	ref := GenerateInfraImageName("datastorage", strings.Repeat("c", 500))
	tag := ref[strings.LastIndex(ref, ":")+1:]
	if len(tag) != maxTagLen {
		t.Errorf("tag %q has %d characters, want the consumer truncated to fill exactly %d", tag, len(tag), maxTagLen)
	}
}

func TestGenerateInfraImageNameUniqueUnderConcurrency(t *testing.T) {
	const goroutines, calls = 64, 100
	var (
		mu   sync.Mutex
		seen = make(map[string]bool, goroutines*calls)
		wg   sync.WaitGroup
	)
	for range goroutines {
		wg.Go(func() {
			refs := make([]string, calls)
			for i := range refs {
				refs[i] = GenerateInfraImageName("datastorage", "gateway")
			}
			mu.Lock()
			defer mu.Unlock()
			for _, ref := range refs {
				if seen[ref] {
					t.Errorf("duplicate reference %q", ref)
				}
				seen[ref] = true
			}
		})
	}
	wg.Wait()
	if len(seen) != goroutines*calls {
		t.Fatalf("got %d distinct references, want %d", len(seen), goroutines*calls)
	}
	for ref := range seen {
		checkGrammar(t, ref)
	}
}
